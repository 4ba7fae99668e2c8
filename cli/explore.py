"""query, matrix, blockers, contradictions, stats, export and network: answers to an analyst's questions."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from stancegraph.graph import StancegraphError
from stancegraph.graph.errors import display_path

from .app import LANG, NO_INDEX, SINCE, UNTIL, cli, fail, use_index, window
from .store import endpoint_option

GRAPH = click.argument("graph", required=False, type=click.Path(), metavar="GRAPH")  # or --endpoint; see .store



def _load(graph: Path | None) -> Any:
    from .store import load_graph  # GRAPH, or the store named by --endpoint (docs/stores.md)

    return load_graph(graph)


def _projection(graph: Path | None, languages: tuple[str, ...] = ()) -> Any:
    """The projection of GRAPH (a graph file is read by pyoxigraph straight into it), or of --endpoint,
    labelled in ``languages`` (--lang)."""
    from stancegraph.output import project
    from stancegraph.output.index import projected

    from .store import _ENDPOINT_KEY, load_graph

    endpoint = click.get_current_context().meta.get(_ENDPOINT_KEY)
    if endpoint is None and graph is not None and graph.exists():  # a graph file is read through its index
        projection = projected([graph], display_path(graph), languages, use_index=use_index())
    else:
        projection = project(load_graph(graph, for_projection=True), display_path(graph) if graph else endpoint,
                             languages)
    say_skipped(projection)
    return _in_window(projection)


def _in_window(projection: Any) -> Any:
    """The projection cut to --since/--until (when given), saying how many undated statements were left out."""
    from stancegraph.output.periods import within

    dates = window()
    if not dates:
        return projection
    cut, undated = within(projection, dates)
    if undated:
        click.echo(f"Note: {undated:,} statement{'s' if undated != 1 else ''} without a date left out "
                   f"({dates.describe()}).", err=True)
    return cut


def say_skipped(projection: Any) -> None:
    """Say on stderr which nodes of a graph from elsewhere were skipped or read in part, and why."""
    _say_skipped(projection.graph.get("skipped", []))


def _say_skipped(skipped: list[Any]) -> None:
    from stancegraph.output.report import skipped_text

    click.echo(skipped_text(skipped), err=True, nl=False)


def _kept(graph: Path | None, name: str, languages: tuple[str, ...]) -> Any:
    """The answer of ``KEPT[name]`` (output/analysis.py) kept in the index of the graph file GRAPH (made
    now when it is not), said what the projection skipped; None without an index to go through (--no-index,
    --endpoint, annotation files, a --since/--until window): the caller computes it on :func:`_projection`."""
    from stancegraph.output.index import analysed

    from .store import _ENDPOINT_KEY

    if not use_index() or graph is None or click.get_current_context().meta.get(_ENDPOINT_KEY) is not None \
            or not graph.exists() or window():  # kept answers are of the whole graph, not of --since/--until
        return None
    found = analysed(graph, display_path(graph), name, languages)
    if found is None:
        return None
    answer, skipped = found
    _say_skipped(skipped)
    return answer


class _IllTypedLiterals(logging.Filter):
    """rdflib logs each ill-typed literal it meets ("lots"^^xsd:integer) with a traceback; in a graph from
    elsewhere that is data to report (the projection names it), not a crash to print."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")


logging.getLogger("rdflib.term").addFilter(_IllTypedLiterals())


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    from stancegraph.graph.files import atomic_write

    atomic_write(output, text.encode("utf-8"))
    click.echo(f"Wrote {output}.", err=True)


def _emit_found(found: Any, fmt: str, text: Callable[[Any], str], output: Path | None) -> None:
    """``found`` (a dataclass, or a list of them) as JSON with ``-f json``, else as ``text(found)`` says it."""
    if fmt != "json":
        _emit(text(found), output)
        return
    from stancegraph.output.projection import json_value

    data = [dataclasses.asdict(f) for f in found] if isinstance(found, (list, tuple)) else dataclasses.asdict(found)
    _emit(json.dumps(data, indent=2, ensure_ascii=False, default=json_value) + "\n", output)


OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
                      help="Write to this file instead of standard output.")


@cli.command()
@endpoint_option
@NO_INDEX
@GRAPH
@click.argument("query", required=False)
@click.option("-n", "--named", metavar="NAME", help="Run a query from the shipped library (see --list).")
@click.option("--list", "list_", is_flag=True, help="List the library's queries and exit.")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True, help="How to print SELECT results.")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True,
              help="What answers the query on a graph file: Oxigraph, on the file's index; or rdflib, reading "
                   "the whole file (slow: for comparison). Annotation files and --endpoint are always rdflib's.")
@OUTPUT
def query(graph: Path, query: str | None, named: str | None, list_: bool, fmt: str, engine: str,
          output: Path | None) -> None:
    """Run a SPARQL query over GRAPH (a graph file, or a folder of annotation files).

    QUERY is SPARQL text, or @FILE.rq to read it from a file; or use --named NAME for a query of the
    shipped library. The usual prefixes (sg, rdf, rdfs, owl, xsd, skos, prov, dcterms, schema, org, oa,
    wd) are declared. CONSTRUCT and DESCRIBE print Turtle; ASK prints true or false.

    \b
    Examples:
      stancegraph query out/gaza.ttl --named approvals
      stancegraph query out/gaza.ttl 'SELECT ?s WHERE { ?s sg:mustApprove ?p }' --format csv
      stancegraph query out/gaza.ttl @my-query.rq
    """
    from stancegraph.output.query import QueryError, library, named as named_query, run, term_text
    from stancegraph.output.tables import render

    if list_:
        for q in library().values():
            click.echo(f"{q.name:14s} {q.description}")
        return
    if (query is None) == (named is None):
        raise click.UsageError("give either QUERY (SPARQL text or @FILE.rq) or --named NAME")
    try:
        if named is not None:
            text = named_query(named).text
        elif query.startswith("@"):
            path = Path(query[1:])
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise click.BadParameter(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}", param_hint="QUERY") from None
        else:
            text = query
        if engine == "oxigraph" and _graph_file(graph):
            from stancegraph.output.index import query_file

            result, dataset = query_file(graph, text, use_index=use_index())
        else:
            dataset = _load(graph)
            result = run(dataset, text)
    except StancegraphError as exc:
        raise fail(exc) from None
    if result.kind == "ask":
        _emit("true\n" if result.answer else "false\n", output)
    elif result.kind == "graph":
        assert result.graph is not None
        _emit(result.graph.serialize(format="turtle"), output)
    else:
        compact = fmt == "table"
        texts: dict[Any, str | None] = {}  # an answer repeats its IRIs: each made text once

        def text_of(term: Any) -> str | None:
            if term is None:
                return None
            key = (type(term), term)  # terms are hashable, and equal only to terms of their type
            if key not in texts:
                texts[key] = term_text(term, dataset, compact)
            return texts[key]

        try:  # Oxigraph's rows are read as they are taken: an error in evaluating surfaces here
            rows = [[text_of(t) for t in row] for row in result.rows]
        except OSError as exc:
            raise fail(QueryError(f"the query could not be answered: {' '.join(str(exc).split())[:400]}")) from None
        _emit(render(result.columns, rows, fmt), output)


def _graph_file(graph: Path | None) -> bool:
    """Whether GRAPH is one graph file (not annotation files, not --endpoint)."""
    from stancegraph.output.graphfile import is_graph_file

    from .store import _ENDPOINT_KEY

    return graph is not None and click.get_current_context().meta.get(_ENDPOINT_KEY) is None and is_graph_file(graph)


@cli.command()
@endpoint_option
@NO_INDEX
@GRAPH
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "html"]), default="table",
              show_default=True)
@OUTPUT
@LANG
@SINCE
@UNTIL
def matrix(graph: Path, fmt: str, output: Path | None, languages: tuple[str, ...]) -> None:
    """Actors × proposals: each actor's stance on each proposal (supports, opposes, conditional,
    considering, undecided), with conditions and roles such as "must approve" noted.

    \b
    Examples:
      stancegraph matrix out/gaza.ttl
      stancegraph matrix out/gaza.ttl --format html -o out/matrix.html
    """
    from stancegraph.output.analysis import matrix_and_short_names
    from stancegraph.output.tables import render

    try:
        m, shorts, empty = _kept(graph, "matrix", languages) or matrix_and_short_names(_projection(graph, languages))
    except StancegraphError as exc:
        raise fail(exc) from None
    if empty:
        if fmt == "table":
            _emit(empty + "\n", output)
            return
        click.echo(f"Warning: {empty}", err=True)
    if fmt == "json":
        data = [{"actor": a, "proposal": p, **m.cells[(a, p)]} for a in m.actors for p in m.proposals if (a, p) in m.cells]
        _emit(json.dumps(data, indent=2, ensure_ascii=False) + "\n", output)
        return
    # a claim's sentence makes an unreadable column header: tables to read show its short label, data keeps it whole
    header = (lambda p: m.labels[p]) if fmt in ("csv", "tsv") else shorts.__getitem__
    columns = ["actor", *(header(p) for p in m.proposals)]
    rows = [[m.labels[a], *texts] for a, texts in zip(m.actors, m.text_rows())]
    _emit(render(columns, rows, fmt, title=f"Stances: {graph.name if graph else 'store'}"), output)


@cli.command()
@endpoint_option
@NO_INDEX
@GRAPH
@click.argument("proposal", required=False)  # required; optional here so that --endpoint URL PROPOSAL parses
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@OUTPUT
@LANG
@SINCE
@UNTIL
def blockers(graph: Path, proposal: str, fmt: str, output: Path | None, languages: tuple[str, ...]) -> None:
    """What stands between PROPOSAL (id, label or alias) and adoption: its conditions and whether they
    are met, who demands or controls each, who must approve it (and their own preconditions), and who
    resists it, with the quotes. Conditions of broader proposals it is part of are included; for a
    claim, what argues against it and for it.

    \b
    Example:
      stancegraph blockers out/gaza.ttl gaza-day-after-plan
    """
    from stancegraph.output.analysis import blockers as find_blockers
    from stancegraph.output.report import blockers_text

    try:
        b = find_blockers(_projection(graph, languages), proposal)
    except StancegraphError as exc:
        raise fail(exc) from None
    _emit_found(b, fmt, blockers_text, output)


@cli.command()
@endpoint_option
@NO_INDEX
@GRAPH
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@OUTPUT
@LANG
@SINCE
@UNTIL
def contradictions(graph: Path, fmt: str, output: Path | None, languages: tuple[str, ...]) -> None:
    """Conflicting stances of the same actor on the same proposal (across sources or over time), and
    sources that disagree on a fact (a condition's status, a quantity)."""
    from stancegraph.output.analysis import contradictions as find
    from stancegraph.output.report import contradictions_text

    try:
        found = _kept(graph, "contradictions", languages)
        if found is None:
            found = find(_projection(graph, languages))
    except StancegraphError as exc:
        raise fail(exc) from None
    _emit_found(found, fmt, contradictions_text, output)


@cli.command()
@endpoint_option
@NO_INDEX
@GRAPH
@click.option("--from", "start", required=True, metavar="DATE", help="The earlier date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--to", "end", required=True, metavar="DATE", help="The later date.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@OUTPUT
@LANG
def changes(graph: Path, start: str, end: str, fmt: str, output: Path | None, languages: tuple[str, ...]) -> None:
    """What changed between two dates: stances new, flipped or not stated again, and conditions newly
    met, unmet or contested, each with the quotes before and after (docs/cli.md says how each is read).

    \b
    Example:
      stancegraph changes out/gaza.ttl --from 2024-03 --to 2025-11
    """
    from stancegraph.output.periods import BadDate
    from stancegraph.output.periods import changes as find
    from stancegraph.output.report import changes_text

    try:
        found = find(_projection(graph, languages), start, end)
    except BadDate as exc:
        raise click.UsageError(str(exc)) from None
    except StancegraphError as exc:
        raise fail(exc) from None
    _emit_found(found, fmt, changes_text, output)


@cli.command()
@endpoint_option
@NO_INDEX
@GRAPH
@click.option("--top", default=10, show_default=True, help="How many central actors to list.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@OUTPUT
@LANG
@SINCE
@UNTIL
def stats(graph: Path, top: int, fmt: str, output: Path | None, languages: tuple[str, ...]) -> None:
    """Counts by class, relation and stance; the most central actors; sources per outlet."""
    from stancegraph.output.analysis import stats as compute
    from stancegraph.output.report import stats_text

    try:
        s = (_kept(graph, "stats", languages) if top == 10 else None) or compute(_projection(graph, languages), top=top)
    except StancegraphError as exc:
        raise fail(exc) from None
    _emit(json.dumps(s, indent=2, ensure_ascii=False) + "\n" if fmt == "json" else stats_text(s), output)


@cli.command()
@endpoint_option
@NO_INDEX
@GRAPH
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write: .graphml, .gexf, .cyjs/.json (Cytoscape) or .csv (a coding sheet: a row per "
                   "statement, which build reads back).")
@click.option("-f", "--format", "fmt", type=click.Choice(["graphml", "gexf", "cytoscape", "csv"]), default=None,
              help="Default: from the extension of --output.")
@LANG
@SINCE
@UNTIL
def export(graph: Path, output: Path, fmt: str | None, languages: tuple[str, ...]) -> None:
    """Export the network of actors, proposals and conditions for Gephi, Cytoscape or a spreadsheet.

    \b
    Examples:
      stancegraph export out/gaza.ttl -o out/gaza.gexf
      stancegraph export out/gaza.ttl -o out/gaza.csv
    """
    from stancegraph.graph.files import atomic_write
    from stancegraph.output.export import WRITERS, export_format

    try:
        name = export_format(output, fmt)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--output'") from None
    try:
        g = _projection(graph, languages)
        atomic_write(output, WRITERS[name](g))
    except StancegraphError as exc:
        raise fail(exc, "nothing was written") from None
    if name == "csv":
        from stancegraph.output.export import CONDITION_OF

        rows = sum(len(d["statements"]) for _, _, d in g.edges(data=True) if d["relation"] != CONDITION_OF)
        click.echo(f"Wrote {output}: csv, {rows} statements (a row each).", err=True)
    else:
        click.echo(f"Wrote {output}: {name}, {g.number_of_nodes()} nodes, {g.number_of_edges()} edges.", err=True)


@cli.command()
@endpoint_option
@NO_INDEX
@GRAPH
@click.option("--kind", required=True, type=click.Choice(["congruence", "conflict", "affiliation"]),
              help="congruence: actors tied by the proposals on which they hold the same stance; conflict: by those on "
                   "which one supports and the other opposes; affiliation: actors to proposals, weighted by statements.")
@click.option("--since", metavar="DATE", default=None,
              help="Only statements dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD: the first day of the period).")
@click.option("--until", metavar="DATE", default=None,
              help="Only statements dated on or before DATE (YYYY, YYYY-MM or YYYY-MM-DD: the last day of the period).")
@click.option("--normalize", type=click.Choice(["none", "average", "jaccard", "activity", "prominence"]), default="none",
              show_default=True, help="DNA's normalization of edge weights: average or jaccard (congruence, conflict), "
                                      "activity or prominence (affiliation); none: raw counts.")
@click.option("-f", "--format", "fmt", type=click.Choice(["gexf", "graphml", "csv"]), default=None,
              help="Default: from the extension of --output.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write: .gexf (Gephi), .graphml or .csv (an edge list).")
@LANG
def network(graph: Path, kind: str, since: str | None, until: str | None, normalize: str, fmt: str | None,
            output: Path, languages: tuple[str, ...]) -> None:
    """Write a discourse network as Discourse Network Analyzer computes it: actor congruence or conflict
    (actors tied once per proposal on which they agree, or disagree; weight = how many), or the
    actor-proposal affiliation network (weight = statements), each edge with the quotes behind it.

    \b
    Examples:
      stancegraph network out/gaza.ttl --kind congruence -o out/congruence.gexf
      stancegraph network out/gaza.ttl --kind affiliation --since 2024-03 --until 2024-06 -o out/affiliation.csv
    """
    from stancegraph.graph.files import atomic_write
    from stancegraph.output.networks import WRITERS, BadBound, NetworkError, network as make_network, network_format

    try:
        name = network_format(output, fmt)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--output'") from None
    try:
        projection = _projection(graph, languages)
        net = make_network(projection, kind, since, until, normalize)
    except BadBound as exc:
        raise click.BadParameter(str(exc), param_hint="'--since' / '--until'") from None
    except ValueError as exc:  # a normalization of the other kind of network
        raise click.BadParameter(str(exc), param_hint="'--normalize'") from None
    except NetworkError as exc:
        raise click.ClickException(f"{display_path(graph) if graph else 'the store'}: {exc}; nothing was written") from None
    except StancegraphError as exc:
        raise fail(exc, "nothing was written") from None
    atomic_write(output, WRITERS[name](net))
    nodes = net.graph.number_of_nodes()
    click.echo(f"Wrote {output}: {name}, {kind} network, {nodes} nodes, {net.graph.number_of_edges()} edges, "
               f"from {net.statements} stance statements.", err=True)
    if net.undated:
        click.echo(f"Left out {net.undated} stance statement{'s' if net.undated != 1 else ''} without a date "
                   "(neither the statement nor its source has one): a time window cannot place them.", err=True)
