"""build, validate and view: from annotation files to a graph file and an HTML page."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import click

from stancegraph.graph import InputProblems, StancegraphError
from stancegraph.graph.errors import display_path

from .app import INPUTS, LANG, NO_INDEX, PROGRESS_THRESHOLD, SKIP_INVALID, UNMAPPED, cli, fail, use_index, warn


SHACL = click.option(
    "--shacl/--no-shacl", default=None,
    help="Check what is built against the SHACL shapes: always, or never. Default: when the sources built in "
         "this run hold at most 20,000 triples (cached sources were checked when they were built).")
CACHE = click.option(
    "--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
    help="Keep each built source here, keyed by the hash of its file, the registry and stancegraph's code, "
         "so that rebuilds only build what changed. Default: $XDG_CACHE_HOME/stancegraph (~/.cache/stancegraph).")
NO_CACHE = click.option("--no-cache", is_flag=True, help="Build everything afresh and keep nothing.")
JOBS = click.option("-j", "--jobs", type=click.IntRange(1), default=None,
                    help="Worker processes. Default: one per core when there are at least 200 sources to build.")


def _cache(cache_dir: Path | None, no_cache: bool) -> Path | None:
    from stancegraph.graph.pipeline.cache import default_cache_dir

    if no_cache:
        return None
    return cache_dir or default_cache_dir()


def _compile(inputs: tuple[Path, ...], shacl: bool | None, cache_dir: Path | None, jobs: int | None, quiet: bool,  # type: ignore[no-untyped-def]
             unmapped: str = "error", skip_invalid: bool = False, check_later: bool = False):
    from stancegraph.graph import build_compiled
    from stancegraph.graph.read import discover

    options = {"shacl": shacl, "cache_dir": cache_dir, "jobs": jobs, "unmapped": unmapped, "skip_invalid": skip_invalid,
               "check_later": check_later}
    if quiet or not sys.stderr.isatty():
        return build_compiled(inputs, **options)
    count = len(discover(inputs))
    if count < PROGRESS_THRESHOLD:
        return build_compiled(inputs, **options)
    with click.progressbar(length=count, label="Building", file=sys.stderr) as bar:
        return build_compiled(inputs, progress=bar.update, **options)


@cli.command()
@INPUTS
@click.option("-o", "--output", default="-", show_default=True, metavar="FILE",
              help="Where to write the graph; '-' for standard output.")
@click.option("-f", "--format", "fmt", metavar="FORMAT",
              help="turtle, trig, nt, nquads or json-ld. Default: from the extension of --output (turtle for '-').")
@SHACL
@CACHE
@NO_CACHE
@JOBS
@UNMAPPED
@SKIP_INVALID
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors and warnings.")
@click.option("-w", "--watch", is_flag=True,
              help="Build, then build again each time an input changes, until Ctrl-C. Input with problems is "
                   "reported and the last good output kept.")
@click.option("--interval", default=1.0, show_default=True, type=click.FloatRange(0.05), metavar="SECONDS",
              help="With --watch: how often to look at the inputs.")
@click.option("--no-index", "no_index", is_flag=True, envvar="STANCEGRAPH_NO_INDEX",
              help="Write no index of the output in the cache folder (the first analysis command of the file "
                   "makes it). Always so with --watch and -o -, and when only some sources were built again.")
def build(inputs: tuple[Path, ...], output: str, fmt: str | None, shacl: bool | None, cache_dir: Path | None,
          no_cache: bool, jobs: int | None, unmapped: str, skip_invalid: bool, quiet: bool, watch: bool,
          interval: float, no_index: bool) -> None:
    """Build the RDF graph of annotation files or folders of them (YAML, brat, Web Annotation, Label Studio,
    DNA, INCEpTION / WebAnno: docs/input-formats.md).

    N-Triples and N-Quads are streamed source by source; TriG and N-Quads keep each source in a named
    graph of its own. A failed build writes nothing and leaves an existing output as it was.

    \b
    Examples:
      stancegraph build examples/gaza-day-after -o out/gaza.ttl
      stancegraph build examples/gaza-day-after -o out/gaza.trig
      stancegraph build examples/gaza-day-after --format nquads -o -
      stancegraph build examples/gaza-day-after -o out/gaza.nt --watch
      stancegraph build corpus/ --skip-invalid -o out/corpus.ttl
    """
    from stancegraph.output import UnknownFormat, format_for
    from stancegraph.output.stream import chunks, write_compiled

    try:
        fmt_name = format_for(output, fmt)
    except UnknownFormat as exc:
        raise click.BadParameter(str(exc), param_hint="'--format'" if fmt else "'--output'") from None
    if not watch and click.get_current_context().get_parameter_source("interval") == click.core.ParameterSource.COMMANDLINE:
        raise click.UsageError("--interval goes with --watch")
    if watch:
        if output == "-":
            raise click.UsageError("--watch writes a file: give -o FILE")
        if no_cache:
            raise click.UsageError("--watch rebuilds from the cache: leave out --no-cache")
        if skip_invalid:
            raise click.UsageError("--watch keeps the last good output until the problems are fixed: leave out --skip-invalid")
        _watch(inputs, output, fmt_name, shacl, _cache(cache_dir, no_cache), jobs, interval, quiet)
        return
    try:
        # to a file, the SHACL check runs beside the writing (the file is renamed into place once it passed)
        compiled = _compile(inputs, shacl, _cache(cache_dir, no_cache), jobs, quiet, unmapped, skip_invalid,
                            check_later=output != "-")
        try:
            replaced = True
            if output == "-":
                stdout = sys.stdout.buffer
                size = 0
                for chunk in chunks(compiled, fmt_name):
                    stdout.write(chunk)
                    size += len(chunk)
            else:
                size, replaced = write_compiled(compiled, output, fmt_name, waiting=lambda: _waiting(output))
        finally:
            compiled.close()
    except StancegraphError as exc:
        raise fail(exc, "nothing was written") from None
    rebuilt = len(compiled.changed())
    # a rebuild of some sources (the rest copied from the old file) leaves the index to the first read:
    # making it takes ten times such a rebuild (5 s against 0.5 s for one source of 10,000)
    if output != "-" and not no_index and not 0 < rebuilt < len(compiled.entries):
        from stancegraph.output.index import index_written

        index_written(output, display_path(output))
    if not quiet:
        n = len(compiled.entries)
        where = "standard output" if output == "-" else display_path(output)
        what = "Wrote" if replaced else "Up to date:"
        click.echo(f"{what} {where}: {fmt_name}, {_count(n, 'source')} ({rebuilt} built, "
                   f"{n - rebuilt} from the cache), {compiled.triples:,} quads, {size:,} bytes.", err=True)
    warn(compiled.warnings)


def _waiting(output: str) -> None:
    folder = display_path(os.path.dirname(os.path.abspath(output))) or "."
    click.echo(f"Waiting: another stancegraph process is writing into {folder}/ (it holds the lock); "
               f"{display_path(output)} is written when it is done. Ctrl-C stops.", err=True)


def _watch(inputs: tuple[Path, ...], output: str, fmt: str, shacl: bool | None, cache_dir: Path | None,
           jobs: int | None, interval: float, quiet: bool) -> None:
    import time

    from stancegraph.output.watch import Rebuild, watch

    from stancegraph.graph.read import GRAPH_SUFFIXES, graph_file_problem

    graphs = [p for p in inputs if str(p).lower().endswith(GRAPH_SUFFIXES)]
    if graphs:  # no save can make a graph file annotations: say so now rather than watch it
        raise fail(InputProblems([graph_file_problem(graphs[0])]))
    where = display_path(output)
    first = True

    def report(rebuild: Rebuild) -> None:
        nonlocal first
        clock = time.strftime("%H:%M:%S")
        if rebuild.compiled is None:
            for problem in rebuild.problems:
                click.echo(str(problem), err=True)
            kept = f"{where} was left as it was" if Path(output).exists() else "nothing was written"
            click.echo(f"{clock} {_count(len(rebuild.problems), 'problem')}: {kept}. Fix "
                       f"{'it' if len(rebuild.problems) == 1 else 'them'} and save: the next change is built.", err=True)
        elif not quiet:
            compiled = rebuild.compiled
            n, built = len(compiled.entries), len(compiled.changed())
            what = ("Up to date:" if not rebuild.replaced else "Wrote" if first else "Rebuilt")
            click.echo(f"{clock} {what} {where}: {_count(n, 'source')} ({built} built, {n - built} from the cache), "
                       f"{compiled.triples:,} quads, {rebuild.size:,} bytes, in {rebuild.seconds:.2f} s.", err=True)
        if first and not quiet:
            click.echo(f"Watching the inputs for changes every {interval:g} s; Ctrl-C stops.", err=True)
        first = False

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # a service manager's SIGTERM stops the watch as Ctrl-C does

    import signal

    signal.signal(signal.SIGTERM, interrupt)
    try:
        watch(list(inputs), output, fmt, cache_dir=cache_dir or Path(), shacl=shacl, jobs=jobs, interval=interval,
              report=report)
    except KeyboardInterrupt:
        if not quiet:
            click.echo("Stopped.", err=True)
    except StancegraphError as exc:
        raise fail(exc) from None


@cli.command()
@INPUTS
@SHACL
@CACHE
@NO_CACHE
@JOBS
@UNMAPPED
@SKIP_INVALID
def validate(inputs: tuple[Path, ...], shacl: bool | None, cache_dir: Path | None, no_cache: bool,
             jobs: int | None, unmapped: str, skip_invalid: bool) -> None:
    """Check annotation files and report every problem, each as FILE:LINE:COL: what is wrong. what to do.

    Exits 1 when there is any problem (with --skip-invalid: any that a build would stop at).
    """
    try:
        compiled = _compile(inputs, shacl, _cache(cache_dir, no_cache), jobs, quiet=True, unmapped=unmapped,
                            skip_invalid=skip_invalid)
    except InputProblems as exc:
        for problem in exc.problems:
            click.echo(str(problem))
        raise click.ClickException(exc.summary()) from None
    except StancegraphError as exc:
        raise fail(exc) from None
    compiled.close()
    registry = compiled.registry
    click.echo(f"OK: {_count(len(compiled.entries), 'source')}, {_count(compiled.statements, 'statement')}, "
               f"{_count(len(registry.entities), 'registry entry', 'registry entries')}.")
    warn(compiled.warnings)


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, metavar="FILE.html", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the page.")
@click.option("--title", default=None, help="Title of the page. Default: the dataset's title (registry.yaml's "
              "dataset:), else the name of the first input.")
@click.option("--physics/--no-physics", default=False, show_default=True,
              help="Let nodes move after the first draw (honoured up to 1,000 nodes).")
@click.option("--focus", metavar="ID", help="Draw only the neighbourhood of this node (id, label or alias).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 20),
              help="With --focus: how many steps around the node.")
@click.option("--max-nodes", default=12000, show_default=True, type=click.IntRange(1),
              help="Beyond this many nodes (a page would be too slow to use), draw only the --central most "
                   "central ones, and say what was left out.")
@click.option("--central", default=2000, show_default=True, type=click.IntRange(1), metavar="N",
              help="How many nodes to draw of a graph beyond --max-nodes: those with the most relations.")
@click.option("--endpoint", metavar="URL",
              help="Draw the graph held by this SPARQL query endpoint (what stancegraph push sent there) instead "
                   "of INPUTS; see docs/stores.md.")
@UNMAPPED
@SKIP_INVALID
@LANG
@NO_INDEX
def view(inputs: tuple[Path, ...], output: Path, title: str | None, physics: bool, focus: str | None,
         depth: int, max_nodes: int, central: int, endpoint: str | None, unmapped: str, skip_invalid: bool,
         languages: tuple[str, ...]) -> None:
    """Write an interactive HTML view of a graph file, or of annotation files and folders.

    The page is one self-contained file that works offline: open it in a browser.

    \b
    Examples:
      stancegraph view out/gaza.ttl -o out/gaza.html
      stancegraph view examples/gaza-day-after -o out/gaza.html
      stancegraph view out/gaza.ttl --focus israel --depth 2 -o out/israel.html
      stancegraph view out/gaza.ttl --lang ar,en -o out/gaza-ar.html
    """
    from stancegraph.output import ViewOptions
    from stancegraph.output.index import projected

    if bool(inputs) == bool(endpoint):
        raise click.UsageError("give INPUTS (graph files, annotation files or folders) or --endpoint URL")
    if focus is None and click.get_current_context().get_parameter_source("depth") == click.core.ParameterSource.COMMANDLINE:
        raise click.UsageError("--depth goes with --focus ID: the steps around that node")
    warnings: list[str] = []
    try:
        if endpoint:
            from stancegraph.output.store import SparqlEndpoint, fetch_dataset

            from .store import open_store

            with open_store(endpoint, 60.0, 3, None, kind=SparqlEndpoint) as store:
                dataset = fetch_dataset(store)
        options = ViewOptions(title=title or (_name(inputs[0]) if inputs else "stancegraph"), physics=physics,
                              focus=focus, depth=depth, max_nodes=max_nodes, central=central)
        from stancegraph.output import atomic_write, project, render_html

        from .explore import say_skipped

        origin = endpoint or ", ".join(display_path(p) for p in inputs)  # checked: docs/cli.md
        if endpoint:
            graph = project(dataset, origin, languages)
        else:  # a graph file through its index
            graph = projected(list(inputs), origin, languages, unmapped=unmapped, warnings=warnings,
                              use_index=use_index(), skip_invalid=skip_invalid)
        say_skipped(graph)
        if title is None and (graph.graph.get("dataset") or {}).get("title"):  # the dataset's own title first
            options = dataclasses.replace(options, title=graph.graph["dataset"]["title"])
        from stancegraph.output.view import prepare

        graph = prepare(graph, options)  # focused, or its most central part (render_html's prepare: the same)
        if "left_out" in graph.graph:
            warnings.append(graph.graph["left_out"])
        atomic_write(output, render_html(graph, options).encode("utf-8"))
    except StancegraphError as exc:
        raise fail(exc, "nothing was written") from None
    click.echo(f"Wrote {display_path(output)}: open it in a browser.", err=True)
    warn(warnings)


def _name(path: Path) -> str:
    path = path.resolve()
    return path.stem if path.is_file() else path.name


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else plural or word + 's'}"
