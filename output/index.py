"""The index beside a graph file: what the analysis commands read instead of the file, once it was read.

A graph file is known by the SHA-256 of its bytes; the index of a file is a folder of the cache
(``<cache>/index/<digest[:2]>/<digest>/``) holding what reading it cost:

- ``projection-<key>.pickle``: the projection (:func:`stancegraph.output.labels.project`) with what it
  found to skip (``graph.graph["skipped"]``) and each node's names in every language
  (``graph.graph["names"]``), one per set of ``--lang`` (``build`` writes the one without);
- ``answers/<key>.pickle``: the answer of a SPARQL query (its rows, or true or false), kept as it was
  given. The first query of a file reads the file into a store in memory, which answers it and every
  query of the shipped library (``answers/library-<key>`` notes that it did);
- ``store/``: a pyoxigraph on-disk store of the file's quads, with the vocabulary in a graph of its own,
  made by the first query that is neither of those (loaded by the bulk loader while a store in memory
  answers that query), which answers the queries asked after it;
- ``prefixes.json``: the prefixes the Turtle or TriG file declares (what ``query`` prints IRIs with);
- ``answers/<name>-<key>.pickle``: the answers of ``stats``, ``matrix`` and ``contradictions``
  (:data:`stancegraph.output.analysis.KEPT`) on the projection, made with it.

Each part is made on first use, in a temporary file or folder and renamed into place: several readers at
once each see a whole part or none, and a reader that loses the race to make a part uses the winner's.
The digest itself is remembered per file path with the file's size, modification time and inode, so a
file read again is not hashed again; anything that changes one of them (an edit, a replacement, a touch)
makes the file hashed again, and a changed file has another digest, hence another index.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancegraph.graph.files import WriteError, atomic_write
from stancegraph.graph.forking import forked, reaped

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import networkx as nx
    import pyoxigraph

#: changes when what an index entry holds changes shape
INDEX_FORMAT = "3"  # 2: a projection is kept with the name it was made for; answers; 3: prefixes.json beside the store
_STATS = "files"  # <index>/files/<sha of the path>.json: the digest of a file last seen with this stat


def index_root(cache_dir: Path | None = None) -> Path:
    """``<cache>/index``, in the build's default cache folder unless ``cache_dir`` is given."""
    from stancegraph.graph.pipeline.cache import default_cache_dir

    return (cache_dir or default_cache_dir()) / "index"


@cache
def _code() -> str:
    """What a pickled projection depends on: the code that makes it, the vocabulary, the versions."""
    import networkx
    import pyoxigraph

    here = Path(__file__).parent
    digest = hashlib.sha256(f"{INDEX_FORMAT}\0{sys.version}\0{networkx.__version__}\0{pyoxigraph.__version__}".encode())
    for name in ("projection.py", "dates.py", "graphcheck.py", "graphfile.py", "labels.py", "index.py", "query.py",
                 "analysis.py"):
        digest.update((here / name).read_bytes())
    from importlib.util import find_spec

    ontology = find_spec("stancegraph.ontology")
    assert ontology is not None and ontology.submodule_search_locations
    digest.update(Path(ontology.submodule_search_locations[0], "stancegraph.ttl").read_bytes())
    return digest.hexdigest()


def _stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def file_digest(path: Path, root: Path) -> str:
    """The SHA-256 of the file's bytes; taken from the last time it was hashed when its size, times and
    inode are still those it had then."""
    path = Path(os.path.abspath(path))
    memo = root / _STATS / (hashlib.sha256(os.fsencode(path)).hexdigest() + ".json")
    before = os.stat(path)
    with contextlib.suppress(OSError, ValueError, KeyError):
        seen = json.loads(memo.read_text("utf-8"))
        if seen["stat"] == _stat_key(before) and seen["path"] == str(path):
            return str(seen["digest"])
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    after = os.stat(path)
    if _stat_key(after) != _stat_key(before):  # written to while hashed: hash it again next time
        return digest.hexdigest()
    with contextlib.suppress(OSError, WriteError):
        memo.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(memo, json.dumps({"path": str(path), "stat": _stat_key(after), "digest": digest.hexdigest()}).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Index:
    """The index entry of one graph file (made part by part, on first use)."""

    path: Path
    folder: Path

    @classmethod
    def of(cls, path: Path | str, cache_dir: Path | None = None) -> Index:
        root = index_root(cache_dir)
        digest = file_digest(Path(path), root)
        return cls(Path(path), root / digest[:2] / digest)

    def _mark(self) -> None:
        """Note which file this entry is of, and when it was last used (for ``cache info`` and ``prune``)."""
        with contextlib.suppress(OSError, WriteError):
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write(self.folder / "entry.json", json.dumps(
                {"path": os.path.abspath(self.path), "used": time.time()}).encode())

    def _key(self, languages: Sequence[str]) -> str:
        return hashlib.sha256(json.dumps([_code(), list(languages)]).encode()).hexdigest()[:24]

    def projection(self, origin: str, languages: Sequence[str],
                   make: Callable[[str], nx.MultiDiGraph]) -> nx.MultiDiGraph:
        """The projection of the file, as ``make(origin)`` gives it (and then kept, with the answers of
        :data:`.analysis.KEPT` on it), or as it was kept.

        One is kept per set of languages, whatever name the file was given by (``build`` keeps it under
        the name it wrote the file to; ``stats`` may be given another): the problems of what the
        projection skipped are named anew with ``origin`` when it is read back."""
        key = self._key(languages)
        kept = _read_kept(self.folder / f"projection-{key}.pickle")
        if kept is not None:
            made_for, graph = kept
            graph.graph["skipped"] = _renamed(graph.graph.get("skipped") or [], made_for, origin)
            return graph
        with collector_paused():
            graph = make(origin)
            self._mark()
            from .analysis import KEPT

            # the projection kept and the answers made from it, shared by two processes when they can
            # (half a second each on the 10,000-source corpus, where making the projection takes five)
            work = [None, *KEPT]
            kept_at = [self.folder / f"projection-{key}.pickle",
                       *(self.folder / "answers" / f"{name}-{key}.pickle" for name in KEPT)]

            def keep(i: int) -> None:
                if work[i] is None:
                    _keep(kept_at[0], (origin, graph))
                else:
                    self._analysed(key, origin, work[i], graph)

            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                claims = Path(tempfile.mkdtemp(prefix=".claims-", dir=self.folder))
            except OSError:
                return graph  # nothing can be kept: the projection stands all the same
            try:
                _shared(len(work), keep, lambda i: kept_at[i].exists(), claims, threads=False)
            finally:
                shutil.rmtree(claims, ignore_errors=True)
        return graph

    def analysed(self, origin: str, languages: Sequence[str], name: str,
                 make: Callable[[str], nx.MultiDiGraph]) -> tuple[Any, list[Any]]:
        """The answer of ``.analysis.KEPT[name]`` on the projection (:meth:`projection`) and the nodes it
        skipped: as kept, or computed and kept. A kept answer needs no projection read: ``stats`` and
        ``contradictions`` of the 10,000-source corpus take a third of a second instead of one."""
        key = self._key(languages)
        graph = None
        while True:
            kept = _read_kept(self.folder / "answers" / f"{name}-{key}.pickle")
            if kept is not None:
                made_for, skipped, answer = kept
                return answer, _renamed(skipped, made_for, origin)
            if graph is not None:  # the projection was there, or could not be kept: the answer is made now
                return self._analysed(key, origin, name, graph)
            graph = self.projection(origin, languages, make)  # when it is made now, so are the answers

    def _analysed(self, key: str, origin: str, name: str, graph: nx.MultiDiGraph) -> tuple[Any, list[Any]]:
        from .analysis import KEPT

        answer, skipped = KEPT[name](graph), graph.graph.get("skipped") or []
        _keep(self.folder / "answers" / f"{name}-{key}.pickle", (origin, skipped, answer))
        return answer, skipped

    def answer(self, text: str) -> Any:
        """The :class:`.query.QueryResult` of SPARQL ``text`` on the file's store: as kept when it was
        asked before (a SELECT's rows, an ASK's answer), else answered now and kept. Answering on the
        on-disk store takes seconds for a query joining the statements of a million triples (6 s for
        ``stances`` on the 10,000-source corpus): a kept answer is read in a tenth of one."""
        kept_at = self._kept_at(text)
        kept = _read_kept(kept_at)
        if kept is not None:
            return _kept_result(kept)
        folder = self.folder / "store"
        if not (folder / "done").exists():
            return self._first_answer(folder, text)
        return self._answered(self.store(), text, self.namespaces(), kept_at)

    def store(self) -> pyoxigraph.Store:
        """The file's on-disk store, read-only: made by the first query never asked before that comes
        after the file's first query (:meth:`_first_answer`)."""
        import pyoxigraph

        return pyoxigraph.Store.read_only(str(self.folder / "store"))

    def _kept_at(self, text: str) -> Path:
        return self.folder / "answers" / (hashlib.sha256(f"{_code()}\0{text}".encode()).hexdigest()[:32] + ".pickle")

    def _answered(self, store: pyoxigraph.Store, text: str, namespaces: Any, kept_at: Path) -> Any:
        with collector_paused():  # the rows of a large answer are many small objects
            result = _materialised(store, text, namespaces)
        if result.kind != "graph":
            _keep(kept_at, (result.kind, result.columns, result.rows, result.answer))
        return result

    def _first_answer(self, folder: Path, text: str) -> Any:
        """A query of the file while it has no on-disk store: its quads read into a store in memory,
        which answers ``text``.

        The first query of the file answers every query of the shipped library there too, and keeps
        them (each one later is read back): Oxigraph answers them ten times faster in memory than on
        disk (2.9 s against 26 s on the 10,000-source corpus). A query asked later for the first time
        also makes the on-disk store for the queries to come, loaded from the file by pyoxigraph's bulk
        loader in another thread (which lets go of the interpreter) while the store in memory answers:
        the first query does not wait for it, and costs about what the build of the file does."""
        import threading

        from .query import QueryError, library

        marker = self.folder / "answers" / f"library-{self._key(())}"
        first = not marker.exists()
        self.folder.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=".store-", dir=self.folder))
        failed: list[BaseException] = []

        def load() -> None:
            try:
                _bulk_loaded(self.path, temp / "store")
            except BaseException as exc:  # noqa: BLE001 (the store is not made: the answer stands)
                failed.append(exc)

        loader = threading.Thread(target=load, name="stancegraph-index-store", daemon=True)
        bulk = not first and _bulk_format(self.path) is not None
        try:
            if bulk:
                loader.start()
            memory, declared = _in_memory(self.path)
            namespaces = _namespaces(declared)
            with contextlib.suppress(OSError, WriteError):
                atomic_write(self.folder / "prefixes.json", json.dumps(declared).encode())
            result = self._answered(memory, text, namespaces, self._kept_at(text))
            if first:
                texts = [named.text for named in library().values() if named.text != text]

                def answer(i: int) -> None:
                    with contextlib.suppress(QueryError):
                        self._answered(memory, texts[i], namespaces, self._kept_at(texts[i]))

                # shared with a second process (a fork, which shares the store in memory), or else a
                # second thread: Oxigraph lets go of the interpreter while it evaluates
                _shared(len(texts), answer, lambda i: self._kept_at(texts[i]).exists(), temp, threads=True)
                with contextlib.suppress(OSError, WriteError):
                    atomic_write(marker, b"")
                self._mark()
                return result
            del memory
            if bulk:
                loader.join()
            else:  # JSON-LD: its quads go through Python (read_quads checks its depth first), now
                load()
            if not failed:
                self._place(temp, folder)
            return result
        finally:
            if loader.is_alive():  # the file could not be read: the loader fails on it too, soon
                loader.join()
            shutil.rmtree(temp, ignore_errors=True)

    def _place(self, temp: Path, folder: Path) -> None:
        """Rename the store made in ``temp`` into place, as done; another reader's, made first, is kept."""
        (temp / "store" / "done").write_bytes(b"")
        try:
            os.rename(temp / "store", folder)
        except OSError:  # another reader made it first: use theirs
            if not (folder / "done").exists():
                raise
        self._mark()

    def namespaces(self) -> Any:
        """An empty rdflib dataset with the prefixes :func:`.graphfile.read_graph` binds for the file
        (stancegraph's, and those the Turtle or TriG file declares): what ``query`` prints IRIs with."""
        declared: list[tuple[str, str]] = []
        with contextlib.suppress(OSError, ValueError):
            declared = [tuple(p) for p in json.loads((self.folder / "prefixes.json").read_text("utf-8"))]
        return _namespaces(declared)


def _shared(count: int, do: Callable[[int], None], done: Callable[[int], bool], claims: Path, *,
            threads: bool) -> None:
    """``do(i)`` for every ``i < count``, taken in turn by this process and a child forked from it (each
    ``i`` by whichever claims it first: a file made anew in the folder ``claims``); where forking is not
    safe, a second thread takes its share when ``threads`` (for work that lets go of the interpreter),
    else this process does it all. What a failed child left undone (``not done(i)``) is done here."""
    def share() -> None:
        for i in range(count):
            try:
                os.close(os.open(claims / f"claim-{i}", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                continue
            do(i)

    child = forked(share)
    if child is not None:
        share()
        if not reaped(child):
            for i in range(count):
                if not done(i):
                    do(i)
        return
    if not threads:
        share()
        return
    import threading

    other = threading.Thread(target=share, name="stancegraph-index")
    other.start()
    try:
        share()
    finally:
        other.join()


def read_quads_of(path: Path, declared: list[tuple[str, str]]) -> Any:
    from .graphfile import read_quads

    return read_quads([path], declared)


def _bulk_format(path: Path) -> Any:
    """The pyoxigraph format in which the bulk loader reads ``path`` itself, or None (JSON-LD: checked
    first in Python, for a depth that would crash the parser)."""
    import pyoxigraph

    from .graphfile import _OXIGRAPH_FORMATS
    from .rdf import EXTENSIONS

    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None or fmt == "json-ld":
        return None
    return getattr(pyoxigraph.RdfFormat, _OXIGRAPH_FORMATS[fmt])


def _filled(store: pyoxigraph.Store, path: Path, declared: list[tuple[str, str]] | None = None) -> pyoxigraph.Store:
    """``store`` with the quads of the graph file ``path`` and the vocabulary in its graph. pyoxigraph's bulk
    loader reads the file itself, in Rust (3.4 s for the 10,000-source corpus, against 4.8 s through
    Python), unless the prefixes a Turtle or TriG file declares are wanted (``declared``: filled with
    them) or the file is JSON-LD; a file it refuses is read through Python, which says where and what is
    wrong as every command does."""
    fmt = _bulk_format(path)
    if fmt is not None and not (declared is not None and path.suffix.lower() in (".ttl", ".trig")):
        try:
            store.bulk_load(path=str(path), format=fmt, base_iri=path.absolute().as_uri())
        except (SyntaxError, OSError):
            pass
        else:
            store.bulk_extend(_with_vocabulary(()))
            return store
    store.bulk_extend(_with_vocabulary(read_quads_of(path, [] if declared is None else declared)))
    return store


def _in_memory(path: Path) -> tuple[pyoxigraph.Store, list[tuple[str, str]]]:
    """A store in memory holding the graph file's quads and the vocabulary (:func:`_filled`), and the
    prefixes the file declares."""
    import pyoxigraph

    declared: list[tuple[str, str]] = []
    return _filled(pyoxigraph.Store(), path, declared), declared


def _bulk_loaded(path: Path, folder: Path) -> None:
    """An on-disk store at ``folder`` holding the quads of the graph file ``path`` and the vocabulary
    (:func:`_filled`)."""
    import pyoxigraph

    store = _filled(pyoxigraph.Store(str(folder)), path)
    store.flush()
    del store  # closes it


def _namespaces(declared: list[tuple[str, str]]) -> Any:
    """An empty rdflib dataset with stancegraph's prefixes and the ``declared`` ones (at most
    :data:`.graphcheck.MAX_BOUND_PREFIXES`)."""
    from rdflib import Dataset

    from stancegraph.ontology import bind_prefixes

    from .graphcheck import MAX_BOUND_PREFIXES

    dataset = bind_prefixes(Dataset())
    for prefix, namespace in declared[:MAX_BOUND_PREFIXES]:
        dataset.bind(prefix, namespace)
    return dataset


def _kept_result(kept: Any) -> Any:
    from .query import QueryResult

    kind, columns, rows, answer = kept
    return QueryResult(kind, columns, rows, answer=answer)


@contextlib.contextmanager
def collector_paused() -> Any:
    """The cyclic garbage collector off while a projection, an answer or a pickle is made, and what
    was made frozen afterwards.

    A projection of a million triples is half a million small dicts and lists: making or unpickling
    them set off collection after collection, each scanning all that was made so far (making the
    projection of the 10,000-source corpus and its kept answers took 8.0 s with the collector, 5.3 s
    without; unpickling it 0.6 s against 0.16 s). Frozen, they are not scanned again by the
    collections the command's own work sets off; a command's process ends soon after, and what
    refcounting frees is freed all the same."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.freeze()


def _unpickled(f: Any) -> Any:
    """``pickle.load(f)`` with the cyclic garbage collector paused (:func:`collector_paused`)."""
    with collector_paused():
        return pickle.load(f)  # noqa: S301 (our own cache folder, written by this code)


def _read_kept(path: Path) -> Any:
    """What ``path`` holds (a pickle this module wrote), or None when it cannot be read."""
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError,
                             TypeError):
        with open(path, "rb") as f:
            return _unpickled(f)
    return None


def _keep(path: Path, value: Any) -> bool:
    """Keep ``value`` at ``path``, pickled; False when it cannot be written (the answer stands all the same)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, WriteError):
        return False
    return True


def _renamed(skipped: list[Any], made_for: str, origin: str) -> list[Any]:
    """The skipped nodes' problems, naming the file ``origin`` where they named it ``made_for``."""
    import dataclasses

    from stancegraph.graph.errors import Loc

    if made_for == origin:
        return skipped
    return [dataclasses.replace(s, problem=dataclasses.replace(s.problem, loc=Loc(origin, s.problem.loc.line, s.problem.loc.col)))
            if s.problem.loc.path == made_for else s for s in skipped]


def _materialised(store: pyoxigraph.Store, text: str, namespaces: Any) -> Any:
    """:func:`.query.run_store` with a SELECT's rows read whole, as the terms :func:`.query.term_text`
    gives the same text for (rdflib's IRIs, literals as text): what an answer is kept as."""
    from .query import QueryError, _from_oxigraph, run_store

    result = run_store(store, text, namespaces)
    if result.kind == "select":
        # each distinct term converted once: the rows share it, and a kept answer pickles it once
        # (the library's answers on the 10,000-source corpus repeat each term five times over)
        seen: dict[Any, Any] = {}

        def converted(term: Any) -> Any:
            if term is None:
                return None
            held = seen.get(term)
            if held is None:
                held = seen[term] = _from_oxigraph(term)
            return held

        try:  # Oxigraph's rows are read as they are taken: an error in evaluating surfaces here
            result.rows = [[converted(t) for t in row] for row in result.rows]
        except OSError as exc:
            raise QueryError(f"the query could not be answered: {' '.join(str(exc).split())[:400]}") from None
    return result


def _with_vocabulary(quads: Any) -> Any:
    """``quads``, then the stancegraph vocabulary in its own graph (what ``query`` reads with the graph)."""
    import pyoxigraph

    from stancegraph.ontology import ONTOLOGY_IRI, vocabulary_graph

    yield from quads
    data = vocabulary_graph().serialize(format="nt", encoding="utf-8")
    graph = pyoxigraph.NamedNode(str(ONTOLOGY_IRI))
    for quad in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES):
        yield pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, graph)


@dataclass
class CacheInfo:
    folder: Path
    index_entries: int
    index_bytes: int
    build_entries: int
    build_bytes: int


def _size(folder: Path) -> int:
    total = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(dirpath, name)).st_size
    return total


def _entries(root: Path) -> list[Path]:
    return [e for d in sorted(root.glob("??")) if d.is_dir() for e in sorted(d.iterdir()) if e.is_dir()]


def cache_info(cache_dir: Path | None = None) -> CacheInfo:
    """How many entries the cache folder holds, and how many bytes: the index, and the build's."""
    root = index_root(cache_dir)
    folder = root.parent
    build = [f for d in folder.glob("??") if d.is_dir() for f in d.glob("*.nt")] if folder.is_dir() else []
    build_bytes = sum(f.stat().st_size for f in build if f.exists())
    entries = _entries(root) if root.is_dir() else []
    return CacheInfo(folder, len(entries), _size(root) if root.is_dir() else 0, len(build), build_bytes)


def prune(cache_dir: Path | None = None, *, everything: bool = False) -> tuple[int, int]:
    """Delete the index entries of graph files that are gone or changed since (all of them with
    ``everything``); returns how many entries and bytes were deleted."""
    root = index_root(cache_dir)
    if not root.is_dir():
        return 0, 0
    current: set[str] = set()
    for memo in (root / _STATS).glob("*.json"):
        try:
            seen = json.loads(memo.read_text("utf-8"))
            if not everything and _stat_key(os.stat(seen["path"])) == seen["stat"]:
                current.add(seen["digest"])
                continue
        except (OSError, ValueError, KeyError):
            pass
        memo.unlink(missing_ok=True)
    deleted = freed = 0
    for entry in _entries(root):
        if entry.name in current:
            continue
        freed += _size(entry)
        shutil.rmtree(entry, ignore_errors=True)
        deleted += 1
    return deleted, freed


def query_file(path: Path | str, text: str, *, use_index: bool = True) -> tuple[Any, Any]:
    """The :class:`.query.QueryResult` of SPARQL ``text`` on the graph file's quads and the vocabulary,
    answered by Oxigraph, and the dataset whose prefixes name IRIs in answers (:meth:`Index.namespaces`):
    on the index (its store, and the answers kept there: :meth:`Index.answer`), or (``use_index=False``,
    or a cache folder that cannot be written) on a store in memory, read afresh and kept nowhere."""
    if use_index:
        try:
            entry = Index.of(path)
        except OSError:
            entry = None  # unreadable: reading it below names the problem
        if entry is not None:
            try:
                return entry.answer(text), entry.namespaces()
            except OSError:  # the cache folder cannot be written: a store in memory, as with --no-index
                pass
    store, declared = _in_memory(Path(path))
    dataset = _namespaces(declared)
    with collector_paused():
        return _materialised(store, text, dataset), dataset


def projected(paths: list[Path | str], origin: str, languages: Sequence[str] = (), *, shacl: bool | None = None,
              unmapped: str = "error", warnings: list[str] | None = None, use_index: bool = True,
              skip_invalid: bool = False) -> nx.MultiDiGraph:
    """The projection of ``paths`` (:func:`stancegraph.output.labels.project`, labelled in ``languages``;
    ``origin`` names the input in problems). One graph file is read through its index
    (:mod:`.index`): the projection kept there the last time, or made and kept now; ``use_index=False``
    reads the file again and keeps nothing."""
    from .graphfile import load_for_projection, read_quads
    from .labels import project

    entry = _entry(paths) if use_index else None
    if entry is not None:
        return entry.projection(origin, languages, lambda name: project(read_quads(paths), name, languages))
    with collector_paused():
        return project(load_for_projection(paths, shacl=shacl, unmapped=unmapped, warnings=warnings,
                                           skip_invalid=skip_invalid), origin, languages)


def _entry(paths: list[Path | str]) -> Index | None:
    """The index entry of ``paths`` when they are one graph file that can be read."""
    from .graphfile import _all_graph_files

    if len(paths) != 1 or not _all_graph_files(paths):
        return None
    try:
        return Index.of(paths[0])
    except OSError:  # unreadable: reading it the usual way names the problem
        return None


def analysed(path: Path | str, origin: str, name: str, languages: Sequence[str] = ()) -> tuple[Any, list[Any]] | None:
    """The answer of ``.analysis.KEPT[name]`` on the graph file's projection, with the nodes the
    projection skipped, through the file's index (:meth:`Index.analysed`); None when the file has no
    index to go through (not a graph file, unreadable: the caller reads it the usual way)."""
    from .graphfile import read_quads
    from .labels import project

    entry = _entry([path])
    if entry is None:
        return None
    return entry.analysed(origin, languages, name, lambda named: project(read_quads([path]), named, languages))


def index_written(path: Path | str, origin: str) -> bool:
    """Make the index of the graph file ``build`` just wrote at ``path`` (named ``origin``): its projection,
    and the answers kept with it (:data:`.analysis.KEPT`), so that the first analysis command after a
    build reads no file. The Oxigraph store is left to the first ``query`` (it takes longer than the
    projection). Whether an index is there now: a graph with nothing to project, or a cache folder that
    cannot be written, leave none, and the build stands all the same."""
    from stancegraph.graph.errors import StancegraphError

    entry = _entry([path])
    if entry is None:
        return False
    if (entry.folder / f"projection-{entry._key(())}.pickle").exists():  # up to date, and indexed before
        return True
    try:
        projected([path], origin)
    except (StancegraphError, OSError):
        return False
    return any(entry.folder.glob("projection-*.pickle"))
