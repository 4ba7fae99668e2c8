"""A store's base URL → its endpoints (issue 16): ``--endpoint http://localhost:7878`` finds Oxigraph's
``/store`` and ``/query``, ``http://host:3030`` or ``http://host:3030/ds`` Fuseki's ``/ds/data`` and
``/ds/query``, ``http://host:7200/repositories/R`` GraphDB's ``/rdf-graphs/service``, ``http://host:8890``
Virtuoso's ``/sparql``.

A URL whose path already ends the way an endpoint's does is taken as it is, without a request, so an
endpoint that works today costs nothing more. Only a URL that looks like a base is probed: a Graph Store
candidate must answer ``HEAD ?default`` with 2xx, a query candidate must answer ``ASK {}`` with a SPARQL
boolean. When none does, the error lists every URL tried and what it answered.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import quote, urlsplit, urlunsplit

from .client import HttpEndpoint, StoreError

#: the last path segments of Graph Store endpoints (Oxigraph, Fuseki, GraphDB, Virtuoso)
GRAPH_STORE_ENDINGS = ("/store", "/data", "/rdf-graphs/service", "/sparql-graph-crud", "/sparql-graph-crud-auth",
                       "/statements")
#: … and of query endpoints (Oxigraph, Fuseki, Virtuoso; GraphDB's is the repository itself)
QUERY_ENDINGS = ("/query", "/sparql", "/sparql-auth")

Make = Callable[[str], HttpEndpoint]


def looks_like_endpoint(url: str, graph_store: bool) -> bool:
    """Whether ``url`` ends as an endpoint's does: any endpoint, so that a query endpoint given to push (or a
    Graph Store one given for reading) gets the message that says so, not a search under it."""
    path = urlsplit(url).path.rstrip("/")
    parts = path.split("/")
    return path.endswith(GRAPH_STORE_ENDINGS + QUERY_ENDINGS) or (len(parts) >= 2 and parts[-2] == "repositories")


def _with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + path, "", ""))


def _fuseki_datasets(url: str, make: Make, tried: list[str]) -> list[str]:
    """The dataset names Fuseki's admin endpoint lists at ``/$/datasets`` of a server root."""
    probe = _with_path(url, "/$/datasets")
    try:
        with make(probe) as endpoint:
            reply = endpoint.send("GET", urlsplit(probe).path, accept="application/json",
                                  what="Fuseki's list of datasets", ok_statuses=range(300, 600))
    except StoreError as exc:
        tried.append(f"{probe}: {_short(str(exc))}")
        return []
    if reply.status != 200:
        tried.append(f"{probe}: HTTP {reply.status}")
        return []
    try:
        names = [d["ds.name"] for d in json.loads(reply.body).get("datasets", []) if isinstance(d.get("ds.name"), str)]
    except (ValueError, AttributeError, TypeError, KeyError):
        tried.append(f"{probe}: not Fuseki's list of datasets")
        return []
    if len(names) != 1:
        tried.append(f"{probe}: Fuseki with {len(names)} datasets ({', '.join(names) or 'none'}); give one, "
                     f"e.g. {_with_path(url, (names or ['/DATASET'])[0])}")
        return []
    return names


def _short(message: str) -> str:
    message = message.split(": ", 1)[-1] if message.startswith("http") else message
    return message[:160]


def _answers(candidate: str, make: Make, graph_store: bool, tried: list[str]) -> bool:
    try:
        with make(candidate) as endpoint:
            target = urlsplit(candidate).path + ("?default" if graph_store else "?query=" + quote("ASK {}"))
            reply = endpoint.send("HEAD" if graph_store else "GET", target, what="a probe",
                                  accept=None if graph_store else "application/sparql-results+json",
                                  ok_statuses=range(300, 600))
            ok = 200 <= reply.status < 300 and (graph_store or b'"boolean"' in reply.body)
    except StoreError as exc:
        tried.append(f"{candidate}: {_short(str(exc))}")
        return False
    if not ok:
        tried.append(f"{candidate}: HTTP {reply.status}")
    return ok


def find_endpoint(url: str, make: Make, *, graph_store: bool) -> tuple[str, str | None]:
    """The endpoint to use for ``url``: itself when it looks like one, else the one found under it, with a
    note saying so. Raises :class:`StoreError` naming every URL tried when none answers."""
    if looks_like_endpoint(url, graph_store):
        return url, None
    kind = "Graph Store" if graph_store else "SPARQL query"
    endings = ("/store", "/data", "/rdf-graphs/service", "/sparql-graph-crud") if graph_store else ("/query", "/sparql")
    tried: list[str] = []
    for ending in endings:
        candidate = _with_path(url, ending)
        if _answers(candidate, make, graph_store, tried):
            return candidate, f"{url} is a base URL: using the {kind} endpoint {candidate}"
    for name in _fuseki_datasets(url, make, tried):
        candidate = _with_path(url, name.rstrip("/") + ("/data" if graph_store else "/query"))
        if _answers(candidate, make, graph_store, tried):
            return candidate, f"{url} is a Fuseki server: using the {kind} endpoint {candidate}"
    raise StoreError(f"{url}: no {kind} endpoint found under this URL. Tried:\n  " + "\n  ".join(tried)
                     + "\nGive the endpoint itself (Oxigraph: /store and /query, Fuseki: /DATASET/data and "
                     "/DATASET/query, GraphDB: /repositories/REPO/rdf-graphs/service and /repositories/REPO, "
                     "Virtuoso: /sparql-graph-crud and /sparql)", endpoint=url)


__all__ = ["GRAPH_STORE_ENDINGS", "QUERY_ENDINGS", "find_endpoint", "looks_like_endpoint"]
