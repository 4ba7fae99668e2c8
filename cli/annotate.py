"""convert and suggest: from what annotation tools produce, and from a new article, to native YAML."""

from __future__ import annotations

import os
from pathlib import Path

import click

from stancegraph.graph import StancegraphError
from stancegraph.graph.errors import InputProblems, Loc, display_path

from .app import INPUTS, SKIP_INVALID, UNMAPPED, cli, fail, warn


def _refuse_existing(paths: list[Path], force: bool) -> None:
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        more = f" and {len(existing) - 1} more" if len(existing) > 1 else ""
        raise click.ClickException(f"{display_path(existing[0])}{more} already exist{'s' if not more else ''}; "
                                   "nothing was written. Choose another output, or overwrite with --force")


def _refuse_unwritable(output: Path, names: list[str]) -> None:
    """Before anything is written: every folder the files go into is a folder (or can be made one), and
    no file to write is a folder, so that a convert that cannot finish writes nothing."""
    for name in names:
        target = output / name
        if target.is_dir():
            raise click.ClickException(f"{display_path(target)} is a folder; nothing was written. Move it away, or "
                                       "choose another output")
        for parent in [output, *target.parents]:
            if parent == output.parent:
                break
            if parent.exists() and not parent.is_dir():
                raise click.ClickException(f"{display_path(parent)} is a file, where a folder is to be written; "
                                           "nothing was written. Move it away, or choose another output")


@cli.command()
@INPUTS
@click.option("-o", "--output", required=True, metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write the native project into.")
@click.option("--texts/--no-texts", default=True, show_default=True,
              help="Copy each source's plain text into DIR/texts/ and name it in the source file (text:).")
@click.option("--force", is_flag=True, help="Overwrite files that already exist in DIR.")
@UNMAPPED
@SKIP_INVALID
def convert(inputs: tuple[Path, ...], output: Path, texts: bool, force: bool, unmapped: str, skip_invalid: bool) -> None:
    """Write annotations as native YAML files, to go on by hand.

    INPUTS: brat standoff, W3C Web Annotation, Label Studio (full JSON export), Discourse Network Analyzer
    (.dna), INCEpTION / WebAnno (UIMA CAS XMI, zipped exports, CAS JSON) or native YAML (docs/input-formats.md).

    DIR receives registry.yaml (the registry entries of the input and those made from its mentions),
    sources/ID.yaml for each source and, with --texts, texts/ID.txt. Building DIR gives the same graph
    as building the input.

    \b
    Examples:
      stancegraph convert corpus/brat -o project
      stancegraph convert annotations.jsonld -o project
    """
    from stancegraph.graph import load
    from stancegraph.graph.convert import native_files
    from stancegraph.graph.files import atomic_write

    invalid: list = []
    try:
        corpus = load(inputs, unmapped=unmapped, invalid=invalid if skip_invalid else None)
        files = native_files(corpus, texts=texts, origin=", ".join(display_path(p) for p in inputs))
    except StancegraphError as exc:
        raise fail(exc, "nothing was written") from None
    _refuse_existing([output / name for name in files], force)
    _refuse_unwritable(output, list(files))
    try:
        for name, data in files.items():
            atomic_write(output / name, data)
    except StancegraphError as exc:
        raise fail(exc) from None
    copied = sum(1 for name in files if name.startswith("texts/"))
    click.echo(f"Wrote {display_path(output)}: registry.yaml ({len(corpus.registry.entities)} entries), "
               f"{len(corpus.sources)} source file{'s' if len(corpus.sources) != 1 else ''}"
               + (f", {copied} text{'s' if copied != 1 else ''}" if copied else "") + ".", err=True)
    from stancegraph.graph.errors import skipped_statements_summary, skipped_summary

    warn([skipped_summary(corpus.skipped)] if corpus.skipped else [])
    if invalid:
        statements = sum(len(source.statements) for source in corpus.sources)
        warn([f"left out: {str(p).rstrip('.')}" for p in sorted(invalid)]
             + [skipped_statements_summary(invalid, statements).replace("built", "wrote", 1)])


@cli.command()
@click.argument("article", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-r", "--registry", "registry_path", required=True, metavar="PATH",
              type=click.Path(exists=True, path_type=Path), help="registry.yaml, or a project folder holding it.")
@click.option("-o", "--output", default="-", show_default=True, metavar="FILE",
              help="Where to write the draft source file; '-' for standard output.")
@click.option("--id", "source_id", metavar="ID", help="Id of the source. Default: made from the article's file name.")
@click.option("--title", help="Title of the source. Default: the article's first line.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def suggest(article: Path, registry_path: Path, output: str, source_id: str | None, title: str | None, force: bool) -> None:
    """Draft a source file for ARTICLE (plain text) from the registry's names found in it.

    Every label and alias of the registry is looked for (with case, plural and possessive variants);
    each sentence naming one becomes a statement to complete. Works offline: no model is used.

    \b
    Examples:
      stancegraph suggest texts/new-article.txt -r examples/gaza-day-after -o sources/new-article.yaml
    """
    from stancegraph.graph import load
    from stancegraph.graph.anchor import read_text
    from stancegraph.graph.names import slug, title_of
    from stancegraph.graph.suggest import draft_yaml, suggest as find_sentences
    from stancegraph.graph.files import atomic_write

    try:
        registry = load([registry_path]).registry
    except StancegraphError as exc:
        raise fail(exc, "nothing was written") from None
    text, problem = read_text(article, display_path(article), Loc(display_path(article)))
    if problem is not None:
        raise fail(InputProblems([problem]), "nothing was written")
    assert text is not None
    found = find_sentences(text, registry)
    folder = Path.cwd() if output == "-" else Path(output).resolve().parent
    draft = draft_yaml(found, source_id=source_id or slug(article.stem, "source"),
                       title=title or title_of(text) or article.stem,
                       text_ref=Path(os.path.relpath(article.resolve(), folder)).as_posix(),
                       origin=display_path(article), registry_origin=display_path(registry_path))
    if output == "-":
        click.echo(draft, nl=False)
    else:
        _refuse_existing([Path(output)], force)
        try:
            atomic_write(output, draft.encode("utf-8"))
        except StancegraphError as exc:
            raise fail(exc) from None
    entries = {m.entities[0] for s in found for m in s.mentions}
    mentions = sum(len(s.mentions) for s in found)
    where = "standard output" if output == "-" else display_path(output)
    click.echo(f"Found {mentions} mention{'s' if mentions != 1 else ''} of {len(entries)} registry "
               f"entr{'ies' if len(entries) != 1 else 'y'} in {len(found)} sentence{'s' if len(found) != 1 else ''}; "
               f"wrote the draft to {where}.", err=True)
