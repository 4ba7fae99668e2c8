"""Stores that misbehave (issue 16, part 5), played by a small HTTP server of the test's own on loopback:
a web page where a store's reply should be, a reply that trickles in, one too large, a redirect to another
host (credentials must not follow), HTTP Digest, and a 503 that a retry gets past."""

from __future__ import annotations

import base64
import json
import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from stancegraph.output.store.client import HttpEndpoint, StoreError
from stancegraph.output.store.settings import Credentials

Handler = Callable[[BaseHTTPRequestHandler], None]


class _Server:
    def __init__(self, handle: Handler, host: str = "127.0.0.1"):
        seen: list[dict[str, str]] = []
        self.seen = seen

        class H(BaseHTTPRequestHandler):
            def _any(self) -> None:
                seen.append({"method": self.command, "path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                handle(self)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _any

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer((host, 0), H)
        self.url = f"http://{host}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve() -> Iterator[Callable[..., _Server]]:
    servers: list[_Server] = []

    def start(handle: Handler, host: str = "127.0.0.1") -> _Server:
        servers.append(_Server(handle, host))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _reply(status: int, body: bytes, content_type: str = "text/plain", **headers: str) -> Handler:
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            h.send_header(key.replace("_", "-"), value)
        h.end_headers()
        h.wfile.write(body)
    return handle


def test_a_web_page_is_never_taken_for_a_stores_answer(serve) -> None:  # type: ignore[no-untyped-def]
    server = serve(_reply(200, b"<!DOCTYPE html><html><head><title>Welcome</title></head><body>hi</body></html>",
                          "text/html"))
    with HttpEndpoint(server.url + "/", retries=0) as store:
        with pytest.raises(StoreError) as caught:
            store.send("PUT", "/data?graph=x", body=b"<a> <b> <c> .", content_type="application/n-triples",
                       what="the graph of source 'x'")
    message = str(caught.value)
    assert "web page (HTML" in message and "Welcome" in message and "home page or a login page" in message


def test_a_trickling_reply_is_timed_out_as_a_whole(serve) -> None:  # type: ignore[no-untyped-def]
    def trickle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        h.send_header("Content-Length", "100")
        h.end_headers()
        try:
            for _ in range(100):  # a byte every 0.2 s: each read is quick, the reply never ends in time
                h.wfile.write(b"x")
                h.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    server = serve(trickle)
    started = time.monotonic()
    with HttpEndpoint(server.url + "/", timeout=1.0, retries=0) as store:
        with pytest.raises(StoreError):
            store.send("GET", "/q", what="the query")
    assert time.monotonic() - started < 6


def test_a_reply_over_the_limit_is_refused_not_held(serve) -> None:  # type: ignore[no-untyped-def]
    server = serve(_reply(200, b"x" * 50_000))
    with HttpEndpoint(server.url + "/", retries=0, max_reply=10_000) as store:
        with pytest.raises(StoreError) as caught:
            store.send("GET", "/q", what="the query")
    assert "10,000" in str(caught.value) or "10000" in str(caught.value) or "too large" in str(caught.value).lower()


def test_credentials_never_follow_a_redirect_to_another_host(serve) -> None:  # type: ignore[no-untyped-def]
    other = serve(_reply(200, b"ok"), host="127.0.0.2")
    first = serve(_reply(302, b"", Location=other.url + "/elsewhere"))
    secret = "Basic " + base64.b64encode(b"user:secret").decode()
    with HttpEndpoint(first.url + "/", credentials=Credentials(secret, "test"), retries=0) as store:
        reply = store.send("GET", "/q", what="the query")
    assert reply.status == 200
    assert first.seen[0]["authorization"] == secret
    assert "authorization" not in other.seen[0]


def test_http_digest(serve) -> None:  # type: ignore[no-untyped-def]
    realm, nonce = "store", "abc123"

    def digest(h: BaseHTTPRequestHandler) -> None:
        given = h.headers.get("Authorization", "")
        if not given.startswith("Digest "):
            h.send_response(401)
            h.send_header("WWW-Authenticate", f'Digest realm="{realm}", nonce="{nonce}", qop="auth", algorithm=MD5')
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        fields = dict(part.strip().split("=", 1) for part in given[len("Digest "):].split(","))
        fields = {k: v.strip('"') for k, v in fields.items()}
        ha1 = hashlib.md5(f"user:{realm}:secret".encode()).hexdigest()
        ha2 = hashlib.md5(f"{h.command}:{fields['uri']}".encode()).hexdigest()
        expected = hashlib.md5(f"{ha1}:{nonce}:{fields['nc']}:{fields['cnonce']}:auth:{ha2}".encode()).hexdigest()
        _reply(200 if fields.get("response") == expected else 403, b"ok")(h)

    server = serve(digest)
    basic = "Basic " + base64.b64encode(b"user:secret").decode()
    with HttpEndpoint(server.url + "/", credentials=Credentials(basic, "test", "user", "secret"), retries=0) as store:
        assert store.send("GET", "/q", what="the query").status == 200
    assert server.seen[-1]["authorization"].startswith("Digest ")


def test_a_503_is_retried_and_said(serve) -> None:  # type: ignore[no-untyped-def]
    calls = []

    def flaky(h: BaseHTTPRequestHandler) -> None:
        calls.append(1)
        (_reply(503, b"busy") if len(calls) == 1 else _reply(200, b"ok"))(h)

    server = serve(flaky)
    said: list[str] = []
    with HttpEndpoint(server.url + "/", retries=2, backoff=0.01, on_retry=said.append) as store:
        assert store.send("GET", "/q", what="the query").status == 200
    assert len(calls) == 2 and len(said) == 1


@pytest.mark.parametrize("context", ["{url}/context.jsonld", "file:///etc/hostname", ["{url}/a.jsonld", {"@vocab": "x"}]])
def test_a_json_ld_reply_never_makes_stancegraph_fetch_its_context(serve, context) -> None:  # type: ignore[no-untyped-def]
    """rdflib's JSON-LD parser fetches a @context given by address (a file: one from this machine's disk)."""
    from stancegraph.output.store.protocol import SparqlEndpoint

    holder: dict[str, str] = {}

    def handle(h: BaseHTTPRequestHandler) -> None:
        fill = (lambda c: c.format(url=holder["url"]) if isinstance(c, str) else c)
        ctx = [fill(c) for c in context] if isinstance(context, list) else fill(context)
        body = json.dumps({"@context": ctx, "@id": "http://a/s", "http://a/p": "o"}).encode()
        _reply(200, body, "application/ld+json")(h)

    server = serve(handle)
    holder["url"] = server.url
    with SparqlEndpoint(server.url + "/query", retries=0) as endpoint:
        with pytest.raises(StoreError) as caught:
            endpoint.construct("CONSTRUCT WHERE { ?s ?p ?o }")
    assert "JSON-LD whose @context is an address" in str(caught.value)
    assert [seen["path"] for seen in server.seen] == ["/query"]  # nothing else was asked for


def test_a_500_to_head_of_the_default_graph_is_no_proof_of_a_wrong_path(serve) -> None:  # type: ignore[no-untyped-def]
    """Debian's Virtuoso 7.2.5 answers HEAD /sparql-graph-crud?default with 500; a 404 still says 'wrong path'."""
    from stancegraph.output.store.protocol import GraphStore

    server = serve(_reply(500, b""))
    with GraphStore(server.url + "/sparql-graph-crud", retries=2) as store:
        store.check()
    assert [(s["method"], s["path"]) for s in server.seen] == [("HEAD", "/sparql-graph-crud?default")]
    missing = serve(_reply(404, b"not here"))
    with GraphStore(missing.url + "/nowhere", retries=0) as store:
        with pytest.raises(StoreError, match="not a Graph Store endpoint"):
            store.check()


def _fuseki(h: BaseHTTPRequestHandler) -> None:
    """Fuseki's paths: /$/datasets lists one dataset, /ds/data is its Graph Store, /ds/query its query endpoint."""
    path = h.path.split("?")[0]
    if path == "/$/datasets":
        _reply(200, json.dumps({"datasets": [{"ds.name": "/ds", "ds.state": True}]}).encode(), "application/json")(h)
    elif path == "/ds/data":
        _reply(200, b"", "application/n-triples")(h)
    elif path == "/ds/query":
        _reply(200, b'{"head": {}, "boolean": true}', "application/sparql-results+json")(h)
    else:
        _reply(404, b"Not Found")(h)


@pytest.mark.parametrize("graph_store, found", [(True, "/ds/data"), (False, "/ds/query")])
def test_a_fuseki_server_root_finds_its_one_dataset(serve, graph_store: bool, found: str) -> None:  # type: ignore[no-untyped-def]
    from stancegraph.output.store.discover import find_endpoint

    server = serve(_fuseki)
    url, note = find_endpoint(server.url, lambda u: HttpEndpoint(u, retries=0), graph_store=graph_store)
    assert url == server.url + found and note is not None and "is a Fuseki server" in note
    # the dataset's own URL finds the same endpoint, without asking the admin endpoint
    before = len(server.seen)
    assert find_endpoint(server.url + "/ds", lambda u: HttpEndpoint(u, retries=0),
                         graph_store=graph_store)[0] == server.url + found
    assert "/$/datasets" not in [s["path"] for s in server.seen[before:]]


def test_an_endpoint_url_is_taken_without_a_request(serve) -> None:  # type: ignore[no-untyped-def]
    from stancegraph.output.store.discover import find_endpoint

    server = serve(_fuseki)
    for url, graph_store in ((server.url + "/ds/data", True), (server.url + "/ds/query", False),
                             (server.url + "/repositories/R", False), (server.url + "/repositories/R/statements", True),
                             (server.url + "/sparql-graph-crud", True), (server.url + "/sparql", False)):
        assert find_endpoint(url, lambda u: HttpEndpoint(u, retries=0), graph_store=graph_store) == (url, None)
    assert server.seen == []


def test_a_server_answering_web_pages_everywhere_names_what_was_tried(serve) -> None:  # type: ignore[no-untyped-def]
    from stancegraph.output.store.discover import find_endpoint

    server = serve(_reply(200, b"<html><head><title>Router login</title></head></html>", "text/html"))
    with pytest.raises(StoreError) as caught:
        find_endpoint(server.url, lambda u: HttpEndpoint(u, retries=0), graph_store=False)
    message = str(caught.value)
    assert f"{server.url}: no SPARQL query endpoint found under this URL. Tried:" in message
    for path in ("/query", "/sparql", "/$/datasets"):
        assert f"{server.url}{path}: " in message
    assert "web page" in message and "Router login" in message
