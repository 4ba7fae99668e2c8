"""Push: which graphs of a dataset the store lacks or holds otherwise, and sending just those.

A changed graph is sent whole with ``PUT``, which the protocol defines as "replace this graph": a push
that is killed half-way leaves every graph either as it was or as it is now, never a mixture. The content
hash of a graph is the SHA-256 of its sorted N-Triples (the very bytes sent), and it is recorded in the
store itself (the meta graph, see :mod:`.settings`), *after* the graph was accepted, so that the next
push, from any machine, sends only the graphs whose content changed. A recorded hash can only be stale
in the safe direction: at worst a graph is sent again.

Graphs the record says the store lacks go in chunks of N-Quads (``POST``, which adds: one transaction
per chunk instead of one per graph: Oxigraph spent ~3 ms on each, 33 s for 10,000 graphs). Each chunk's
graphs are marked :data:`SENDING` in the record before the chunk is sent, so that a chunk the store took
but whose hashes were never recorded counts as changed next time, and is replaced whole rather than
added to again (see :func:`push`).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph

from stancegraph.graph.errors import StancegraphError
from stancegraph.ontology import ONTOLOGY_IRI, SG, vocabulary_graph

from .client import StoreError
from .protocol import GraphStore
from .settings import META_SUFFIX, REGISTRY_SUFFIX, SOURCE_INFIX

#: the predicate of the meta graph: ``<graph> sg:contentHash "sha256:…"``
CONTENT_HASH = SG.contentHash
#: where the vocabulary goes: its own IRI, the same for every dataset in the store
ONTOLOGY_GRAPH = URIRef(str(ONTOLOGY_IRI))


class PushFailed(StoreError):
    """A push stopped part-way; ``sent`` graphs were replaced whole before the failure, the rest untouched."""

    def __init__(self, cause: StoreError, sent: int, total: int):
        super().__init__(str(cause), endpoint=cause.endpoint, graph=cause.graph, status=cause.status,
                         passing=cause.passing)
        self.cause = cause
        self.sent = sent
        self.total = total


# --------------------------------------------------------------------------------------------------
# What to push


@dataclass(frozen=True)
class Triples:
    """One graph of graph files, as pyoxigraph read it (:func:`.graphfile.read_graphs`)."""

    identifier: str
    triples: Sequence[Any] = field(repr=False)  # pyoxigraph.Triple; a repeated one counts once once serialised

    def __len__(self) -> int:
        return len(self.triples)

    def as_rdflib(self) -> Graph:
        from stancegraph.output.query import _rdflib_term

        graph = Graph()
        for t in self.triples:
            graph.add((_rdflib_term(t.subject), _rdflib_term(t.predicate), _rdflib_term(t.object)))
        return graph


class FileGraphs:
    """The graphs of graph files, held by pyoxigraph, for :func:`payloads`: pushing a graph file needs no
    rdflib dataset (holding and serialising the 10,000-source corpus with rdflib took most of 174 s)."""

    def __init__(self, graphs: Mapping[str, Sequence[Any]]):
        self._graphs = [Triples(iri, triples) for iri, triples in graphs.items()]

    def graphs(self) -> list[Triples]:
        return self._graphs


def ntriples(graph: Graph | Triples) -> bytes:
    """The canonical N-Triples of ``graph``: blank nodes canonically labelled, lines sorted, UTF-8. A graph
    of a graph file without blank nodes is written by pyoxigraph (the same lines as rdflib's, in a tenth
    of the time)."""
    return canonical(graph)[0]


def canonical(graph: Graph | Triples) -> tuple[bytes, bool]:
    """:func:`ntriples` of ``graph``, and whether it holds blank nodes (such a graph is never sent as part of
    a chunk of N-Quads: one document's blank node labels are shared by all its graphs)."""
    if isinstance(graph, Triples):
        import pyoxigraph

        data = pyoxigraph.serialize(graph.triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
        blank = pyoxigraph.BlankNode
        if b"_:" not in data or not any(type(t.subject) is blank or type(t.object) is blank for t in graph.triples):
            return _sorted_lines(data), False  # "_:" may also be in a literal: then the terms tell
        graph = graph.as_rdflib()
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        return _sorted_lines(to_canonical_graph(graph).serialize(format="nt", encoding="utf-8")), True
    return _sorted_lines(graph.serialize(format="nt", encoding="utf-8")), False


def _sorted_lines(data: bytes) -> bytes:
    """The distinct lines of ``data``, sorted. Bytes, not text: UTF-8 orders as code points do, so the order
    is the one sorting the decoded lines gives (and decoding 177 MB twice cost a third of the time)."""
    lines = sorted({line for line in data.split(b"\n") if line.strip()})  # not splitlines(): literals may hold U+2028
    return b"\n".join(lines) + b"\n" if lines else b""


def content_hash(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Payload:
    """One graph to push: its IRI, its canonical N-Triples, their hash, and a name for messages."""

    iri: str
    kind: str  # "registry" | "source" | "ontology"
    name: str  # the source id, "registry" or "ontology"
    data: bytes = field(repr=False)
    triples: int
    hash: str
    #: whether the graph holds blank nodes: then it is always sent with PUT (see :func:`push`)
    blank_nodes: bool = False

    @property
    def label(self) -> str:
        return f"source {self.name}" if self.kind == "source" else self.name

    @property
    def what(self) -> str:
        if self.kind == "source":
            return f"the graph of source '{self.name}' <{self.iri}>"
        return f"the {self.name} graph <{self.iri}>"


def payload(iri: str, kind: str, name: str, graph: Graph | Triples) -> Payload:
    data, blank_nodes = canonical(graph)
    return Payload(str(iri), kind, name, data, data.count(b"\n"), content_hash(data), blank_nodes)


def dataset_base(dataset: Dataset | FileGraphs) -> str:
    """The base IRI of a built dataset, from its registry graph. Raises :class:`StoreError` without one."""
    bases = sorted(str(g.identifier)[: -len(REGISTRY_SUFFIX)] for g in dataset.graphs()
                   if str(g.identifier).endswith(REGISTRY_SUFFIX) and len(g))
    if len(bases) != 1:
        if not bases:
            raise StancegraphError(
                "the input holds no registry graph (<BASE>graph/registry): push the annotation files, or a "
                ".trig, .nq or .jsonld file built from them (Turtle and N-Triples files keep no named graphs)")
        raise StancegraphError(f"the input holds {len(bases)} registry graphs ({', '.join(bases)}); push one dataset at a time")
    return bases[0]


#: a graph to push, not serialised yet: its IRI, kind, name and the graph itself
Item = tuple[str, str, str, Any]
_KIND_ORDER = {"registry": 0, "ontology": 1, "source": 2}


def graph_items(dataset: Dataset | FileGraphs, *, ontology: bool = True) -> tuple[str, list[Item]]:
    """The base IRI and the graphs to push, in the order they are pushed: the registry, (by default) the
    ontology, each source. Raises :class:`StancegraphError` for an input that is not one stancegraph dataset."""
    base = dataset_base(dataset)
    out: list[Item] = []
    for graph in dataset.graphs():
        iri = str(graph.identifier)
        if not len(graph):
            continue
        if iri == f"{base}{REGISTRY_SUFFIX}":
            out.append((iri, "registry", "registry", graph))
        elif iri.startswith(f"{base}{SOURCE_INFIX}"):
            out.append((iri, "source", iri[len(base) + len(SOURCE_INFIX):], graph))
        elif iri == str(ONTOLOGY_GRAPH):
            continue  # the vocabulary is added below, from the package, when asked for
        elif iri == f"{base}{META_SUFFIX}":
            continue
        else:
            raise StancegraphError(f"the input holds a graph that stancegraph did not make: <{iri}>; push the "
                                   "annotation files, or a graph file built from them")
    if ontology:
        out.append((str(ONTOLOGY_GRAPH), "ontology", "ontology", None))  # vocabulary_graph(), when prepared
    out.sort(key=lambda item: (_KIND_ORDER[item[1]], item[2]))
    return base, out


def prepare(item: Item) -> Payload:
    iri, kind, name, graph = item
    return payload(iri, kind, name, vocabulary_graph() if graph is None else graph)


def payloads(dataset: Dataset | FileGraphs, *, ontology: bool = True) -> tuple[str, list[Payload]]:
    """The base IRI and the graphs to push: the registry, each source, and (by default) the ontology."""
    base, items = graph_items(dataset, ontology=ontology)
    return base, [prepare(item) for item in items]


def meta_graph_iri(base: str) -> str:
    return f"{base}{META_SUFFIX}"


def read_hashes(graph: Graph | None) -> dict[str, set[str]]:
    """``{graph IRI: recorded hashes}`` from a meta graph; more than one hash means "unknown"."""
    recorded: dict[str, set[str]] = {}
    if graph is None:
        return recorded
    for subject, obj in graph.subject_objects(CONTENT_HASH):
        recorded.setdefault(str(subject), set()).add(str(obj))
    return recorded


def fetch_hashes(store: GraphStore, iri: str) -> dict[str, set[str]] | None:
    """The hashes the meta graph ``iri`` records (:func:`read_hashes`), ``None`` when the store has no such
    graph. A reply in N-Triples is read by pyoxigraph (rdflib took 0.5 s for the 20,000 triples of a meta
    graph of 10,000 sources), any other by rdflib."""
    import pyoxigraph

    from .protocol import READ_ACCEPT, _parse_reply

    what = f"the meta graph <{iri}>"
    reply = store.request("GET", iri, accept=READ_ACCEPT, what=what, ok_statuses=(404,))
    if reply.status == 404:
        return None
    if reply.content_type.split(";")[0].strip().lower() not in ("application/n-triples", "text/plain"):
        return read_hashes(_parse_reply(reply, f"the GET of {what}", store.endpoint))
    try:
        triples = pyoxigraph.parse(reply.body, format=pyoxigraph.RdfFormat.N_TRIPLES)
        recorded: dict[str, set[str]] = {}
        predicate = pyoxigraph.NamedNode(str(CONTENT_HASH))
        for triple in triples:
            if triple.predicate == predicate and type(triple.subject) is pyoxigraph.NamedNode:
                recorded.setdefault(triple.subject.value, set()).add(triple.object.value)
        return recorded
    except SyntaxError:
        return read_hashes(_parse_reply(reply, f"the GET of {what}", store.endpoint))  # rdflib says what is wrong


def hash_triples(hashes: Mapping[str, Iterable[str]]) -> bytes:
    graph = Graph()
    for iri, values in hashes.items():
        for value in values:
            graph.add((URIRef(iri), CONTENT_HASH, Literal(value)))
    return ntriples(graph)


# --------------------------------------------------------------------------------------------------
# Planning and pushing


@dataclass(frozen=True)
class Change:
    payload: Payload
    state: str  # "new" | "changed" | "unchanged"


@dataclass
class PushPlan:
    """What a push would do: for each graph of the input, whether the store has it as it is here."""

    endpoint: str
    base: str
    changes: list[Change]
    recorded: dict[str, set[str]]
    #: graphs that the meta graph lists but the input does not have (kept, unless pruned)
    extra: list[str]
    prune: bool = False
    #: whether new graphs may be added in chunks of N-Quads (``POST`` adds, it does not replace): not when
    #: the store has no meta graph but holds this dataset's registry graph (someone deleted the record)
    chunks: bool = True
    #: the graphs not compared yet, after those of ``changes``, the next one last (a lazy plan: see :meth:`stream`)
    unprepared: list[Item] = field(default_factory=list, repr=False)

    def stream(self) -> Iterator[Change]:
        """Each change of the plan, serialising and comparing the graphs not compared yet as it goes (they
        join ``changes``), so that :func:`push` can send some while it prepares the others."""
        done = 0
        while True:
            if done < len(self.changes):
                done += 1
                yield self.changes[done - 1]
            elif self.unprepared:
                item = prepare(self.unprepared[-1])  # the list is kept in reverse (see plan_push): pop() is O(1)
                hashes = self.recorded.get(item.iri)
                state = "new" if not hashes else "unchanged" if hashes == {item.hash} else "changed"
                self.changes.append(Change(item, state))
                self.unprepared.pop()
            else:
                return

    @property
    def all_changes(self) -> list[Change]:
        """Every change, each graph compared (what a lazy plan has not done yet, done now)."""
        for _ in self.stream():
            pass
        return self.changes

    @property
    def total(self) -> int:
        """How many graphs the input has (compared or not)."""
        return len(self.changes) + len(self.unprepared)

    @property
    def meta_graph(self) -> str:
        return meta_graph_iri(self.base)

    @property
    def to_send(self) -> list[Change]:
        return [c for c in self.all_changes if c.state != "unchanged"]

    @property
    def unchanged(self) -> list[Change]:
        return [c for c in self.all_changes if c.state == "unchanged"]

    @property
    def to_delete(self) -> list[str]:
        return self.extra if self.prune else []

    def final_hashes(self) -> dict[str, set[str]]:
        """The meta graph as it should be once every graph of the plan is sent."""
        hashes = {iri: set(values) for iri, values in self.recorded.items() if not (self.prune and iri in self.extra)}
        for change in self.all_changes:
            hashes[change.payload.iri] = {change.payload.hash}
        return hashes

    @property
    def meta_is_current(self) -> bool:
        return self.final_hashes() == self.recorded

    @property
    def nothing_to_do(self) -> bool:
        return not self.to_send and not self.to_delete and self.meta_is_current


def plan_push(store: GraphStore, dataset: Dataset | FileGraphs, *, ontology: bool = True, prune: bool = False,
              lazy: bool = False) -> PushPlan:
    """Compare the input with what the store's meta graph records. Reads the store, changes nothing.

    With ``lazy``, the graphs are serialised and compared only as :meth:`PushPlan.stream` (or :func:`push`)
    reaches them: a push can then send the first graphs while it prepares the others."""
    base, items = graph_items(dataset, ontology=ontology)
    meta = fetch_hashes(store, meta_graph_iri(base))
    chunks = True
    if meta is None:
        store.check()  # nothing pushed yet, or a wrong URL? (a wrong URL would make every graph look new)
        registry = f"{base}{REGISTRY_SUFFIX}"
        # no record, yet the dataset is there: "new" graphs may be in the store, so each is replaced whole
        chunks = not store.exists(registry, what=f"the registry graph <{registry}>")
    recorded = meta or {}
    local = {item[0] for item in items}
    extra = sorted(iri for iri in recorded if iri not in local and iri != str(ONTOLOGY_GRAPH))
    plan = PushPlan(store.endpoint, base, [], recorded, extra, prune, chunks, items[::-1] if lazy else [])
    if not lazy:
        plan.unprepared = items[::-1]
        plan.all_changes  # noqa: B018 - compares every graph now
    return plan


class ConcurrentPush(StoreError):
    """Another push changed the meta graph while this one ran."""


def _compare_and_set(store: GraphStore, plan: PushPlan, posted: dict[str, set[str]], result: PushResult) -> None:
    """Replace the meta graph with the plan's final hashes, if it is still what this push read and added; else
    another push ran at the same time (from another machine: pushes from one machine wait for each other), and
    the graphs both sent may hold either's data. Their hashes are then taken out of the meta graph, so that
    the next push sends them again, and :class:`ConcurrentPush` says so."""
    meta = plan.meta_graph
    meta_what = f"the meta graph <{meta}>"
    expected = {iri: set(hashes) for iri, hashes in plan.recorded.items()}
    for iri, hashes in posted.items():
        expected.setdefault(iri, set()).update(hashes)
    now = fetch_hashes(store, meta) or {}
    if now == expected:
        store.put(meta, hash_triples(plan.final_hashes()), what=meta_what)
        return
    touched = {c.payload.iri for c in result.sent} | set(result.deleted)
    others = sorted(iri for iri in set(now) | set(expected) if now.get(iri) != expected.get(iri))
    store.put(meta, hash_triples({iri: h for iri, h in now.items() if iri not in touched}), what=meta_what)
    raise ConcurrentPush(f"{store.endpoint}: another push changed the store's record of graphs while this one ran "
                         f"({len(others)} graph{'s' if len(others) != 1 else ''} recorded differently, e.g. <{others[0]}>). "
                         "Each graph is whole, but a graph both pushes sent holds the data of either; their records "
                         "were taken out, so run push again: it sends them anew", endpoint=store.endpoint,
                         graph=meta, status=409, passing=True)


def push_lock_file(endpoint: str, cache_dir: Path | None = None) -> Path:
    """The file that pushes to ``endpoint`` from this machine lock, in the build cache folder."""
    from stancegraph.graph.pipeline.cache import default_cache_dir

    folder = cache_dir or default_cache_dir()
    return folder / "locks" / (hashlib.sha256(endpoint.encode("utf-8")).hexdigest()[:32] + ".lock")


@dataclass
class PushResult:
    plan: PushPlan
    sent: list[Change] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def triples_sent(self) -> int:
        return sum(c.payload.triples for c in self.sent)

    @property
    def bytes_sent(self) -> int:
        return sum(len(c.payload.data) for c in self.sent)


#: the record in the meta graph of a graph whose data is being added by a chunk of N-Quads, written before
#: the chunk is sent: a push killed before the chunk's hashes are recorded leaves a record that no hash
#: equals, so the next push replaces such a graph whole (PUT) instead of adding to it again
SENDING = "sending"
#: triples per chunk of N-Quads (a graph is never split): about 9 MB for the benchmark corpus's graphs;
#: Oxigraph loads 1M quads in 10k, 30k or 100k-line chunks in the same time
CHUNK_TRIPLES = 50_000
#: fewer new graphs than this are each sent with PUT: a chunk costs two more requests than it saves
CHUNK_FROM = 20
#: graphs to PUT held back at most while a push finds out whether chunks pay (see :func:`push`)
HOLD = 100


def chunkable(plan: PushPlan, chunk_from: int = CHUNK_FROM) -> list[Change]:
    """The changes of ``plan`` that :func:`push` adds in chunks of N-Quads (see :func:`_may_chunk`), when
    there are ``chunk_from`` or more of them (for a plan whose graphs are all compared)."""
    found = [c for c in plan.to_send if _may_chunk(plan, c)]
    return found if len(found) >= max(1, chunk_from) else []


def _may_chunk(plan: PushPlan, change: Change) -> bool:
    """New registry and source graphs without blank nodes (the record says the store has none of them).
    Changed graphs are replaced whole (PUT); the vocabulary's graph is shared by the datasets of a store
    (another dataset's push may have sent it), so it is always PUT; blank node labels of one N-Quads
    document are shared by all its graphs."""
    return (plan.chunks and change.state == "new" and change.payload.kind in ("registry", "source")
            and not change.payload.blank_nodes)


def nquads(changes: Iterable[Change]) -> bytes:
    """The N-Quads of ``changes``: each graph's canonical N-Triples (the bytes its hash is of), every line
    given the graph's name. A line of N-Triples ends with " ." and a literal holds no raw line break, so
    " .\n" occurs at the ends of lines only."""
    return b"".join(c.payload.data.replace(b" .\n", f" <{c.payload.iri}> .\n".encode("utf-8")) for c in changes)


def _chunk_what(chunk: list[Change]) -> str:
    if len(chunk) == 1:
        return f"{chunk[0].payload.what} as N-Quads"
    return (f"{len(chunk)} graphs as N-Quads ({chunk[0].payload.label} … {chunk[-1].payload.label}, "
            f"{sum(c.payload.triples for c in chunk):,} triples)")


def _ahead(changes: Iterator[Change], size: int) -> Iterator[Change]:
    """``changes``, made by a thread of their own up to ``size`` ahead of the one taking them: the
    serialising and hashing of the next graphs goes on while this thread waits for the store's reply (the
    waiting lets go of the interpreter), on a machine with a core to spare for it."""
    import queue
    import threading

    made: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=size)
    stop = threading.Event()

    def give(kind: str, value: Any) -> bool:
        """Hand one over; ``False`` once the taker has stopped taking."""
        while not stop.is_set():
            try:
                made.put((kind, value), timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def make() -> None:
        try:
            for change in changes:
                if not give("change", change):
                    return
            give("end", None)
        except BaseException as exc:  # handed over, raised where the changes are taken
            give("error", exc)

    thread = threading.Thread(target=make, name="stancegraph-push-prepare", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = made.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        thread.join()


def push(
    store: GraphStore,
    plan: PushPlan,
    *,
    progress: Callable[[Change], None] | None = None,
    record_every: int = 100,
    chunk_triples: int = CHUNK_TRIPLES,
    chunk_from: int = CHUNK_FROM,
    note: Callable[[str], None] | None = None,
    unchanged: Callable[[Change], None] | None = None,
) -> PushResult:
    """Carry out ``plan``: add the new graphs in chunks of N-Quads, PUT each other new or changed graph, then
    record their hashes in the meta graph.

    New graphs (:func:`_may_chunk`) go in chunks of about ``chunk_triples`` triples, each one ``POST`` of
    N-Quads to the endpoint (one transaction per chunk, where one per graph cost Oxigraph ~3 ms each), once
    ``chunk_from`` of them (or a chunk's worth of triples) are found; fewer are PUT like the others. Before
    each chunk its graphs are marked :data:`SENDING` in the meta graph (with the hashes of graphs PUT since
    the last record), so that a push killed before the final record leaves those graphs to be replaced
    whole by the next push. A store that refuses a chunk (a 4xx: it takes no N-Quads there) gets the rest with
    ``PUT``, and ``note`` says so. Hashes of graphs sent with PUT are added to the meta graph (POST) every
    ``record_every`` graphs; the meta graph is replaced whole (PUT) at the end. The graphs of a lazy plan
    (:func:`plan_push`) are prepared by a thread of their own while the store works. ``progress`` is called
    for each graph sent, ``unchanged`` for each one that needs no sending.
    Raises :class:`PushFailed` at the first failure: each graph is then either old or new, whole.
    """
    started = time.monotonic()
    result = PushResult(plan)
    pending: dict[str, set[str]] = {}
    meta = plan.meta_graph
    meta_what = f"the meta graph <{meta}>"

    posted: dict[str, set[str]] = {}  # what this push added to the meta graph as it went

    def record(extra: Mapping[str, set[str]] | None = None) -> None:
        adding = {**pending, **(extra or {})}
        if adding:
            store.post(meta, hash_triples(adding), what=meta_what)
            for iri, hashes in adding.items():
                posted.setdefault(iri, set()).update(hashes)
            pending.clear()

    def sent(change: Change, *, chunked: bool = False) -> None:
        result.sent.append(change)
        if not chunked:  # a chunk's graph keeps its mark until the end: a mark and a hash would mean "unknown" too
            pending[change.payload.iri] = {change.payload.hash}
        if progress is not None:
            progress(change)

    def put(change: Change) -> None:
        store.put(change.payload.iri, change.payload.data, what=change.payload.what)
        sent(change)
        if len(pending) >= record_every:
            record()

    chunk: list[Change] = []
    refused = False

    def send_chunk() -> None:
        nonlocal refused
        taking = chunk[:]
        chunk.clear()
        if refused:
            for change in taking:
                put(change)
            return
        record({c.payload.iri: {SENDING} for c in taking})  # write ahead
        try:
            store.post_quads(nquads(taking), what=_chunk_what(taking))
        except StoreError as exc:
            if exc.passing or exc.status is None or not 400 <= exc.status < 500:
                raise
            refused = True  # the store takes no N-Quads here (or not these): one graph at a time, with PUT
            if note is not None:
                note(f"{store.endpoint} refused new graphs as N-Quads (HTTP {exc.status}); sending each graph "
                     "with PUT instead")
            for change in taking:
                put(change)
            return
        for change in taking:
            sent(change, chunked=True)

    def take(change: Change) -> None:
        if not refused and _may_chunk(plan, change):
            chunk.append(change)
            if sum(c.payload.triples for c in chunk) >= chunk_triples:
                send_chunk()
        else:
            put(change)

    # changes are held (in order) until it is clear whether chunks pay: chunk_from graphs that may go in
    # chunks, or a chunk's worth of triples; then None. Past HOLD held, the others are PUT meanwhile.
    waiting: list[Change] | None = [] if plan.chunks else None
    may, may_triples = 0, 0
    changes = _ahead(plan.stream(), 2_000) if plan.unprepared else plan.stream()
    try:
        for change in changes:
            if change.state == "unchanged":
                if unchanged is not None:
                    unchanged(change)
                continue
            if waiting is None:
                take(change)
                continue
            waiting.append(change)
            if _may_chunk(plan, change):
                may, may_triples = may + 1, may_triples + change.payload.triples
            if may >= max(1, chunk_from) or may_triples >= chunk_triples:
                for held in waiting:
                    take(held)
                waiting = None
            elif len(waiting) >= HOLD:
                for held in waiting:
                    if not _may_chunk(plan, held):
                        put(held)
                waiting = [held for held in waiting if _may_chunk(plan, held)]
        for held in waiting or []:
            put(held)  # too few new graphs for chunks
        if chunk:
            send_chunk()
        for iri in plan.to_delete:
            store.delete(iri, what=f"graph <{iri}>")
            result.deleted.append(iri)
        if not plan.meta_is_current or result.sent or result.deleted:
            _compare_and_set(store, plan, posted, result)
    except StoreError as exc:
        changes.close()  # the preparing thread stops before the plan is read below
        if pending and not exc.passing and exc.status is not None and exc.graph != meta:
            # the server still answers (it refused one graph): record what was sent so far, one try
            try:
                store.retries, retries = 0, store.retries
                record()
            except StoreError:
                pass
            finally:
                store.retries = retries
        total = len(plan.to_send) + len(plan.to_delete)
        raise PushFailed(exc, len(result.sent) + len(result.deleted), total) from None
    finally:
        changes.close()
    result.seconds = time.monotonic() - started
    return result
