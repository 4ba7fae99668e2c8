"""build, validate and view: from annotation files to a graph file and an HTML page."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from stancegraph.graph import InputProblems, StancegraphError, read_corpus
from stancegraph.graph.errors import display_path

from .app import INPUTS, PROGRESS_THRESHOLD, InputError, cli, fail


@cli.command()
@INPUTS
@click.option("-o", "--output", default="-", show_default=True, metavar="FILE",
              help="Where to write the graph; '-' for standard output.")
@click.option("-f", "--format", "fmt", metavar="FORMAT",
              help="turtle, trig, nt, nquads or json-ld. Default: from the extension of --output (turtle for '-').")
@click.option("--shacl/--no-shacl", default=True, show_default=True, help="Check the built graph against the SHACL shapes.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def build(inputs: tuple[Path, ...], output: str, fmt: str | None, shacl: bool, quiet: bool) -> None:
    """Build the RDF graph of annotation files (YAML) or folders of them.

    \b
    Examples:
      stancegraph build examples/gaza-day-after -o out/gaza.ttl
      stancegraph build examples/gaza-day-after -o out/gaza.trig
      stancegraph build examples/gaza-day-after --format nquads -o -
    """
    from stancegraph.graph import build as build_graph
    from stancegraph.output import UnknownFormat, format_for, serialize, write_graph

    try:
        fmt_name = format_for(output, fmt)
    except UnknownFormat as exc:
        raise click.BadParameter(str(exc), param_hint="'--format'" if fmt else "'--output'") from None
    try:
        bar = None
        if not quiet and sys.stderr.isatty():
            count = sum(1 for _ in read_corpus(inputs)[0].sources)
            if count >= PROGRESS_THRESHOLD:
                bar = click.progressbar(length=count, label="Building", file=sys.stderr)
        if bar is not None:
            with bar:
                built = build_graph(inputs, shacl=shacl, progress=bar.update)
        else:
            built = build_graph(inputs, shacl=shacl)
        if output == "-":
            data = serialize(built.dataset, fmt_name)
            click.get_binary_stream("stdout").write(data)
        else:
            data = write_graph(built.dataset, output, fmt_name)
    except StancegraphError as exc:
        raise fail(exc, "nothing was written") from None
    if not quiet:
        sources = len(list(built.dataset.graphs())) - 2  # minus the default and the registry graph
        where = "standard output" if output == "-" else display_path(output)
        click.echo(f"Wrote {where}: {fmt_name}, {sources} source{'s' if sources != 1 else ''}, "
                   f"{len(built.dataset)} quads, {len(data):,} bytes.", err=True)


@cli.command()
@INPUTS
@click.option("--shacl/--no-shacl", default=True, show_default=True, help="Also check the built graph against the SHACL shapes.")
def validate(inputs: tuple[Path, ...], shacl: bool) -> None:
    """Check annotation files and report every problem, each as FILE:LINE:COL: what is wrong. what to do.

    Exits 1 when there is any problem.
    """
    from stancegraph.graph import validate as validate_inputs

    try:
        problems = validate_inputs(inputs, shacl=shacl)
    except StancegraphError as exc:
        raise fail(exc) from None
    for problem in problems:
        click.echo(str(problem))
    if problems:
        raise InputError(InputProblems(problems))
    corpus, _ = read_corpus(inputs)
    statements = sum(len(s.statements) for s in corpus.sources)
    click.echo(f"OK: {len(corpus.sources)} sources, {statements} statements, "
               f"{len(corpus.registry.entities)} registry entries.")


@cli.command()
@INPUTS
@click.option("-o", "--output", required=True, metavar="FILE.html", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the page.")
@click.option("--title", default=None, help="Title of the page. Default: the name of the first input.")
@click.option("--physics/--no-physics", default=False, show_default=True,
              help="Let nodes move after the first draw (honoured up to 1,000 nodes).")
@click.option("--focus", metavar="ID", help="Draw only the neighbourhood of this node (id, label or alias).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 20),
              help="With --focus: how many steps around the node.")
@click.option("--max-nodes", default=12000, show_default=True, type=click.IntRange(1),
              help="Refuse to write a page with more nodes than this (it would be too slow to use).")
def view(inputs: tuple[Path, ...], output: Path, title: str | None, physics: bool, focus: str | None,
         depth: int, max_nodes: int) -> None:
    """Write an interactive HTML view of a graph file, or of annotation files and folders.

    The page is one self-contained file that works offline: open it in a browser.

    \b
    Examples:
      stancegraph view out/gaza.ttl -o out/gaza.html
      stancegraph view examples/gaza-day-after -o out/gaza.html
      stancegraph view out/gaza.ttl --focus israel --depth 2 -o out/israel.html
    """
    from stancegraph.output import ViewOptions, load_dataset, write_view

    try:
        dataset = load_dataset(list(inputs))
        options = ViewOptions(title=title or _name(inputs[0]), physics=physics, focus=focus, depth=depth,
                              max_nodes=max_nodes)
        write_view(dataset, output, options)
    except StancegraphError as exc:
        raise fail(exc, "nothing was written") from None
    click.echo(f"Wrote {display_path(output)}: open it in a browser.", err=True)


def _name(path: Path) -> str:
    path = path.resolve()
    return path.stem if path.is_file() else path.name
