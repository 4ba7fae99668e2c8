"""Pushing a built dataset to a SPARQL store, one named graph at a time (SPARQL 1.1 Graph Store Protocol),
and reading it back with a SPARQL query.

One room per job, each importing only those above it:

- :mod:`.settings`: the endpoint URL, the credentials (environment, netrc), the paths of the graphs in a store;
- :mod:`.client`: HTTP(S), one kept-alive connection, timeouts and retries, failures as :class:`StoreError`;
- :mod:`.protocol`: the Graph Store Protocol (GET/PUT/POST/DELETE of a graph) and SPARQL queries;
- :mod:`.sync`: push, i.e. which graphs changed (by the hashes the store's meta graph records) and sending them.

The names below are the package's public face: import them from ``stancegraph.output.store``.
"""

from .client import HttpEndpoint, RequestLog, StoreError
from .protocol import GraphStore, SparqlEndpoint, fetch_dataset
from .settings import Credentials, SettingsError, check_endpoint, credentials_for
from .sync import (
    CONTENT_HASH,
    ONTOLOGY_GRAPH,
    Change,
    Payload,
    PushFailed,
    PushPlan,
    PushResult,
    ntriples,
    payloads,
    plan_push,
    push,
)

__all__ = [
    "CONTENT_HASH",
    "ONTOLOGY_GRAPH",
    "Change",
    "Credentials",
    "GraphStore",
    "HttpEndpoint",
    "Payload",
    "PushFailed",
    "PushPlan",
    "PushResult",
    "RequestLog",
    "SettingsError",
    "SparqlEndpoint",
    "StoreError",
    "check_endpoint",
    "credentials_for",
    "fetch_dataset",
    "ntriples",
    "payloads",
    "plan_push",
    "push",
]
