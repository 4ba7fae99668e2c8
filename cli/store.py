"""push: send a built dataset to a SPARQL store, one named graph per source (Graph Store Protocol)."""

from __future__ import annotations

import functools
import gc
import ipaddress
import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from stancegraph.graph import StancegraphError

from .app import INPUTS, PROGRESS_THRESHOLD, cli, fail

#: above this many graphs to send, push prints a progress bar (on a terminal) instead of a line per graph
LIST_LIMIT = 50

ENDPOINT_HELP = ("The store's SPARQL Graph Store Protocol endpoint, e.g. http://localhost:7878/store "
                 "(Oxigraph) or http://localhost:3030/DATASET/data (Fuseki), or the store's base URL "
                 "(http://localhost:7878), under which it is looked for. See docs/stores.md.")


def store_options(function):  # type: ignore[no-untyped-def]
    """The connection options every command that talks to a store shares."""
    for option in reversed([
        click.option("--endpoint", required=True, metavar="URL", envvar="STANCEGRAPH_ENDPOINT", show_envvar=True,
                     help=ENDPOINT_HELP),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True, metavar="SECONDS",
                     help="How long to wait for each reply of the store."),
        click.option("--retries", type=click.IntRange(0, 10), default=3, show_default=True,
                     help="How often to retry a request that failed for a passing reason (connection refused or "
                          "reset, timeout, HTTP 429 or 5xx), waiting 0.5 s, 1 s, 2 s, … in between."),
        click.option("--ca-bundle", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE",
                     help="PEM file of the certificate authorities to trust for https:// (default: the system's). "
                          "Certificates are always verified."),
    ]):
        function = option(function)
    return function


def open_store(endpoint: str, timeout: float, retries: int, ca_bundle: Path | None, kind=None):  # type: ignore[no-untyped-def]
    """A :class:`GraphStore` (or ``kind``) for the options of :func:`store_options`; usage problems exit with 2."""
    from stancegraph.output.store import GraphStore, HttpEndpoint, SettingsError, StoreError, check_endpoint, credentials_for
    from stancegraph.output.store.discover import find_endpoint

    try:
        check_endpoint(endpoint)
    except SettingsError as exc:
        raise click.BadParameter(str(exc), param_hint="'--endpoint'") from None
    try:
        credentials = credentials_for(endpoint)
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None
    warning = plain_http_warning(endpoint, credentials)
    if warning:
        click.echo(f"Warning: {warning}", err=True)

    def probe(url: str) -> HttpEndpoint:  # a base URL is probed once per candidate, without retries
        return HttpEndpoint(url, credentials=credentials, ca_bundle=ca_bundle, timeout=min(timeout, 10.0), retries=0)

    try:
        endpoint, note = find_endpoint(endpoint, probe, graph_store=kind in (None, GraphStore))
        store = (kind or GraphStore)(endpoint, credentials=credentials, ca_bundle=ca_bundle, timeout=timeout,
                                     retries=retries)
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None
    except StoreError as exc:
        raise fail(exc) from None
    if note:
        click.echo(note, err=True)
    return store


def plain_http_warning(endpoint: str, credentials) -> str | None:  # type: ignore[no-untyped-def]
    """A warning when credentials would cross a network unencrypted (http:// to another machine)."""
    parts = urlsplit(endpoint)
    if credentials is None or parts.scheme != "http" or _is_loopback(parts.hostname or ""):
        return None
    return (f"sending credentials from {credentials.origin} over plain http:// to {parts.hostname}; anyone on the "
            "way can read them. Use https:// if the store offers it.")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@cli.command()
@INPUTS
@store_options
@click.option("--dry-run", is_flag=True, help="Only list what would be sent (reads the store, changes nothing).")
@click.option("--prune", is_flag=True,
              help="Also delete the graphs of sources that an earlier push sent but the input no longer has.")
@click.option("--ontology/--no-ontology", default=True, show_default=True,
              help="Also push the stancegraph vocabulary, in the graph <https://w3id.org/stancegraph/ns>.")
@click.option("--shacl/--no-shacl", default=True, show_default=True,
              help="Check a graph built from annotation files against the SHACL shapes first.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def push(inputs: tuple[Path, ...], endpoint: str, timeout: float, retries: int, ca_bundle: Path | None,
         dry_run: bool, prune: bool, ontology: bool, shacl: bool, quiet: bool) -> None:
    """Send a graph to a SPARQL store: the registry, each source and the vocabulary in graphs of their own.

    INPUTS are annotation files and folders, or a .trig/.nq/.jsonld file written by stancegraph build.
    A changed graph is sent whole with PUT, which replaces it; new graphs go in chunks of N-Quads (one
    POST per ~50,000 triples; PUT when the store refuses them). A graph whose content the store already
    has (by SHA-256 of its sorted N-Triples, recorded in the store) is not sent again. Pushing twice
    sends nothing the second time.

    Credentials come from STANCEGRAPH_USER and STANCEGRAPH_PASSWORD, STANCEGRAPH_TOKEN, or a netrc
    file (~/.netrc, or the file NETRC names); never from the command line.

    \b
    Examples:
      stancegraph push examples/gaza-day-after --endpoint http://localhost:7878/store --dry-run
      stancegraph push out/gaza.trig --endpoint https://sparql.example.org/ds/data
    Exit codes: 0 ok, 1 the input has problems or the store failed, 2 wrong usage.
    """
    from contextlib import ExitStack

    from stancegraph.graph.files import holding
    from stancegraph.output.graphfile import _all_graph_files, load_dataset, read_graphs
    from stancegraph.output.store import PushFailed, plan_push
    from stancegraph.output.store import push as push_graphs
    from stancegraph.output.store.sync import FileGraphs, push_lock_file

    store = open_store(endpoint, timeout, retries, ca_bundle)
    endpoint = store.endpoint  # the one found, when a base URL was given: what the messages below name
    lock = ExitStack()
    # a million terms of a graph file make the cyclic garbage collector walk an ever larger heap again and
    # again (a fifth of the client's time); they hold no cycles, and the collector is back when push ends
    if gc.isenabled():
        gc.disable()
        lock.callback(gc.enable)
    try:
        dataset = FileGraphs(read_graphs(list(inputs))) if _all_graph_files(list(inputs)) else \
            load_dataset(list(inputs), shacl=shacl)
        if not dry_run:  # pushes to one store from this machine take turns (from planning to the last record)
            lock.enter_context(holding(push_lock_file(endpoint), waiting=lambda: click.echo(
                f"Waiting: another stancegraph push to {endpoint} is running on this machine.", err=True)))
        # a push prepares the graphs as it goes (lazy), sending the first while it serialises the others
        plan = plan_push(store, dataset, ontology=ontology, prune=prune, lazy=not dry_run)
        total = plan.total
        if dry_run:
            _print_plan(plan)
            return
        listing = not quiet and total <= LIST_LIMIT  # then at most LIST_LIMIT graphs to send: listed as they go
        bar = None
        if not quiet and not listing and sys.stderr.isatty() and total >= PROGRESS_THRESHOLD:
            bar = click.progressbar(length=total, label="Pushing", file=sys.stderr)

        def progress(change):  # type: ignore[no-untyped-def]
            if listing:
                click.echo(_sent_line(change))
            elif bar is not None:
                bar.update(1)

        def unchanged(change):  # type: ignore[no-untyped-def]
            if bar is not None:
                bar.update(1)

        def note(message: str) -> None:
            if not quiet:
                click.echo(f"Note: {message}", err=True)

        with bar if bar is not None else ExitStack():
            result = push_graphs(store, plan, progress=progress, note=note, unchanged=unchanged)
    except PushFailed as exc:
        done = f"{exc.sent} of {exc.total} changes were made before the failure" if exc.sent else "nothing was changed"
        again = "Run the same command again to send the rest." if exc.passing else "Run it again once that is fixed."
        raise click.ClickException(
            f"{exc}\n{done}; each graph in the store is whole, either as it was or as it is now. {again}") from None
    except StancegraphError as exc:
        raise fail(exc, "nothing was sent") from None
    finally:
        lock.close()
        store.close()
    if quiet:
        return
    if plan.nothing_to_do:
        click.echo(f"Nothing to push: all {_graphs(total)} are unchanged in {endpoint}.")
        _print_extra(plan)
        return
    if not listing and len(result.sent) <= LIST_LIMIT:  # a few graphs of a large input: listed once sent
        for change in result.sent:
            click.echo(_sent_line(change))
    deleted = f", deleted {_graphs(len(result.deleted))}" if result.deleted else ""
    click.echo(f"Pushed {len(result.sent)} of {_graphs(total)} to {endpoint} ({len(plan.unchanged)} unchanged{deleted}): "
               f"{result.triples_sent:,} triples, {result.bytes_sent:,} bytes in {result.seconds:.1f} s.")
    _print_extra(plan)


def _sent_line(change) -> str:  # type: ignore[no-untyped-def]
    return f"  sent  {change.state:<9} {change.payload.label}  ({change.payload.triples:,} triples)"


def _graphs(n: int) -> str:
    return f"{n} graph{'s' if n != 1 else ''}"


def _print_plan(plan) -> None:  # type: ignore[no-untyped-def]
    total = len(plan.changes)
    if plan.nothing_to_do:
        click.echo(f"Nothing would change: all {_graphs(total)} are unchanged in {plan.endpoint}.")
    else:
        click.echo(f"Would send {len(plan.to_send)} of {_graphs(total)} to {plan.endpoint} "
                   f"({len(plan.unchanged)} unchanged):")
        for change in plan.to_send:
            click.echo(f"  {change.state:<9} {change.payload.label}  ({change.payload.triples:,} triples)")
        for iri in plan.to_delete:
            click.echo(f"  delete    <{iri}>")
        if not plan.to_send and not plan.to_delete:
            click.echo("  (only the record of content hashes in the store would be rewritten)")
    _print_extra(plan)


def _print_extra(plan) -> None:  # type: ignore[no-untyped-def]
    if plan.extra and not plan.prune:
        one = len(plan.extra) == 1
        click.echo(f"{_graphs(len(plan.extra))} in the store {'is' if one else 'are'} not in the input and "
                   f"{'was' if one else 'were'} left as {'it is' if one else 'they are'}; --prune deletes "
                   f"{'it' if one else 'them'}.")


# --------------------------------------------------------------------------------------------------
# Reading from a store: --endpoint for the commands that read a graph

_ENDPOINT_KEY = "stancegraph.read_endpoint"


def endpoint_option(function):  # type: ignore[no-untyped-def]
    """Give a command that reads GRAPH an ``--endpoint URL`` to read from a SPARQL store instead.

    The command then calls :func:`load_graph` for its dataset; certificates and credentials work as
    for push (``SSL_CERT_FILE`` names a CA bundle, since these commands take no ``--ca-bundle``).
    """
    @functools.wraps(function)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        endpoint = kwargs.pop("endpoint", None)
        click.get_current_context().meta[_ENDPOINT_KEY] = endpoint
        # GRAPH is the first positional argument; with --endpoint there is none, so what was parsed as
        # GRAPH is the next one: blockers --endpoint URL PROPOSAL, query --endpoint URL QUERY
        for name in ("proposal", "query"):
            if endpoint is not None and name in kwargs and kwargs[name] is None and kwargs.get("graph") is not None:
                kwargs[name], kwargs["graph"] = kwargs["graph"], None
        if "proposal" in kwargs and kwargs["proposal"] is None:
            raise click.UsageError("missing argument PROPOSAL")
        if kwargs.get("graph") is not None:
            kwargs["graph"] = Path(kwargs["graph"])
        return function(*args, **kwargs)

    return click.option(
        "--endpoint", metavar="URL",
        help="Read the graph from this SPARQL query endpoint instead of GRAPH (Oxigraph: /query, Fuseki: "
             "/DATASET/query; see docs/stores.md): every triple of the registry and source graphs that "
             "stancegraph push sent there.")(wrapper)


def load_graph(graph: Path | None, *, for_projection: bool = False):  # type: ignore[no-untyped-def]
    """The dataset of GRAPH (a graph file or annotation files), or fetched from ``--endpoint``. With
    ``for_projection``, a graph file is given as the quads pyoxigraph reads from it (what
    ``output.project`` takes: rdflib would need a minute and gigabytes for a million triples)."""
    from stancegraph.output.graphfile import load_dataset, load_for_projection

    endpoint = click.get_current_context().meta.get(_ENDPOINT_KEY)
    if endpoint is None:
        if graph is None:
            raise click.UsageError("missing GRAPH: a graph file, a folder of annotation files, or --endpoint URL")
        if not graph.exists():
            raise click.BadParameter(f"Path '{graph}' does not exist.", param_hint="'GRAPH'")
        return load_for_projection([graph]) if for_projection else load_dataset([graph])
    if graph is not None:
        raise click.UsageError("give GRAPH or --endpoint URL, not both")
    from stancegraph.output.store import SparqlEndpoint, fetch_dataset

    store = open_store(endpoint, 60.0, 3, None, kind=SparqlEndpoint)
    with store:
        return fetch_dataset(store)
