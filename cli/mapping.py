"""mapping draft: a mapping file drafted from the annotation scheme of inputs made with other tools."""

from __future__ import annotations

from pathlib import Path

import click

from stancegraph.graph import StancegraphError
from stancegraph.graph.errors import display_path

from .app import INPUTS, cli, fail


@cli.group()
def mapping() -> None:
    """Mapping files: what the types of other annotation tools mean (docs/input-formats.md)."""


@mapping.command()
@INPUTS
@click.option("-o", "--output", default="-", show_default=True, metavar="FILE",
              help="Where to write the drafted mapping (name it mapping.yaml beside the inputs to have it "
                   "read); '-' for standard output.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def draft(inputs: tuple[Path, ...], output: str, force: bool) -> None:
    """Draft a mapping for the types INPUTS declare and use, so that build succeeds on it as it is.

    Each type gets a best guess (person and organisation types become actors, claim-like types
    proposals, support/attack-like relations stances) or 'ignore', with its number of uses and where it
    is first used as a comment. Types the mapping in force already knows are written as it has them.

    \b
    Examples:
      stancegraph mapping draft corpus/brat -o corpus/brat/mapping.yaml
      stancegraph build corpus/brat -o out/graph.ttl
    """
    from stancegraph.graph.drafting import draft_for_inputs
    from stancegraph.output import atomic_write

    try:
        text, scheme = draft_for_inputs(inputs)
    except StancegraphError as exc:
        raise fail(exc, "nothing was written") from None
    if output == "-":
        click.echo(text, nl=False)
        return
    target = Path(output)
    if target.exists() and not force:
        raise click.ClickException(f"{display_path(target)} already exists; nothing was written. Choose another "
                                   "output, or overwrite with --force")
    try:
        atomic_write(target, text.encode("utf-8"))
    except StancegraphError as exc:
        raise fail(exc) from None
    uses = [use for use in scheme.uses.values() if use.section != "codebook"]
    used = sum(1 for use in uses if use.count)
    what = "columns" if scheme.format == "coding sheet" else "types"
    click.echo(f"Wrote {display_path(target)}: {len(uses)} {what} ({used} used). Check the guesses, then build.",
               err=True)
