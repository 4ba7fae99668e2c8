"""The ``stancegraph`` command group and what its commands share: error translation and argument types.

Each command parses its options, calls one library function, and turns the library's exceptions into
messages and exit codes: 0 ok, 1 the input has problems, 2 usage. Commands live in modules of this
package by theme (``core``: build, validate, view) and register themselves on :data:`cli`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, Any

import click

from stancegraph.graph import InputProblems, StancegraphError

PROGRESS_THRESHOLD = 200  # sources; below this a build is quick and a progress bar is noise


class InputError(click.ClickException):
    """The input has problems: each is printed on a line of its own, then a summary. Exit code 1."""

    exit_code = 1

    def __init__(self, problems: InputProblems, consequence: str = ""):
        super().__init__(problems.summary() + (f"; {consequence}" if consequence else ""))
        self.problems = problems

    def show(self, file: IO[Any] | None = None) -> None:
        out = file or sys.stderr
        for problem in self.problems.problems:
            click.echo(str(problem), file=out)
        click.echo(f"Error: {self.format_message()}", file=out)


def fail(exc: StancegraphError, consequence: str = "") -> click.ClickException:
    if isinstance(exc, InputProblems):
        return InputError(exc, consequence)
    return click.ClickException(str(exc))


INPUTS = click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
UNMAPPED = click.option(
    "--unmapped", type=click.Choice(["error", "ignore"]), default="error", show_default=True,
    help="Annotations of a type the mapping does not know: fail (error), or skip them and end with a summary "
         "of the types skipped and how often each is used (ignore). `stancegraph mapping draft` maps them all.")


SKIP_INVALID = click.option(
    "--skip-invalid", is_flag=True,
    help="Build what is valid: leave out each statement (or annotation) that has a problem, with a warning naming "
         "its file and line, and end with counts. Problems of a whole file, the registry or the SHACL shapes still "
         "fail; so does a run that leaves nothing.")


def warn(warnings: list[str]) -> None:
    """Say on standard error what a command that succeeded left out or found empty."""
    for warning in warnings:
        text = warning.rstrip()
        click.echo(f"Warning: {text if text.endswith(('.', '?', '!')) else text + '.'}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="stancegraph")
def cli() -> None:
    """Turn annotated news sources into an RDF graph of actors, proposals and conditions, and explore it.

    \b
    Exit codes: 0 ok, 1 the input has problems, 2 wrong usage.
    Docs: docs/annotation-format.md, docs/ontology.md, docs/cli.md
    """


def _languages(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...]:
    """``ar,en`` → ``("ar", "en")``, each a BCP 47 tag."""
    from stancegraph.graph.names import language_tag_problem

    if value is None:
        return ()
    tags = tuple(tag.strip() for tag in value.split(","))
    for tag in tags:
        if problem := language_tag_problem(tag):
            raise click.BadParameter(f"{problem}. Give language tags separated by commas, e.g. ar,en")
    return tags


LANG = click.option(
    "--lang", "languages", metavar="LANGS", callback=_languages, default=None,
    help="Show each entry's label in the first of these languages it has one in (e.g. ar,en); "
         "default: its label in the registry's language. Names in any language are accepted as arguments.")


NO_INDEX_KEY = "stancegraph.no_index"


def _no_index(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    ctx.meta[NO_INDEX_KEY] = value
    return value


NO_INDEX = click.option(
    "--no-index", is_flag=True, expose_value=False, callback=_no_index, envvar="STANCEGRAPH_NO_INDEX",
    help="Read the graph file afresh, neither using nor writing its index in the cache folder "
         "(docs/performance.md: the index).")


def use_index() -> bool:
    """Whether the command may read a graph file through its index (not with --no-index)."""
    return not click.get_current_context().meta.get(NO_INDEX_KEY, False)


WINDOW_KEY = "stancegraph.window"


def _window_bound(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Check a --since/--until date (exit 2 when it is no date) and keep it for :func:`window`."""
    from stancegraph.output.periods import BadDate, bound

    if value is not None:
        try:
            bound(value, f"--{param.name}")
        except BadDate as exc:
            raise click.BadParameter(str(exc).removeprefix(f"--{param.name} ")) from None
        ctx.meta.setdefault(WINDOW_KEY, {})[param.name] = value
    return value


SINCE = click.option(
    "--since", metavar="DATE", expose_value=False, callback=_window_bound,
    help="Only statements dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD; a statement dated 2024-03 "
         "counts for any day of March). Statements without a date are left out, and counted.")
UNTIL = click.option(
    "--until", metavar="DATE", expose_value=False, callback=_window_bound,
    help="Only statements dated on or before DATE (as --since).")


def window():  # type: ignore[no-untyped-def]
    """The --since/--until window of the command (an empty window when neither was given)."""
    from stancegraph.output.periods import BadDate, Window

    given = click.get_current_context().meta.get(WINDOW_KEY, {})
    try:
        return Window(given.get("since"), given.get("until"))
    except BadDate as exc:
        raise click.UsageError(str(exc)) from None
