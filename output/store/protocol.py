"""The protocols a store speaks: the SPARQL 1.1 Graph Store HTTP Protocol (GET, PUT, POST, DELETE of one
named graph, ``?graph=IRI``) and the SPARQL 1.1 Protocol (a query sent as a form), over :mod:`.client`,
with the RDF of replies parsed.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote, urlencode

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from stancegraph.ontology import bind_prefixes

from .client import REPLY_LIMIT, HttpEndpoint, Reply, StoreError
from .settings import ENDPOINT_PATHS

N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"
READ_ACCEPT = f"{N_TRIPLES}, text/turtle;q=0.9, application/rdf+xml;q=0.5"


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

    def post_quads(self, data: bytes, *, what: str) -> None:
        """Add the quads of ``data`` (N-Quads) to the store: a ``POST`` to the endpoint itself, without
        ``?graph=``, which Oxigraph (and Fuseki) take as "add these quads, each to its graph", in one
        transaction. Stores that take only triples there answer with a 4xx."""
        self.send("POST", self._url_path, body=data, content_type=N_QUADS, what=what)

    def exists(self, graph: str, *, what: str = "") -> bool:
        """Whether the store has a graph named ``graph``: ``HEAD``, or a ``GET`` whose reply is not read as
        RDF when the store does not answer ``HEAD`` (405, 501)."""
        what = what or f"graph <{graph}>"
        reply = self.request("HEAD", graph, what=what, ok_statuses=(404, 405, 501))
        if reply.status in (405, 501):
            reply = self.request("GET", graph, accept=READ_ACCEPT, what=what, ok_statuses=(404,))
        return reply.status != 404

    def delete(self, graph: str, *, what: str = "") -> bool:
        """Remove the graph named ``graph``; ``False`` when there was none."""
        return self.request("DELETE", graph, what=what, ok_statuses=(404,)).status != 404

    def check(self) -> None:
        """Raise :class:`StoreError` when the endpoint answers 404 even for the default graph.

        Every Graph Store has a default graph, so a 404 for it means the URL is not a Graph Store
        endpoint (a wrong path). Stores that do not answer ``HEAD`` at all (405, 501; Virtuoso's 500) are given
        the benefit of the doubt.
        """
        # Virtuoso 7 answers 500 to a HEAD of ?default: no proof of a wrong path either
        reply = self.request("HEAD", None, what="the default graph", ok_statuses=(*range(400, 500), 500, 501))
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
    dataset = bind_prefixes(Dataset())
    dataset.graph(DATASET_DEFAULT_GRAPH_ID).addN((s, p, o, dataset.graph(DATASET_DEFAULT_GRAPH_ID))
                                                for s, p, o in graph)  # the default graph, as a Turtle file is read
    return dataset


def _parse_reply(reply: Reply, what: str, endpoint: str) -> Graph:
    fmt = _rdf_format(reply.content_type)
    result = Graph()
    if fmt == "json-ld" and reply.body.strip():
        address = _context_address(reply.body)
        if address:
            raise StoreError(f"{endpoint}: the reply to {what} is JSON-LD whose @context is an address "
                             f"({address[:120]}), and stancegraph fetches nothing a reply points at. Ask the store "
                             "for N-Triples or Turtle (its settings), or check that this is the store you meant",
                             endpoint=endpoint)
    if reply.body.strip():
        try:
            result.parse(data=reply.body.decode("utf-8"), format=fmt)
        except Exception as exc:  # rdflib raises many kinds of parser errors
            raise StoreError(f"{endpoint}: the reply to {what} is not {fmt} RDF: "
                             f"{' '.join(str(exc).split())[:REPLY_LIMIT]}", endpoint=endpoint) from None
    return result


def _context_address(body: bytes) -> str | None:
    """The first JSON-LD ``@context`` (or ``@import``) in ``body`` given by address rather than inline: rdflib's
    parser would fetch it, an http(s) one from the network and a ``file:`` one from this machine's disk."""
    import json

    try:
        stack = [json.loads(body)]
    except (ValueError, RecursionError):
        return None  # not JSON: the parser says so
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in ("@context", "@import"):
                value = node.get(key)
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str):
                        return item
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
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

