"""``stancegraph push``: the Graph Store Protocol client, against a real Oxigraph server and small fakes.

* ``oxigraph``: a real ``oxigraph serve`` (from the ``oxigraph`` package of PyPI, installed by the
  ``test`` extra) on a free 127.0.0.1 port with a temporary data folder; stopped after each test. Without
  the binary the tests that need it are skipped with the reason, except under ``CI=true``, where a missing
  server is a failure.
* ``fake``: a tiny ``http.server`` on 127.0.0.1 whose replies a test scripts (503 twice then 204, 400,
  a slow reply, …) and which records every request it gets.

Only 127.0.0.1 is ever contacted; every process and thread a test starts is stopped when it ends.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sysconfig
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from stancegraph.cli.main import cli
from stancegraph.graph import build
from stancegraph.ontology import vocabulary_graph
from stancegraph.output.store import (
    CONTENT_HASH,
    ONTOLOGY_GRAPH,
    GraphStore,
    SettingsError,
    StoreError,
    credentials_for,
    ntriples,
    plan_push,
    push,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "gaza-day-after"
BASE = "https://w3id.org/stancegraph/examples/gaza-day-after/"
META = f"{BASE}graph/stancegraph-meta"
REGISTRY = f"{BASE}graph/registry"
NEWSMAX = "newsmax-2024-03-pentagon-gaza-force"
SUMMARY = "summary-2024-03-30-pentagon-gaza-force"


def source_graph(source_id: str) -> str:
    return f"{BASE}graph/source/{source_id}"


# --------------------------------------------------------------------------------------------------
# A real Oxigraph server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _oxigraph_binary() -> str | None:
    beside = Path(sysconfig.get_path("scripts")) / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph")


@dataclass
class Oxigraph:
    """One ``oxigraph serve`` process on 127.0.0.1; ``kill()`` and ``start()`` keep its data folder."""

    binary: str
    data: Path
    log: Path
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def store(self) -> str:
        return f"{self.url}/store"

    def start(self, timeout: float = 30.0) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [self.binary, "serve", "--location", str(self.data), "--bind", f"127.0.0.1:{self.port}"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with {self.process.returncode}:\n{self.log.read_text()}")
            try:
                self.select("ASK { ?s ?p ?o }")
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"oxigraph serve did not answer within {timeout} s:\n{self.log.read_text()}")

    def kill(self) -> None:
        """Stop the server at once (SIGKILL), as a crash or a pulled plug would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    # -- reading the store back, with the standard library only (not with the code under test) ----

    def select(self, query: str) -> dict:
        request = urllib.request.Request(
            f"{self.url}/query", data=urllib.parse.urlencode({"query": query}).encode(),
            headers={"Accept": "application/sparql-results+json",
                     "Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.loads(reply.read())

    def counts(self) -> dict[str, int]:
        """Triples per named graph, by SPARQL."""
        result = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {row["g"]["value"]: int(row["n"]["value"]) for row in result["results"]["bindings"]}

    def graph(self, iri: str) -> bytes | None:
        """The canonical N-Triples of one graph, by a plain Graph Store GET; None when there is none."""
        url = f"{self.store}?graph={urllib.parse.quote(iri, safe='')}"
        request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                data = reply.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise
        graph = Graph()
        graph.parse(data=data, format="nt")
        return as_oxigraph_keeps(ntriples(graph))

    def hashes(self) -> dict[str, set[str]]:
        result = self.select(f"SELECT ?g ?h WHERE {{ GRAPH <{META}> {{ ?g <{CONTENT_HASH}> ?h }} }}")
        out: dict[str, set[str]] = {}
        for row in result["results"]["bindings"]:
            out.setdefault(row["g"]["value"], set()).add(row["h"]["value"])
        return out


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[Oxigraph]:
    binary = _oxigraph_binary()
    if binary is None:
        reason = "the Oxigraph server is not installed (pip install oxigraph, or pip install -e '.[test]')"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + "; CI must run the store tests")
        pytest.skip(reason)
    server = Oxigraph(binary, tmp_path / "oxigraph-data", tmp_path / "oxigraph.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


# --------------------------------------------------------------------------------------------------
# A scripted fake server


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


Reply = tuple[int, dict[str, str], bytes]


class Fake:
    """An HTTP server on 127.0.0.1 that answers with ``script(seen) -> (status, headers, body)``."""

    def __init__(self, script: Callable[[Seen], Reply], *, tls: tuple[Path, Path] | None = None):
        self.script = script
        self.seen: list[Seen] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urllib.parse.urlsplit(self.path)
                seen = Seen(self.command, parts.path, urllib.parse.parse_qs(parts.query), dict(self.headers), body)
                fake.seen.append(seen)
                status, headers, data = fake.script(seen)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_DELETE = _any  # no HEAD: the client must cope with a 501

        Handler.timeout = 5  # an idle kept-alive connection ends its thread after this

        class Server(ThreadingHTTPServer):
            daemon_threads = False
            block_on_close = True  # server_close() waits for every request's thread

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that gave up (a timeout test) is no error of the fake

        self.server = Server(("127.0.0.1", 0), Handler)
        scheme = "http"
        if tls is not None:
            import ssl

            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def store(self) -> str:
        return f"{self.url}/store"

    def methods(self, method: str) -> list[Seen]:
        return [s for s in self.seen if s.method == method]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def fake() -> Iterator[Callable[..., Fake]]:
    made: list[Fake] = []

    def make(script: Callable[[Seen], Reply], **kwargs: object) -> Fake:
        server = Fake(script, **kwargs)  # type: ignore[arg-type]
        made.append(server)
        return server

    try:
        yield make
    finally:
        for server in made:
            server.close()


def no_graph_then(put_replies: list[Reply]) -> Callable[[Seen], Reply]:
    """A script: GET answers 404 (empty store); each PUT takes the next of ``put_replies`` (the last repeats)."""
    replies = list(put_replies)

    def script(seen: Seen) -> Reply:
        if seen.method == "GET":
            return 404, {"Content-Type": "text/plain"}, b"no such graph"
        if seen.method == "PUT":
            return replies.pop(0) if len(replies) > 1 else replies[0]
        return 204, {}, b""

    return script


# --------------------------------------------------------------------------------------------------
# Helpers


@pytest.fixture(autouse=True)
def _no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the credentials of the machine it runs on."""
    for name in ("STANCEGRAPH_USER", "STANCEGRAPH_PASSWORD", "STANCEGRAPH_TOKEN", "STANCEGRAPH_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ".cache"))  # push's lock files, kept out of $HOME


def run(*args: str, env: dict[str, str] | None = None, shacl: bool = False):  # type: ignore[no-untyped-def]
    """``stancegraph ARGS`` in this process; never lets an exception through as a pass.

    ``push`` gets ``--no-shacl`` unless ``shacl`` (the SHACL check costs seconds and is tested elsewhere).
    """
    if args and args[0] == "push" and not shacl:
        args = (*args, "--no-shacl")
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"stancegraph {' '.join(args)} raised {result.exception!r}:\n{result.output}") \
            from result.exception
    return result


_XSD = b"http://www.w3.org/2001/XMLSchema#"


def as_oxigraph_keeps(data: bytes) -> bytes:
    """N-Triples as Oxigraph (0.5) gives them back: it stores an xsd:nonNegativeInteger (the type Web Annotation
    gives a quote's oa:start and oa:end) as an xsd:integer of the same value. docs/stores.md notes it."""
    return data.replace(b"^^<" + _XSD + b"nonNegativeInteger>", b"^^<" + _XSD + b"integer>")


def local_graphs(path: Path = EXAMPLE) -> dict[str, bytes]:
    """The canonical N-Triples of each graph the example builds to, plus the ontology's."""
    dataset = build([path], shacl=False).dataset
    out = {str(g.identifier): as_oxigraph_keeps(ntriples(g)) for g in dataset.graphs() if len(g)}
    out[str(ONTOLOGY_GRAPH)] = ntriples(vocabulary_graph())
    return out


def copy_example(tmp_path: Path) -> Path:
    target = tmp_path / "gaza"
    shutil.copytree(EXAMPLE, target)
    return target


def edit_title(folder: Path, source_id: str, title: str) -> None:
    """Change the title of one source, a change that touches that source's graph only."""
    path = folder / "sources" / f"{source_id}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.lstrip().startswith("title:"):
            lines[i] = line[: len(line) - len(line.lstrip())] + f"title: {json.dumps(title)}\n"
            break
    else:  # pragma: no cover - the example always has a title
        raise AssertionError(f"no title: line in {path}")
    path.write_text("".join(lines), encoding="utf-8")


def triple_count(data: bytes) -> int:
    return len(data.splitlines())


# --------------------------------------------------------------------------------------------------
# Against a real Oxigraph server


def test_push_the_example_and_query_it_back(oxigraph: Oxigraph) -> None:
    result = run("push", str(EXAMPLE), "--endpoint", oxigraph.store, shacl=True)
    assert result.exit_code == 0, result.output
    assert "Pushed 5 of 5 graphs" in result.output
    for name in ("registry", "ontology", f"source {NEWSMAX}", f"source {SUMMARY}"):
        assert name in result.output

    local = local_graphs()
    counts = oxigraph.counts()
    assert counts.pop(META) == 5  # one content hash per graph pushed
    assert counts == {iri: triple_count(data) for iri, data in local.items()}
    assert counts[str(ONTOLOGY_GRAPH)] == len(vocabulary_graph())
    for iri, data in local.items():
        assert oxigraph.graph(iri) == data, iri
    # a plain query over the pushed data, as a user of the store would write it
    rows = oxigraph.select(
        "PREFIX sg: <https://w3id.org/stancegraph/ns#> SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a sg:Statement } }")
    statement = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/stancegraph/ns#Statement> ."
    expected = sum(data.count(statement) for iri, data in local.items() if "/graph/source/" in iri)
    assert expected > 0 and int(rows["results"]["bindings"][0]["n"]["value"]) == expected
    hashes = oxigraph.hashes()
    assert set(hashes) == set(local)
    assert all(len(values) == 1 and next(iter(values)).startswith("sha256:") for values in hashes.values())


def test_pushing_twice_changes_nothing_the_second_time(oxigraph: Oxigraph) -> None:
    assert run("push", str(EXAMPLE), "--endpoint", oxigraph.store).exit_code == 0
    before = {iri: oxigraph.graph(iri) for iri in oxigraph.counts()}

    again = run("push", str(EXAMPLE), "--endpoint", oxigraph.store, shacl=True)
    assert again.exit_code == 0, again.output
    assert again.output.strip() == f"Nothing to push: all 5 graphs are unchanged in {oxigraph.store}."

    dry = run("push", str(EXAMPLE), "--endpoint", oxigraph.store, "--dry-run")
    assert dry.exit_code == 0 and "Nothing would change: all 5 graphs are unchanged" in dry.output

    # what went over the wire the second time: one GET of the meta graph, no write at all
    with GraphStore(oxigraph.store) as store:
        plan = plan_push(store, build([EXAMPLE], shacl=False).dataset)
        result = push(store, plan)
    assert store.log.requests == [("GET", META)]
    assert result.sent == [] and plan.nothing_to_do
    assert {iri: oxigraph.graph(iri) for iri in oxigraph.counts()} == before


def test_a_changed_source_replaces_exactly_its_graph(oxigraph: Oxigraph, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    assert run("push", str(folder), "--endpoint", oxigraph.store).exit_code == 0
    old = {iri: oxigraph.graph(iri) for iri in local_graphs(folder)}
    old_hashes = oxigraph.hashes()

    edit_title(folder, SUMMARY, "A changed title")
    dry = run("push", str(folder), "--endpoint", oxigraph.store, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert f"Would send 1 of 5 graphs to {oxigraph.store} (4 unchanged):" in dry.output
    assert f"changed   source {SUMMARY}" in dry.output
    assert oxigraph.hashes() == old_hashes  # a dry run writes nothing

    with GraphStore(oxigraph.store) as store:
        plan = plan_push(store, build([folder], shacl=False).dataset)
        assert [(c.state, c.payload.name) for c in plan.to_send] == [("changed", SUMMARY)]
        push(store, plan)
    # one PUT of the changed source's graph, one of the record of hashes; nothing else written
    assert [r for r in store.log.requests if r[0] != "GET"] == [("PUT", source_graph(SUMMARY)), ("PUT", META)]

    new = local_graphs(folder)
    for iri, data in new.items():
        assert oxigraph.graph(iri) == data, iri
        if iri != source_graph(SUMMARY):
            assert data == old[iri], iri
    assert oxigraph.graph(source_graph(SUMMARY)) != old[source_graph(SUMMARY)]
    assert b"A changed title" in oxigraph.graph(source_graph(SUMMARY))
    hashes = oxigraph.hashes()
    assert {iri for iri in hashes if hashes[iri] != old_hashes[iri]} == {source_graph(SUMMARY)}

    again = run("push", str(folder), "--endpoint", oxigraph.store)
    assert "Nothing to push" in again.output


def test_the_cli_lists_only_the_changed_source(oxigraph: Oxigraph, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    assert run("push", str(folder), "--endpoint", oxigraph.store).exit_code == 0
    edit_title(folder, NEWSMAX, "Another title")
    result = run("push", str(folder), "--endpoint", oxigraph.store)
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].split() == ["sent", "changed", "source", NEWSMAX, f"({triple_count(local_graphs(folder)[source_graph(NEWSMAX)]):,}", "triples)"]
    assert lines[1].startswith(f"Pushed 1 of 5 graphs to {oxigraph.store} (4 unchanged)")
    assert len(lines) == 2


def test_server_killed_mid_push(oxigraph: Oxigraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = copy_example(tmp_path)
    assert run("push", str(folder), "--endpoint", oxigraph.store).exit_code == 0
    old = {iri: oxigraph.graph(iri) for iri in local_graphs(folder)}
    edit_title(folder, NEWSMAX, "Newsmax, edited")
    edit_title(folder, SUMMARY, "Summary, edited")
    new = local_graphs(folder)

    put = GraphStore.put
    puts: list[str] = []

    def put_then_kill(self: GraphStore, graph: str, data: bytes, **kwargs: object) -> None:
        put(self, graph, data, **kwargs)  # type: ignore[arg-type]
        puts.append(graph)
        if len(puts) == 1:
            oxigraph.kill()  # the server dies right after it accepted the first graph

    monkeypatch.setattr(GraphStore, "put", put_then_kill)
    started = time.monotonic()
    result = run("push", str(folder), "--endpoint", oxigraph.store, "--retries", "2", "--timeout", "5")
    elapsed = time.monotonic() - started
    monkeypatch.setattr(GraphStore, "put", put)

    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    sent, message = result.output.split("\n", 1)
    assert sent.split()[:4] == ["sent", "changed", "source", NEWSMAX]
    assert message.startswith(f"Error: {oxigraph.store}: PUT of the graph of source '{SUMMARY}'")
    assert "connection refused" in message and "(tried 3 times)" in message
    assert "1 of 2 changes were made before the failure" in message
    assert "Run the same command again" in message
    assert elapsed < 10  # 0.5 s + 1 s of backoff, not a hang
    assert puts == [source_graph(NEWSMAX)]

    oxigraph.start()  # same data folder: what did the crash leave?
    for iri in new:
        stored = oxigraph.graph(iri)
        assert stored in (old[iri], new[iri]), f"{iri} is neither the old nor the new version"
    assert oxigraph.graph(source_graph(SUMMARY)) == old[source_graph(SUMMARY)]  # never reached
    assert oxigraph.graph(source_graph(NEWSMAX)) == new[source_graph(NEWSMAX)]  # accepted before the crash

    finish = run("push", str(folder), "--endpoint", oxigraph.store)
    assert finish.exit_code == 0, finish.output
    assert f"source {SUMMARY}" in finish.output
    for iri, data in new.items():
        assert oxigraph.graph(iri) == data, iri
    assert "Nothing to push" in run("push", str(folder), "--endpoint", oxigraph.store).output


def test_wrong_path_fails_at_once(oxigraph: Oxigraph) -> None:
    endpoint = f"{oxigraph.url}/wrong"
    for dry_run in ((), ("--dry-run",)):
        started = time.monotonic()
        result = run("push", str(EXAMPLE), "--endpoint", endpoint, *dry_run)
        assert time.monotonic() - started < 5
        assert result.exit_code == 1 and "Traceback" not in result.output
        # not an endpoint's path: taken for a base URL, under which nothing answers; every URL tried is named
        assert result.output.startswith(f"Error: {endpoint}: no Graph Store endpoint found under this URL. Tried:")
        assert f"{endpoint}/store: HTTP 404" in result.output and f"{endpoint}/$/datasets: HTTP 404" in result.output
        assert "Oxigraph: /store and /query" in result.output
        assert "(tried" not in result.output  # no retries for a 4xx
    endpoint = f"{oxigraph.url}/wrong/store"  # an endpoint's path: taken as it is, and checked
    result = run("push", str(EXAMPLE), "--endpoint", endpoint)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {endpoint}: this URL is not a Graph Store endpoint: it answers "
                                    "HTTP 404 even for the default graph")
    assert oxigraph.counts() == {}


def test_a_base_url_finds_the_oxigraph_endpoints(oxigraph: Oxigraph, tmp_path: Path) -> None:
    for base in (oxigraph.url, oxigraph.url + "/"):
        pushed = run("push", str(EXAMPLE), "--endpoint", base)
        assert pushed.exit_code == 0, pushed.output
        assert f"{base} is a base URL: using the Graph Store endpoint {oxigraph.url}/store" in pushed.output
        assert f" to {oxigraph.url}/store (" in pushed.output or f"unchanged in {oxigraph.url}/store." in pushed.output
    assert oxigraph.counts()
    ttl = tmp_path / "gaza.ttl"
    assert run("build", str(EXAMPLE), "-o", str(ttl), "--no-shacl").exit_code == 0
    from_store = run("stats", "--endpoint", oxigraph.url)
    assert from_store.exit_code == 0, from_store.output
    assert f"using the SPARQL query endpoint {oxigraph.url}/query" in from_store.output
    assert from_store.output.split("\n", 1)[1] == run("stats", str(ttl)).output


def test_a_store_refusing_a_payload_fails_at_once(oxigraph: Oxigraph) -> None:
    """A real refusal: Oxigraph's own 400 for what is not N-Triples, through the client."""
    with GraphStore(oxigraph.store, retries=3, sleep=lambda s: pytest.fail("a 400 must not be retried")) as store:
        with pytest.raises(StoreError) as caught:
            store.put(source_graph(SUMMARY), b"<http://a> <http://b> not-rdf .\n", what=f"the graph of source '{SUMMARY}'")
    message = str(caught.value)
    assert message.startswith(f"{oxigraph.store}: PUT of the graph of source '{SUMMARY}' failed: HTTP 400 Bad Request: "
                              "the server says: ")
    assert caught.value.status == 400 and not caught.value.passing
    assert oxigraph.counts() == {}


def test_prune_deletes_sources_gone_from_the_input(oxigraph: Oxigraph, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    assert run("push", str(folder), "--endpoint", oxigraph.store).exit_code == 0
    (folder / "sources" / f"{SUMMARY}.yaml").unlink()

    kept = run("push", str(folder), "--endpoint", oxigraph.store)
    assert kept.exit_code == 0, kept.output
    assert "1 graph in the store is not in the input and was left as it is; --prune deletes it." in kept.output
    assert source_graph(SUMMARY) in oxigraph.counts()

    dry = run("push", str(folder), "--endpoint", oxigraph.store, "--prune", "--dry-run")
    assert f"delete    <{source_graph(SUMMARY)}>" in dry.output
    pruned = run("push", str(folder), "--endpoint", oxigraph.store, "--prune")
    assert pruned.exit_code == 0, pruned.output
    assert "deleted 1 graph" in pruned.output
    assert source_graph(SUMMARY) not in oxigraph.counts()
    assert source_graph(SUMMARY) not in oxigraph.hashes()
    assert "Nothing to push" in run("push", str(folder), "--endpoint", oxigraph.store, "--prune").output


def test_push_a_built_trig_file(oxigraph: Oxigraph, tmp_path: Path) -> None:
    trig = tmp_path / "gaza.trig"
    assert run("build", str(EXAMPLE), "-o", str(trig)).exit_code == 0
    result = run("push", str(trig), "--endpoint", oxigraph.store)
    assert result.exit_code == 0, result.output
    # the same graphs as from the YAML: pushing the YAML afterwards sends nothing
    assert "Nothing to push" in run("push", str(EXAMPLE), "--endpoint", oxigraph.store).output


def test_no_ontology(oxigraph: Oxigraph) -> None:
    result = run("push", str(EXAMPLE), "--endpoint", oxigraph.store, "--no-ontology")
    assert "Pushed 4 of 4 graphs" in result.output
    assert str(ONTOLOGY_GRAPH) not in oxigraph.counts()


# --------------------------------------------------------------------------------------------------
# Against scripted fakes: retries, refusals, timeouts, credentials, TLS


def test_503_twice_then_204_is_retried(fake: Callable[..., Fake]) -> None:
    server = fake(no_graph_then([(503, {}, b"busy"), (503, {}, b"busy"), (204, {}, b"")]))
    waits: list[float] = []
    with GraphStore(server.store, backoff=0.01, sleep=waits.append) as store:
        store.put("http://example.org/g", b"<http://a> <http://b> <http://c> .\n", what="graph g")
    assert [s.method for s in server.seen] == ["PUT", "PUT", "PUT"]
    assert waits == [0.01, 0.02]  # exponential backoff
    assert store.log.retries == 2
    assert server.seen[-1].query == {"graph": ["http://example.org/g"]}
    assert server.seen[-1].headers["Content-Type"] == "application/n-triples"


def test_the_cli_retries_503_and_succeeds(fake: Callable[..., Fake]) -> None:
    server = fake(no_graph_then([(503, {}, b"busy"), (503, {}, b"busy"), (204, {}, b"")]))
    result = run("push", str(EXAMPLE), "--endpoint", server.store)
    assert result.exit_code == 0, result.output
    assert "Pushed 5 of 5 graphs" in result.output
    puts = [s.query["graph"][0] for s in server.methods("PUT")]
    assert puts[:3] == [REGISTRY] * 3 and puts[-1] == META and len(puts) == 3 + 4 + 1


def test_retries_are_bounded(fake: Callable[..., Fake]) -> None:
    server = fake(no_graph_then([(503, {"Content-Type": "text/plain"}, b"overloaded, come back later")]))
    waits: list[float] = []
    with GraphStore(server.store, retries=3, backoff=0.01, sleep=waits.append) as store:
        with pytest.raises(StoreError) as caught:
            store.put("http://example.org/g", b"", what="the graph of source 'x'")
    assert len(server.methods("PUT")) == 4 and waits == [0.01, 0.02, 0.04]
    assert str(caught.value) == (f"{server.store}: PUT of the graph of source 'x' failed: HTTP 503 Service Unavailable: "
                                 "the server says: overloaded, come back later (tried 4 times)")


def test_retry_after_is_honoured_within_bounds(fake: Callable[..., Fake]) -> None:
    server = fake(no_graph_then([(429, {"Retry-After": "3"}, b""), (429, {"Retry-After": "999"}, b""), (201, {}, b"")]))
    waits: list[float] = []
    with GraphStore(server.store, backoff=0.01, max_backoff=5, sleep=waits.append) as store:
        store.put("http://example.org/g", b"")
    assert waits == [3.0, 5.0]


def test_400_fails_at_once_naming_endpoint_and_source(fake: Callable[..., Fake]) -> None:
    long_reply = b"Parser error at line 1: " + b"x" * 2000

    def script(seen: Seen) -> Reply:
        if seen.method == "GET":
            return 404, {}, b""
        if seen.query["graph"][0] == source_graph(NEWSMAX):
            return 400, {"Content-Type": "text/plain"}, long_reply
        return 204, {}, b""

    server = fake(script)
    result = run("push", str(EXAMPLE), "--endpoint", server.store)
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.splitlines()
    assert [line.split()[2] for line in lines[:2]] == ["registry", "ontology"]  # sent before the refusal
    first = lines[2]
    assert first.startswith(f"Error: {server.store}: PUT of the graph of source '{NEWSMAX}' <{source_graph(NEWSMAX)}> "
                            "failed: HTTP 400 Bad Request: the server says: Parser error at line 1: xxx")
    assert first.endswith("…") and len(first) < 600  # the reply is trimmed
    assert "2 of 5 changes were made before the failure" in result.output
    assert "Run it again once that is fixed." in result.output
    # one PUT of the refused graph, no retry; the hashes of the two graphs sent are recorded (POST)
    assert [s.query["graph"][0] for s in server.methods("PUT")] == [REGISTRY, str(ONTOLOGY_GRAPH), source_graph(NEWSMAX)]
    assert [s.query["graph"][0] for s in server.methods("POST")] == [META]
    recorded = server.methods("POST")[0].body.decode()
    assert REGISTRY in recorded and str(ONTOLOGY_GRAPH) in recorded and NEWSMAX not in recorded


def test_timeouts_are_retried_then_reported(fake: Callable[..., Fake]) -> None:
    def slow(seen: Seen) -> Reply:
        time.sleep(0.5)
        return 204, {}, b""

    server = fake(slow)
    waits: list[float] = []
    with GraphStore(server.store, timeout=0.1, retries=1, backoff=0.01, sleep=waits.append) as store:
        with pytest.raises(StoreError) as caught:
            store.put("http://example.org/g", b"", what="graph g")
    assert "no whole reply within 0.1 s (timed out) (tried 2 times)" in str(caught.value)
    assert waits == [0.01]


def test_server_down_is_reported_clearly() -> None:
    endpoint = f"http://127.0.0.1:{_free_port()}/store"
    result = run("push", str(EXAMPLE), "--endpoint", endpoint, "--retries", "1")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith(f"Error: {endpoint}: GET of the meta graph <{META}> failed: connection refused")
    assert "(tried 2 times)" in result.output


def test_a_server_closing_kept_alive_connections_is_not_an_error(fake: Callable[..., Fake]) -> None:
    server = fake(lambda seen: (204, {"Connection": "close"}, b""))
    with GraphStore(server.store, retries=0) as store:
        for i in range(3):
            store.put(f"http://example.org/g{i}", b"")
    assert len(server.methods("PUT")) == 3 and store.log.retries == 0


def test_credentials_from_the_environment(fake: Callable[..., Fake], tmp_path: Path) -> None:
    server = fake(no_graph_then([(204, {}, b"")]))
    token = run("push", str(EXAMPLE), "--endpoint", server.store, env={"STANCEGRAPH_TOKEN": "s3cret-token"})
    assert token.exit_code == 0, token.output
    assert {s.headers.get("Authorization") for s in server.seen} == {"Bearer s3cret-token"}
    assert "s3cret" not in token.output

    server.seen.clear()
    basic = run("push", str(EXAMPLE), "--endpoint", server.store,
                env={"STANCEGRAPH_USER": "ana", "STANCEGRAPH_PASSWORD": "pa:ss"})
    assert basic.exit_code == 0, basic.output
    assert {s.headers.get("Authorization") for s in server.seen} == {"Basic YW5hOnBhOnNz"}  # ana:pa:ss


def test_credentials_from_netrc(fake: Callable[..., Fake], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1\n  login ana\n  password from-netrc\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    server = fake(no_graph_then([(204, {}, b"")]))
    assert run("push", str(EXAMPLE), "--endpoint", server.store).exit_code == 0
    assert {s.headers.get("Authorization") for s in server.seen} == {"Basic YW5hOmZyb20tbmV0cmM="}
    credentials = credentials_for("https://other.example.org/store")
    assert credentials is None  # another host: nothing sent
    assert "from-netrc" not in repr(credentials_for(server.store))


def test_no_credentials_no_header_and_a_401_says_what_to_do(fake: Callable[..., Fake]) -> None:
    server = fake(lambda seen: (401, {"WWW-Authenticate": 'Basic realm="store"'}, b""))
    result = run("push", str(EXAMPLE), "--endpoint", server.store)
    assert result.exit_code == 1
    assert "HTTP 401" in result.output and "set STANCEGRAPH_USER and STANCEGRAPH_PASSWORD" in result.output
    assert all("Authorization" not in s.headers for s in server.seen)
    assert len(server.seen) == 1  # a 401 is not retried


def test_credentials_are_never_taken_from_the_command_line() -> None:
    bad = run("push", str(EXAMPLE), "--endpoint", "http://ana:secret@127.0.0.1:1/store")
    assert bad.exit_code == 2 and "holds credentials" in bad.output
    option = run("push", str(EXAMPLE), "--endpoint", "http://127.0.0.1:1/store", "--password", "x")
    assert option.exit_code == 2
    half = run("push", str(EXAMPLE), "--endpoint", "http://127.0.0.1:1/store", env={"STANCEGRAPH_USER": "ana"})
    assert half.exit_code == 2 and "STANCEGRAPH_PASSWORD is not set" in half.output
    with pytest.raises(SettingsError):
        credentials_for("http://x/", {"STANCEGRAPH_TOKEN": "t", "STANCEGRAPH_USER": "u", "STANCEGRAPH_PASSWORD": "p"})


def test_usage_errors_exit_2() -> None:
    for endpoint in ("ftp://127.0.0.1/store", "not a url", "http:///store"):
        result = run("push", str(EXAMPLE), "--endpoint", endpoint)
        assert result.exit_code == 2, (endpoint, result.output)
    assert run("push", str(EXAMPLE)).exit_code == 2  # no endpoint


def test_a_graph_file_without_named_graphs_is_refused(tmp_path: Path) -> None:
    ttl = tmp_path / "gaza.ttl"
    assert run("build", str(EXAMPLE), "-o", str(ttl)).exit_code == 0
    result = run("push", str(ttl), "--endpoint", f"http://127.0.0.1:{_free_port()}/store")
    assert result.exit_code == 1
    assert "holds no registry graph" in result.output and "Turtle and N-Triples" in result.output


def test_input_problems_send_nothing(fake: Callable[..., Fake], tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    path = folder / "sources" / f"{SUMMARY}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("relation:", "relation: nonsense-", 1), encoding="utf-8")
    server = fake(no_graph_then([(204, {}, b"")]))
    result = run("push", str(folder), "--endpoint", server.store, shacl=True)
    assert result.exit_code == 1 and "nothing was sent" in result.output
    assert server.seen == []


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


def test_https_is_verified_by_default(fake: Callable[..., Fake], tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    server = fake(no_graph_then([(204, {}, b"")]), tls=(cert, key))
    refused = run("push", str(EXAMPLE), "--endpoint", server.store)
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "TLS certificate is not trusted" in refused.output and "--ca-bundle" in refused.output
    assert server.seen == []

    trusted = run("push", str(EXAMPLE), "--endpoint", server.store, "--ca-bundle", str(cert))
    assert trusted.exit_code == 0, trusted.output
    assert len(server.methods("PUT")) == 6


def test_plain_http_with_credentials_warns() -> None:
    from stancegraph.cli.store import plain_http_warning

    token = credentials_for("http://store.example.org/", {"STANCEGRAPH_TOKEN": "t", "NETRC": "/nonexistent"})
    warning = plain_http_warning("http://store.example.org/store", token)
    assert warning is not None and warning.startswith("sending credentials from STANCEGRAPH_TOKEN over plain http://")
    assert plain_http_warning("https://store.example.org/store", token) is None
    for loopback in ("http://127.0.0.1:7878/store", "http://127.0.0.2/store", "http://localhost/store", "http://[::1]/s"):
        assert plain_http_warning(loopback, token) is None
    assert plain_http_warning("http://store.example.org/store", None) is None


def test_an_unknown_host_fails_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dns(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)  # no lookup leaves this machine
    result = run("push", str(EXAMPLE), "--endpoint", "http://store.example.org/store")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "cannot resolve the host 'store.example.org' (Name or service not known); check the endpoint URL" \
        in result.output
    assert "tried" not in result.output


# --------------------------------------------------------------------------------------------------
# Reading from a store: --endpoint for query, matrix, blockers, contradictions, stats and export


def test_read_commands_work_against_the_store(oxigraph: Oxigraph, tmp_path: Path) -> None:
    assert run("push", str(EXAMPLE), "--endpoint", oxigraph.store).exit_code == 0
    ttl = tmp_path / "gaza.ttl"
    assert run("build", str(EXAMPLE), "-o", str(ttl), "--no-shacl").exit_code == 0
    sparql = f"{oxigraph.url}/query"
    for command in (["stats"], ["contradictions"], ["matrix", "--format", "csv"], ["query", "--named", "approvals"],
                    ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"],
                    ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/stancegraph/ns#Statement> }"]):
        from_file = run(command[0], str(ttl), *command[1:])
        from_store = run(command[0], "--endpoint", sparql, *command[1:])
        assert from_file.exit_code == 0 and from_store.exit_code == 0, (command, from_store.output)
        assert from_store.output == from_file.output, command
    blockers = run("blockers", "--endpoint", sparql, "gaza-day-after-plan")
    assert blockers.exit_code == 0, blockers.output
    assert blockers.output == run("blockers", str(ttl), "gaza-day-after-plan").output
    assert run("export", "--endpoint", sparql, "-o", str(tmp_path / "store.csv")).exit_code == 0
    assert run("export", str(ttl), "-o", str(tmp_path / "file.csv")).exit_code == 0
    assert (tmp_path / "store.csv").read_bytes() == (tmp_path / "file.csv").read_bytes()
    for extra in ([], ["--focus", "israel", "--depth", "1"]):
        from_store = run("view", "--endpoint", sparql, "--title", "t", "-o", str(tmp_path / "store.html"), *extra)
        assert from_store.exit_code == 0, from_store.output
        assert run("view", str(ttl), "--title", "t", "-o", str(tmp_path / "file.html"), *extra).exit_code == 0
        assert (tmp_path / "store.html").read_bytes() == (tmp_path / "file.html").read_bytes(), extra
    assert run("view", "-o", str(tmp_path / "x.html")).exit_code == 2
    assert run("view", str(ttl), "--endpoint", sparql, "-o", str(tmp_path / "x.html")).exit_code == 2


def test_read_commands_say_what_is_wrong(oxigraph: Oxigraph, tmp_path: Path) -> None:
    sparql = f"{oxigraph.url}/query"
    empty = run("stats", "--endpoint", sparql)
    assert empty.exit_code == 1 and "the store holds no stancegraph data" in empty.output
    assert "--endpoint is the SPARQL query endpoint" in empty.output
    gsp = run("stats", "--endpoint", oxigraph.store)  # the Graph Store endpoint is for push, not for reading
    assert gsp.exit_code == 1 and "Traceback" not in gsp.output
    assert gsp.output.startswith(f"Error: {oxigraph.store}: POST of the CONSTRUCT query")
    both = run("stats", str(EXAMPLE), "--endpoint", sparql)
    assert both.exit_code == 2 and "give GRAPH or --endpoint URL, not both" in both.output
    assert run("stats").exit_code == 2
    assert run("blockers", "--endpoint", sparql).exit_code == 2
    assert run("blockers", str(tmp_path / "missing.ttl"), "x").exit_code == 2


# --------------------------------------------------------------------------------------------------
# Two pushes at once


def test_pushes_from_one_machine_take_turns(oxigraph: Oxigraph, tmp_path: Path) -> None:
    import fcntl

    from stancegraph.output.store.sync import push_lock_file

    lock = push_lock_file(oxigraph.store, tmp_path / ".cache" / "stancegraph")
    lock.parent.mkdir(parents=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as another push would hold it
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / ".cache")}
    try:
        process = subprocess.Popen([str(Path(sysconfig.get_path("scripts")) / "stancegraph"), "push", str(EXAMPLE),
                                    "--endpoint", oxigraph.store, "--no-shacl"], env=env, cwd=tmp_path,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(3)
        assert process.poll() is None
        assert oxigraph.counts() == {}  # planned nothing, sent nothing while the other push runs
    finally:
        os.close(fd)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()
    assert f"Waiting: another stancegraph push to {oxigraph.store} is running on this machine." in err.decode()
    assert "Pushed" in out.decode()


def test_a_push_that_raced_another_takes_out_the_records_it_cannot_vouch_for(oxigraph: Oxigraph) -> None:
    """Another machine's push records a graph while this one runs: this push does not write its own record
    over it; it takes out the records of the graphs it sent (which may hold either push's data), says so, and
    the next push sends those again."""
    from stancegraph.output.graphfile import load_dataset
    from stancegraph.output.store import GraphStore, PushFailed, plan_push
    from stancegraph.output.store import push as push_graphs
    from stancegraph.output.store.sync import hash_triples

    dataset = load_dataset([EXAMPLE], shacl=False)
    with GraphStore(oxigraph.store, retries=0) as store:
        plan = plan_push(store, dataset)
        sent_first = plan.to_send[0].payload.iri
        real_put = store.put

        def put_then_race(graph, data, **kwargs):  # type: ignore[no-untyped-def]
            real_put(graph, data, **kwargs)
            if graph == sent_first:  # the other push records the same graph with its own hash meanwhile
                store.post(plan.meta_graph, hash_triples({sent_first: {"sha256:" + "0" * 64}}), what="the race")

        store.put = put_then_race  # type: ignore[method-assign]
        with pytest.raises(PushFailed) as caught:
            push_graphs(store, plan)
    assert "another push changed the store's record of graphs while this one ran" in str(caught.value)
    again = run("push", str(EXAMPLE), "--endpoint", oxigraph.store)
    assert again.exit_code == 0, again.output
    assert f"Pushed {len(plan.to_send)} of" in again.output  # every graph the raced push sent, sent again
    assert "Nothing to push" in run("push", str(EXAMPLE), "--endpoint", oxigraph.store).output


@pytest.mark.parametrize("ext", ["trig", "nq", "jsonld"])
def test_a_graph_file_is_pushed_as_rdflib_would_write_it(tmp_path: Path, ext: str) -> None:
    """Graph files are serialised by pyoxigraph, not rdflib: the same bytes and hashes, blank nodes (a
    graph with one is canonicalised by rdflib as before) included."""
    from stancegraph.output.graphfile import read_graph, read_graphs
    from stancegraph.output.store.sync import FileGraphs, payloads

    path = tmp_path / f"gaza.{ext}"
    assert run("build", str(EXAMPLE), "-o", str(path), "--no-index").exit_code == 0
    if ext == "nq":  # a blank node in a source's graph
        line = path.read_text("utf-8").splitlines()[-1]
        graph = line.rsplit(" ", 2)[-2]
        with path.open("a", encoding="utf-8") as f:
            f.write(f'_:b1 <http://www.w3.org/2000/01/rdf-schema#label> "blank"@en {graph} .\n')
    by_rdflib, by_oxigraph = payloads(read_graph([path])), payloads(FileGraphs(read_graphs([path])))
    assert by_oxigraph == by_rdflib
    assert len(by_oxigraph[1]) == 5 and all(p.data for p in by_oxigraph[1])  # the registry and the 3 sources, the ontology
    if ext == "nq":
        assert sum(b'"blank"@en' in p.data for p in by_oxigraph[1]) == 1


# --------------------------------------------------------------------------------------------------
# New graphs in chunks of N-Quads (issue 15)


def _replicated(target: Path, copies: int) -> Path:
    """The example with each source copied ``copies`` times under new ids: a corpus with more new graphs
    than :data:`CHUNK_FROM`, so that push sends them in chunks of N-Quads."""
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("sources"))  # the registry, texts, …
    (target / "sources").mkdir()
    for path in sorted((EXAMPLE / "sources").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for i in range(copies):
            new_id = f"{path.stem}-{i:02d}"
            (target / "sources" / f"{new_id}.yaml").write_text(
                text.replace(f"id: {path.stem}\n", f"id: {new_id}\n", 1), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def many_nq(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A .nq file of the example's registry, 24 sources (8 copies of each) and no ontology."""
    folder = _replicated(tmp_path_factory.mktemp("many") / "corpus", 8)
    path = folder.parent / "many.nq"
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(path), "--no-index", "--no-shacl", "-q"])
    assert result.exit_code == 0, result.output
    return path


def _file_graphs(path: Path, *, as_sent: bool = False) -> dict[str, bytes]:
    """The canonical N-Triples of each graph of a graph file: as sent, or as Oxigraph gives them back."""
    from stancegraph.output.graphfile import read_graphs
    from stancegraph.output.store.sync import FileGraphs, payloads

    _, items = payloads(FileGraphs(read_graphs([path])))
    return {p.iri: p.data if as_sent else as_oxigraph_keeps(p.data) for p in items}


def _quads_posted(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Record the body of each chunk of N-Quads a push sends (after the store took it)."""
    posted: list[bytes] = []
    real = GraphStore.post_quads

    def post_quads(self: GraphStore, data: bytes, **kwargs: object) -> None:
        real(self, data, **kwargs)  # type: ignore[arg-type]
        posted.append(data)

    monkeypatch.setattr(GraphStore, "post_quads", post_quads)
    return posted


def test_a_first_push_sends_new_graphs_in_chunks_of_n_quads(oxigraph: Oxigraph, many_nq: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    posted = _quads_posted(monkeypatch)
    result = run("push", str(many_nq), "--endpoint", oxigraph.store)
    assert result.exit_code == 0, result.output
    assert "Pushed 26 of 26 graphs" in result.output
    local = _file_graphs(many_nq)
    sources = [iri for iri in local if "/graph/source/" in iri]
    assert len(sources) == 24
    # every registry and source graph went in the chunks (one here: 24 small sources), the ontology did not
    assert len(posted) == 1
    quads = b"".join(posted)
    assert quads.count(b"\n") == sum(triple_count(data) for iri, data in local.items() if iri != str(ONTOLOGY_GRAPH))
    assert str(ONTOLOGY_GRAPH).encode() + b"> ." not in quads
    counts = oxigraph.counts()
    assert counts.pop(META) == 26
    assert counts == {iri: triple_count(data) for iri, data in local.items()}
    for iri in (REGISTRY, sources[0], sources[-1], str(ONTOLOGY_GRAPH)):
        assert oxigraph.graph(iri) == local[iri], iri
    hashes = oxigraph.hashes()  # the final record: one hash per graph, no "sending" left
    assert set(hashes) == set(local) and all(len(h) == 1 and next(iter(h)).startswith("sha256:") for h in hashes.values())

    posted.clear()
    again = run("push", str(many_nq), "--endpoint", oxigraph.store)
    assert again.exit_code == 0 and again.output.startswith("Nothing to push: all 26 graphs are unchanged")
    assert posted == []


def test_chunks_and_what_goes_over_the_wire(oxigraph: Oxigraph) -> None:
    from stancegraph.output.store.sync import chunkable

    dataset = build([EXAMPLE], shacl=False).dataset
    with GraphStore(oxigraph.store) as store:
        plan = plan_push(store, dataset)
        assert plan.chunks and chunkable(plan) == []  # 4 new graphs: fewer than CHUNK_FROM, each PUT
        in_chunks = chunkable(plan, chunk_from=1)
        assert [c.payload.kind for c in in_chunks] == ["registry", "source", "source", "source"]
        store.log.requests.clear()
        lazy = plan_push(store, dataset, lazy=True)
        assert lazy.changes == [] and lazy.total == 5  # nothing serialised yet
        result = push(store, lazy, chunk_from=1, chunk_triples=500)
    assert len(result.sent) == 5 and lazy.changes == plan.changes
    writes = [r for r in store.log.requests if r[0] in ("PUT", "POST")]
    assert writes.count(("PUT", str(ONTOLOGY_GRAPH))) == 1 and writes[-1] == ("PUT", META)
    chunks = [i for i, r in enumerate(writes) if r == ("POST", "None")]
    # the registry (191 triples) and the first source (780) make a chunk; the other two sources another
    assert len(chunks) == 2 and len(writes) == 2 * 2 + 2
    assert all(writes[i - 1] == ("POST", META) for i in chunks)  # each chunk announced in the meta graph first
    local = local_graphs()
    assert set(oxigraph.counts()) == set(local) | {META}
    for iri, data in local.items():
        assert oxigraph.graph(iri) == data, iri
    assert all(len(h) == 1 for h in oxigraph.hashes().values())


def test_a_push_killed_between_a_chunk_and_its_record_is_finished_by_the_next(
        oxigraph: Oxigraph, tmp_path: Path) -> None:
    """The store took a chunk, then died before its graphs' hashes were recorded: the next push must replace
    those graphs whole (PUT), not add to them, even when one of them changed in between."""
    from stancegraph.output.store import PushFailed
    from stancegraph.output.store.sync import SENDING

    folder = copy_example(tmp_path)
    with GraphStore(oxigraph.store, retries=0) as store:
        plan = plan_push(store, build([folder], shacl=False).dataset)
        real = store.post_quads
        chunks: list[bytes] = []

        def post_then_kill(data: bytes, **kwargs: object) -> None:
            real(data, **kwargs)  # type: ignore[arg-type]
            chunks.append(data)
            if len(chunks) == 2:
                oxigraph.kill()  # the store took the registry and the first source, then died

        store.post_quads = post_then_kill  # type: ignore[method-assign]
        with pytest.raises(PushFailed) as caught:
            push(store, plan, chunk_from=1, chunk_triples=1)  # one graph per chunk
    assert caught.value.sent == 3  # the registry's chunk, the ontology (PUT), the first source's chunk
    oxigraph.start()
    first = plan.to_send[2].payload  # registry, ontology, then the sources in order: the first source
    assert first.kind == "source" and oxigraph.counts()[first.iri] > 0
    recorded = oxigraph.hashes()
    assert recorded[first.iri] == recorded[REGISTRY] == {SENDING}  # marked; the hashes wait for the end
    assert recorded[str(ONTOLOGY_GRAPH)] == {plan.to_send[1].payload.hash}  # PUT: recorded with the next marks

    edit_title(folder, first.name, "Edited after the crash")
    new = local_graphs(folder)
    with GraphStore(oxigraph.store) as store:
        plan = plan_push(store, build([folder], shacl=False).dataset)
        states = {c.payload.iri: c.state for c in plan.to_send}
        assert states[first.iri] == "changed" and states[REGISTRY] == "changed"
        result = push(store, plan, chunk_from=1, chunk_triples=1)
    assert ("PUT", first.iri) in store.log.requests and len(result.sent) == len(plan.to_send)
    assert set(oxigraph.counts()) == set(new) | {META}  # nothing left over
    for iri, data in new.items():
        assert oxigraph.graph(iri) == data, iri  # no duplicates: the old title is gone
    assert b"Edited after the crash" in oxigraph.graph(first.iri)
    with GraphStore(oxigraph.store) as store:
        assert plan_push(store, build([folder], shacl=False).dataset).nothing_to_do


def test_no_meta_graph_but_the_dataset_is_there_puts_each_graph(oxigraph: Oxigraph) -> None:
    assert run("push", str(EXAMPLE), "--endpoint", oxigraph.store).exit_code == 0
    with GraphStore(oxigraph.store) as store:
        assert store.delete(META)
        plan = plan_push(store, build([EXAMPLE], shacl=False).dataset)
        assert not plan.chunks and all(c.state == "new" for c in plan.changes)
        push(store, plan, chunk_from=1)
    assert ("POST", "None") not in store.log.requests
    assert [r for r in store.log.requests if r[0] == "PUT"][:-1] == [("PUT", c.payload.iri) for c in plan.changes]
    for iri, data in local_graphs().items():
        assert oxigraph.graph(iri) == data, iri


def test_a_store_refusing_n_quads_gets_each_graph_with_put(fake: Callable[..., Fake], many_nq: Path) -> None:
    meta: list[bytes] = []  # what was added to the meta graph: the final check reads it back

    def script(seen: Seen) -> Reply:
        if seen.method == "GET":
            if seen.query.get("graph") == [META] and meta:
                return 200, {"Content-Type": "application/n-triples"}, b"".join(meta)
            return 404, {"Content-Type": "text/plain"}, b"no such graph"
        if seen.method == "POST" and "graph" not in seen.query:
            return 415, {"Content-Type": "text/plain"}, b"only triples here"
        if seen.method == "POST" and seen.query["graph"] == [META]:
            meta.append(seen.body)
        return 204, {}, b""

    server = fake(script)
    result = run("push", str(many_nq), "--endpoint", server.store)
    assert result.exit_code == 0, result.output
    assert "Pushed 26 of 26 graphs" in result.output
    assert "refused new graphs as N-Quads (HTTP 415); sending each graph with PUT instead" in result.output
    refused = [s for s in server.methods("POST") if "graph" not in s.query]
    assert len(refused) == 1 and refused[0].headers["Content-Type"] == "application/n-quads"
    puts = [s.query["graph"][0] for s in server.methods("PUT")]
    assert sorted(puts[:-1]) == sorted(_file_graphs(many_nq)) and puts[-1] == META
    sent = _file_graphs(many_nq, as_sent=True)
    for seen in server.methods("PUT")[:-1]:
        assert seen.body == sent[seen.query["graph"][0]]


def test_graphs_with_blank_nodes_and_the_vocabulary_are_never_chunked(tmp_path: Path) -> None:
    from stancegraph.output.graphfile import read_graphs
    from stancegraph.output.store.sync import Change, FileGraphs, PushPlan, chunkable, payloads

    path = tmp_path / "gaza.nq"
    assert run("build", str(EXAMPLE), "-o", str(path), "--no-index").exit_code == 0
    with path.open("a", encoding="utf-8") as f:
        f.write(f'_:b1 <http://www.w3.org/2000/01/rdf-schema#label> "blank"@en <{source_graph(SUMMARY)}> .\n')
    base, items = payloads(FileGraphs(read_graphs([path])))
    plan = PushPlan("http://x/store", base, [Change(p, "new") for p in items], {}, [])
    assert sorted(c.payload.label for c in chunkable(plan, 1)) == sorted(
        p.label for p in items if p.kind != "ontology" and p.iri != source_graph(SUMMARY))
    plan.chunks = False
    assert chunkable(plan, 1) == []


def test_a_large_input_lists_its_few_sent_graphs_once_sent(oxigraph: Oxigraph, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Graphs are compared as the push goes: an input of more graphs than LIST_LIMIT lists what it sent at
    the end, when that is LIST_LIMIT or fewer."""
    import stancegraph.cli.store

    monkeypatch.setattr(stancegraph.cli.store, "LIST_LIMIT", 2)
    folder = copy_example(tmp_path)
    first = run("push", str(folder), "--endpoint", oxigraph.store)
    assert first.exit_code == 0 and first.output.startswith(f"Pushed 5 of 5 graphs to {oxigraph.store}")
    edit_title(folder, SUMMARY, "Listed at the end")
    second = run("push", str(folder), "--endpoint", oxigraph.store)
    assert second.exit_code == 0, second.output
    lines = second.output.splitlines()
    assert lines[0].split()[:4] == ["sent", "changed", "source", SUMMARY]
    assert lines[1].startswith(f"Pushed 1 of 5 graphs to {oxigraph.store} (4 unchanged)") and len(lines) == 2
