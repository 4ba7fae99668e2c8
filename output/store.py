"""Pushing a built dataset to a SPARQL store, one named graph at a time (SPARQL 1.1 Graph Store Protocol).

Layout in the store::

    <base>graph/registry              the registry (actors, proposals, conditions)
    <base>graph/source/<id>           one graph per source
    <https://w3id.org/stancegraph/ns> the vocabulary (stancegraph.ttl), shared by every dataset
    <base>graph/stancegraph-meta      one triple per graph pushed:
                                      <graph> sg:contentHash "sha256:…"

Each graph is sent whole with ``PUT``, which the protocol defines as "replace this graph": a push that
is killed half-way leaves every graph either as it was or as it is now, never a mixture. The content
hash of a graph is the SHA-256 of its sorted N-Triples (the very bytes sent), and it is recorded in the
store itself, *after* the graph was accepted, so that the next push, from any machine, sends only the
graphs whose content changed. A recorded hash can only be stale in the safe direction: at worst a graph
is sent again.

Only the standard library is used (http.client, ssl, netrc): one kept-alive connection per push.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import netrc
import os
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from stancegraph.graph.dataset import PREFIXES
from stancegraph.graph.errors import StancegraphError
from stancegraph.ontology import ONTOLOGY_IRI, SG, vocabulary_graph

#: the predicate of the meta graph: ``<graph> sg:contentHash "sha256:…"``
CONTENT_HASH = SG.contentHash
#: where the vocabulary goes: its own IRI, the same for every dataset in the store
ONTOLOGY_GRAPH = URIRef(str(ONTOLOGY_IRI))
N_TRIPLES = "application/n-triples"
READ_ACCEPT = f"{N_TRIPLES}, text/turtle;q=0.9, application/rdf+xml;q=0.5"
USER_AGENT = "stancegraph"

REGISTRY_SUFFIX = "graph/registry"
SOURCE_INFIX = "graph/source/"
META_SUFFIX = "graph/stancegraph-meta"

#: where the Graph Store endpoint of common stores is, for messages (docs/stores.md has more)
ENDPOINT_PATHS = ("Oxigraph: /store, Fuseki: /DATASET/data, GraphDB: /repositories/REPO/rdf-graphs/service, "
                  "Virtuoso: /sparql-graph-crud")
_REPLY_LIMIT = 300  # characters of a server's reply quoted in a message


class StoreError(StancegraphError):
    """A store could not be reached, or refused a request. The message names the endpoint and the graph."""

    def __init__(self, message: str, *, endpoint: str = "", graph: str = "", status: int | None = None,
                 passing: bool = False):
        super().__init__(message)
        self.endpoint = endpoint
        self.graph = graph
        self.status = status
        #: whether the cause may go away by itself (server down, timeout, 429, 5xx): worth trying again later
        self.passing = passing


class PushFailed(StoreError):
    """A push stopped part-way; ``sent`` graphs were replaced whole before the failure, the rest untouched."""

    def __init__(self, cause: StoreError, sent: int, total: int):
        super().__init__(str(cause), endpoint=cause.endpoint, graph=cause.graph, status=cause.status,
                         passing=cause.passing)
        self.cause = cause
        self.sent = sent
        self.total = total


class SettingsError(StancegraphError):
    """The endpoint or the credentials are set up wrongly (a usage problem, not a remote one)."""


# --------------------------------------------------------------------------------------------------
# Credentials


@dataclass(frozen=True)
class Credentials:
    """An ``Authorization`` header value and where it came from; the secret never shows in a repr."""

    header: str = field(repr=False)
    origin: str
    scheme: str  # "Basic" | "Bearer"


def credentials_for(endpoint: str, environ: Mapping[str, str] | None = None) -> Credentials | None:
    """Credentials for ``endpoint``, from the environment or a netrc file; ``None`` when there are none.

    In order: ``STANCEGRAPH_TOKEN`` (sent as a Bearer token), ``STANCEGRAPH_USER`` with
    ``STANCEGRAPH_PASSWORD`` (HTTP Basic), then the ``machine`` entry of the endpoint's host in the file
    named by ``NETRC`` or ``~/.netrc``. Never from the command line, where it would land in shell history.
    """
    env = os.environ if environ is None else environ
    token = env.get("STANCEGRAPH_TOKEN")
    user, password = env.get("STANCEGRAPH_USER"), env.get("STANCEGRAPH_PASSWORD")
    if token:
        if user or password:
            raise SettingsError("set either STANCEGRAPH_TOKEN or STANCEGRAPH_USER and STANCEGRAPH_PASSWORD, not both")
        return Credentials(f"Bearer {token}", "STANCEGRAPH_TOKEN", "Bearer")
    if user or password:
        if not (user and password is not None):
            missing = "STANCEGRAPH_PASSWORD" if user else "STANCEGRAPH_USER"
            raise SettingsError(f"{missing} is not set; set both STANCEGRAPH_USER and STANCEGRAPH_PASSWORD, or neither")
        return Credentials(_basic(user, password), "STANCEGRAPH_USER/STANCEGRAPH_PASSWORD", "Basic")
    host = urlsplit(endpoint).hostname or ""
    path = env.get("NETRC") or str(Path(env.get("HOME") or Path.home()) / ".netrc")
    if not Path(path).is_file():
        return None
    try:
        entry = netrc.netrc(path).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        raise SettingsError(f"cannot read the netrc file {path}: {exc}") from None
    if entry is None:
        return None
    login, _account, secret = entry
    if not login:
        return None
    return Credentials(_basic(login, secret or ""), f"netrc file {path}", "Basic")


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")


# --------------------------------------------------------------------------------------------------
# The Graph Store client


def check_endpoint(endpoint: str) -> str:
    """The endpoint URL, checked: http(s), a host, no credentials in it. Raises :class:`SettingsError`."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"{endpoint!r} is not an http:// or https:// URL of a store endpoint, "
                            "e.g. http://localhost:7878/store")
    if parts.username or parts.password:
        raise SettingsError("the endpoint URL holds credentials; take them out of the URL (it lands in shell "
                            "history and logs) and set STANCEGRAPH_USER and STANCEGRAPH_PASSWORD, "
                            "STANCEGRAPH_TOKEN, or a netrc entry instead")
    if parts.fragment:
        raise SettingsError(f"{endpoint!r}: an endpoint URL has no #fragment")
    try:
        parts.port
    except ValueError:
        raise SettingsError(f"{endpoint!r}: the port is not a number") from None
    return endpoint


@dataclass
class Reply:
    status: int
    reason: str
    body: bytes
    content_type: str
    retry_after: str | None = None


@dataclass
class RequestLog:
    """What a client sent, for reports and tests: one ``(method, graph IRI)`` per request that got a reply."""

    requests: list[tuple[str, str]] = field(default_factory=list)
    bytes_sent: int = 0
    retries: int = 0

    def count(self, method: str) -> int:
        return sum(1 for m, _ in self.requests if m == method)


class HttpEndpoint:
    """One HTTP(S) endpoint, one kept-alive connection, and retries for transient errors.

    Transient failures (connection refused or reset, timeouts, HTTP 429 and 5xx but 501 and 505) are
    retried up to ``retries`` times, waiting ``backoff`` seconds, then twice as long each time (at most
    ``max_backoff``, or what a ``Retry-After`` header asks within that bound). Any other 4xx fails at once.
    HTTPS certificates are always verified (against ``ca_bundle`` when given, else the system's).
    """

    def __init__(
        self,
        endpoint: str,
        *,
        credentials: Credentials | None = None,
        ca_bundle: str | os.PathLike[str] | None = None,
        timeout: float = 60.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.endpoint = check_endpoint(endpoint)
        parts = urlsplit(endpoint)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port
        self._url_path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._path = (parts.path or "/") + (f"?{parts.query}&" if parts.query else "?")
        self.credentials = credentials
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._sleep = sleep
        self._context: ssl.SSLContext | None = None
        if self._https:
            try:
                self._context = ssl.create_default_context(cafile=str(ca_bundle) if ca_bundle else None)
            except (OSError, ssl.SSLError) as exc:
                raise SettingsError(f"cannot use the CA bundle {ca_bundle}: {exc}") from None
        self._conn: http.client.HTTPConnection | None = None
        self.log = RequestLog()

    # -- plumbing --------------------------------------------------------------------------------

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _connection(self) -> tuple[http.client.HTTPConnection, bool]:
        if self._conn is not None:
            return self._conn, True
        if self._https:
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                self._host, self._port, timeout=self.timeout, context=self._context)
        else:
            conn = http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)
        self._conn = conn
        return conn, False

    def _once(self, method: str, target: str, body: bytes | None, headers: dict[str, str]) -> Reply:
        conn, reused = self._connection()
        try:
            conn.request(method, target, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.close()
            if not reused:
                raise
            # the server closed a kept-alive connection while it was idle: one fresh try, not a retry
            conn, _ = self._connection()
            try:
                conn.request(method, target, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except BaseException:
                self.close()
                raise
        except BaseException:
            self.close()
            raise
        if response.will_close:
            self.close()
        return Reply(response.status, response.reason or "", data, response.getheader("Content-Type") or "",
                     response.getheader("Retry-After"))

    def send(
        self,
        method: str,
        target: str,
        *,
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        what: str,
        graph: str | None = None,
        ok_statuses: Iterable[int] = (),
    ) -> Reply:
        """Send one request to ``target`` (path and query), retrying transient failures; raise :class:`StoreError`.

        ``what`` names the object of the request in messages ("the graph of source 'x'"), ``graph`` its
        IRI. A 2xx reply, or one of ``ok_statuses``, is returned; anything else raises.
        """
        headers = {"User-Agent": USER_AGENT}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        if self.credentials is not None:
            headers["Authorization"] = self.credentials.header
        allowed = set(ok_statuses)
        attempt = 0
        while True:
            status: int | None = None
            retry_after: float | None = None
            try:
                reply = self._once(method, target, body, headers)
            except ssl.SSLCertVerificationError as exc:
                raise self._error(method, what, f"the server's TLS certificate is not trusted ({exc.verify_message}); "
                                  "if the server uses a private certificate authority, pass its certificate with "
                                  "--ca-bundle FILE", graph) from None
            except ssl.SSLError as exc:
                raise self._error(method, what, f"TLS failed: {exc}", graph) from None
            except socket.gaierror as exc:
                raise self._error(method, what, f"cannot resolve the host {self._host!r} ({exc.strerror}); "
                                  "check the endpoint URL", graph) from None
            except TimeoutError:
                reason = f"no reply within {self.timeout:g} s (timed out)"
            except ConnectionRefusedError:
                reason = "connection refused (is the server running, and is this its address and port?)"
            except (OSError, http.client.HTTPException) as exc:
                reason = _describe(exc)
            else:
                status = reply.status
                if 200 <= status < 300 or status in allowed:
                    self.log.requests.append((method, str(graph)))
                    self.log.bytes_sent += len(body or b"")
                    return reply
                reason = f"HTTP {status} {reply.reason}".rstrip() + _quote_reply(reply)
                if status == 401:
                    raise self._error(method, what, reason + _auth_hint(self.credentials), graph, status)
                if 300 <= status < 400:
                    raise self._error(method, what, reason + "; the server redirects: use the URL it redirects "
                                      "to as the endpoint", graph, status)
                if not _passing(status):
                    raise self._error(method, what, reason + _status_hint(status), graph, status)
                retry_after = _retry_after(reply.retry_after)
            if attempt >= self.retries:
                tries = f" (tried {attempt + 1} times)" if attempt else ""
                raise self._error(method, what, reason + tries, graph, status, passing=True)
            delay = min(self.max_backoff, self.backoff * (2 ** attempt))
            if retry_after is not None:
                delay = min(self.max_backoff, max(delay, retry_after))
            attempt += 1
            self.log.retries += 1
            self._sleep(delay)

    def _error(self, method: str, what: str, reason: str, graph: str | None, status: int | None = None, *,
               passing: bool = False) -> StoreError:
        return StoreError(f"{self.endpoint}: {method} of {what} failed: {reason}",
                          endpoint=self.endpoint, graph=str(graph or ""), status=status, passing=passing)



class GraphStore(HttpEndpoint):
    """A SPARQL 1.1 Graph Store HTTP Protocol endpoint: one graph per request, named by ``?graph=IRI``."""

    def target(self, graph: str | None) -> str:
        """The request target for ``graph``; ``None`` is the default graph (``?default``)."""
        if graph is None:
            return f"{self._path}default"
        return f"{self._path}graph={quote(str(graph), safe='')}"

    def request(
        self,
        method: str,
        graph: str | None,
        *,
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        what: str = "",
        ok_statuses: Iterable[int] = (),
    ) -> Reply:
        """Send one request about ``graph`` (``None``: the default graph); see :meth:`HttpEndpoint.send`."""
        return self.send(method, self.target(graph), body=body, content_type=content_type, accept=accept,
                         what=what or f"graph <{graph}>", graph=graph, ok_statuses=ok_statuses)


    def get(self, graph: str, *, what: str = "") -> Graph | None:
        """The graph named ``graph``, or ``None`` when the store has no such graph (404)."""
        what = what or f"graph <{graph}>"
        reply = self.request("GET", graph, accept=READ_ACCEPT, what=what, ok_statuses=(404,))
        if reply.status == 404:
            return None
        return _parse_reply(reply, f"the GET of {what}", self.endpoint)

    def put(self, graph: str, data: bytes, *, what: str = "", content_type: str = N_TRIPLES) -> None:
        """Replace the graph named ``graph`` with ``data``, whole."""
        self.request("PUT", graph, body=data, content_type=content_type, what=what)

    def post(self, graph: str, data: bytes, *, what: str = "", content_type: str = N_TRIPLES) -> None:
        """Add the triples of ``data`` to the graph named ``graph``."""
        self.request("POST", graph, body=data, content_type=content_type, what=what)

    def delete(self, graph: str, *, what: str = "") -> bool:
        """Remove the graph named ``graph``; ``False`` when there was none."""
        return self.request("DELETE", graph, what=what, ok_statuses=(404,)).status != 404

    def check(self) -> None:
        """Raise :class:`StoreError` when the endpoint answers 404 even for the default graph.

        Every Graph Store has a default graph, so a 404 for it means the URL is not a Graph Store
        endpoint (a wrong path). Stores that do not answer ``HEAD`` at all are given the benefit of the doubt.
        """
        reply = self.request("HEAD", None, what="the default graph", ok_statuses=(*range(400, 500), 501))
        if reply.status == 404:
            raise StoreError(f"{self.endpoint}: this URL is not a Graph Store endpoint: it answers HTTP 404 even "
                             f"for the default graph (HEAD ?default). {ENDPOINT_PATHS}",
                             endpoint=self.endpoint, status=404)


class SparqlEndpoint(HttpEndpoint):
    """A SPARQL 1.1 Protocol query endpoint (Oxigraph: /query, Fuseki: /DATASET/query, GraphDB:
    /repositories/REPO, Virtuoso: /sparql). Queries are sent with POST, as a form."""

    def construct(self, query: str, *, what: str = "the CONSTRUCT query") -> Graph:
        """The graph a CONSTRUCT (or DESCRIBE) query returns."""
        reply = self.send("POST", self._url_path, body=urlencode({"query": query}).encode("utf-8"),
                          content_type="application/x-www-form-urlencoded", accept=READ_ACCEPT, what=what)
        return _parse_reply(reply, what, self.endpoint)


#: every triple of the graphs that ``stancegraph push`` makes for data (registry and sources), as one graph:
#: the same union of graphs that a Turtle file written by ``stancegraph build`` holds
DATA_CONSTRUCT = """CONSTRUCT { ?s ?p ?o } WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER(STRENDS(STR(?g), "/graph/registry") || CONTAINS(STR(?g), "/graph/source/"))
}"""


def fetch_dataset(endpoint: SparqlEndpoint) -> Dataset:
    """The stancegraph data of a store, fetched with one CONSTRUCT, as a dataset like a Turtle file gives.

    Raises :class:`StoreError` when the store answers but holds no stancegraph data.
    """
    graph = endpoint.construct(DATA_CONSTRUCT, what="the CONSTRUCT query of the registry and source graphs")
    if not len(graph):
        raise StoreError(f"{endpoint.endpoint}: the store holds no stancegraph data (no graph named "
                         "<…/graph/registry> or <…/graph/source/…>). Push some with stancegraph push; and for "
                         "reading, --endpoint is the SPARQL query endpoint (Oxigraph: /query, Fuseki: "
                         "/DATASET/query, GraphDB: /repositories/REPO, Virtuoso: /sparql)", endpoint=endpoint.endpoint)
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    dataset.graph(DATASET_DEFAULT_GRAPH_ID).addN((s, p, o, dataset.graph(DATASET_DEFAULT_GRAPH_ID))
                                                for s, p, o in graph)  # the default graph, as a Turtle file is read
    return dataset


def _parse_reply(reply: Reply, what: str, endpoint: str) -> Graph:
    fmt = _rdf_format(reply.content_type)
    result = Graph()
    if reply.body.strip():
        try:
            result.parse(data=reply.body.decode("utf-8"), format=fmt)
        except Exception as exc:  # rdflib raises many kinds of parser errors
            raise StoreError(f"{endpoint}: the reply to {what} is not {fmt} RDF: "
                             f"{' '.join(str(exc).split())[:_REPLY_LIMIT]}", endpoint=endpoint) from None
    return result


def _passing(status: int) -> bool:
    """Whether an HTTP status may go away by itself: 429 (too many requests) and 5xx but 501 and 505."""
    return status == 429 or (500 <= status < 600 and status not in (501, 505))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the server closed the connection without a reply"
    if isinstance(exc, ConnectionResetError):
        return "the connection was reset by the server"
    if isinstance(exc, BrokenPipeError):
        return "the server closed the connection while the request was being sent"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[0].lower() + exc.strerror[1:]
    return " ".join(str(exc).split()) or type(exc).__name__


def _quote_reply(reply: Reply) -> str:
    text = " ".join(reply.body.decode("utf-8", "replace").split())
    if not text or "html" in reply.content_type.lower():
        return ""
    if len(text) > _REPLY_LIMIT:
        text = text[:_REPLY_LIMIT].rstrip() + "…"
    return f": the server says: {text}"


def _auth_hint(credentials: Credentials | None) -> str:
    if credentials is None:
        return ("; the store wants credentials: set STANCEGRAPH_USER and STANCEGRAPH_PASSWORD, or "
                "STANCEGRAPH_TOKEN, or add the host to your netrc file")
    return f"; the store refused the credentials from {credentials.origin}"


def _status_hint(status: int) -> str:
    return {
        403: "; the credentials are not allowed to write here",
        404: f"; is the URL the store's Graph Store endpoint? {ENDPOINT_PATHS}",
        405: "; is the URL the store's Graph Store endpoint, and is the store writable?",
        413: "; the store refuses a payload this large",
        415: "; the store does not accept N-Triples here",
    }.get(status, "")


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _rdf_format(content_type: str) -> str:
    media = content_type.split(";")[0].strip().lower()
    return {
        "application/n-triples": "nt",
        "text/plain": "nt",
        "text/turtle": "turtle",
        "application/x-turtle": "turtle",
        "application/rdf+xml": "xml",
        "application/ld+json": "json-ld",
        "application/n-quads": "nquads",
        "application/trig": "trig",
    }.get(media, "nt")


# --------------------------------------------------------------------------------------------------
# What to push


def ntriples(graph: Graph) -> bytes:
    """The canonical N-Triples of ``graph``: blank nodes canonically labelled, lines sorted, UTF-8."""
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        graph = to_canonical_graph(graph)
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted({line for line in text.split("\n") if line.strip()})  # not splitlines(): literals may hold U+2028
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


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

    @property
    def label(self) -> str:
        return f"source {self.name}" if self.kind == "source" else self.name

    @property
    def what(self) -> str:
        if self.kind == "source":
            return f"the graph of source '{self.name}' <{self.iri}>"
        return f"the {self.name} graph <{self.iri}>"


def payload(iri: str, kind: str, name: str, graph: Graph) -> Payload:
    data = ntriples(graph)
    return Payload(str(iri), kind, name, data, len(graph), content_hash(data))


def dataset_base(dataset: Dataset) -> str:
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


def payloads(dataset: Dataset, *, ontology: bool = True) -> tuple[str, list[Payload]]:
    """The base IRI and the graphs to push: the registry, each source, and (by default) the ontology."""
    base = dataset_base(dataset)
    out = []
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        iri = str(graph.identifier)
        if not len(graph):
            continue
        if iri == f"{base}{REGISTRY_SUFFIX}":
            out.append(payload(iri, "registry", "registry", graph))
        elif iri.startswith(f"{base}{SOURCE_INFIX}"):
            out.append(payload(iri, "source", iri[len(base) + len(SOURCE_INFIX):], graph))
        elif iri == str(ONTOLOGY_GRAPH):
            continue  # the vocabulary is added below, from the package, when asked for
        elif iri == f"{base}{META_SUFFIX}":
            continue
        else:
            raise StancegraphError(f"the input holds a graph that stancegraph did not make: <{iri}>; push the "
                                   "annotation files, or a graph file built from them")
    if ontology:
        out.append(payload(str(ONTOLOGY_GRAPH), "ontology", "ontology", vocabulary_graph()))
    order = {"registry": 0, "ontology": 1, "source": 2}
    out.sort(key=lambda p: (order[p.kind], p.name))
    return base, out


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

    @property
    def meta_graph(self) -> str:
        return meta_graph_iri(self.base)

    @property
    def to_send(self) -> list[Change]:
        return [c for c in self.changes if c.state != "unchanged"]

    @property
    def unchanged(self) -> list[Change]:
        return [c for c in self.changes if c.state == "unchanged"]

    @property
    def to_delete(self) -> list[str]:
        return self.extra if self.prune else []

    def final_hashes(self) -> dict[str, set[str]]:
        """The meta graph as it should be once every graph of the plan is sent."""
        hashes = {iri: set(values) for iri, values in self.recorded.items() if not (self.prune and iri in self.extra)}
        for change in self.changes:
            hashes[change.payload.iri] = {change.payload.hash}
        return hashes

    @property
    def meta_is_current(self) -> bool:
        return self.final_hashes() == self.recorded

    @property
    def nothing_to_do(self) -> bool:
        return not self.to_send and not self.to_delete and self.meta_is_current


def plan_push(store: GraphStore, dataset: Dataset, *, ontology: bool = True, prune: bool = False) -> PushPlan:
    """Compare the input with what the store's meta graph records. Reads the store, changes nothing."""
    base, items = payloads(dataset, ontology=ontology)
    meta = store.get(meta_graph_iri(base), what=f"the meta graph <{meta_graph_iri(base)}>")
    if meta is None:
        store.check()  # nothing pushed yet, or a wrong URL? (a wrong URL would make every graph look new)
    recorded = read_hashes(meta)
    changes = []
    for item in items:
        hashes = recorded.get(item.iri)
        state = "new" if not hashes else "unchanged" if hashes == {item.hash} else "changed"
        changes.append(Change(item, state))
    local = {item.iri for item in items}
    extra = sorted(iri for iri in recorded if iri not in local and iri != str(ONTOLOGY_GRAPH))
    return PushPlan(store.endpoint, base, changes, recorded, extra, prune)


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


def push(
    store: GraphStore,
    plan: PushPlan,
    *,
    progress: Callable[[Change], None] | None = None,
    record_every: int = 100,
) -> PushResult:
    """Carry out ``plan``: PUT each new or changed graph, then record its hash in the meta graph.

    Hashes of sent graphs are added to the meta graph (POST) every ``record_every`` graphs, so that a
    push stopped part-way need not send them again; the meta graph is replaced whole (PUT) at the end.
    Raises :class:`PushFailed` at the first failure: each graph is then either old or new, whole.
    """
    started = time.monotonic()
    result = PushResult(plan)
    pending: dict[str, set[str]] = {}
    meta = plan.meta_graph
    meta_what = f"the meta graph <{meta}>"
    total = len(plan.to_send) + len(plan.to_delete)

    def record() -> None:
        if pending:
            store.post(meta, hash_triples(pending), what=meta_what)
            pending.clear()

    try:
        for change in plan.to_send:
            store.put(change.payload.iri, change.payload.data, what=change.payload.what)
            result.sent.append(change)
            pending[change.payload.iri] = {change.payload.hash}
            if progress is not None:
                progress(change)
            if len(pending) >= record_every:
                record()
        for iri in plan.to_delete:
            store.delete(iri, what=f"graph <{iri}>")
            result.deleted.append(iri)
        if not plan.meta_is_current or result.sent or result.deleted:
            store.put(meta, hash_triples(plan.final_hashes()), what=meta_what)
    except StoreError as exc:
        if pending and not exc.passing and exc.status is not None and exc.graph != meta:
            # the server still answers (it refused one graph): record what was sent so far, one try
            try:
                store.retries, retries = 0, store.retries
                record()
            except StoreError:
                pass
            finally:
                store.retries = retries
        raise PushFailed(exc, len(result.sent) + len(result.deleted), total) from None
    result.seconds = time.monotonic() - started
    return result
