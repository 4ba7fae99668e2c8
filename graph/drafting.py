"""``stancegraph mapping draft`` over inputs: their schemes gathered, and the mapping drafted from them.

Kept apart from :mod:`.importers.draft` (the schemes and the writer) because it discovers the inputs,
and discovery asks the importers: the importers' wing imports nothing above it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .errors import InputProblems, Loc, Problem, display_path
from .importers import by_name
from .importers.draft import Scheme, draft_mapping
from .importers.mapping import find_mapping, read_mapping
from .read import discover_names


def draft_for_inputs(paths: Iterable[Path | str]) -> tuple[str, Scheme]:
    """The text of a drafted mapping for the inputs under ``paths``, and the scheme it was drafted from.

    Every input whose importer can list its scheme is read (native YAML needs no mapping and is passed
    over); the mapping already in force for the first of them (stancegraph's defaults with the project's
    mapping.yaml) decides what is known. Raises :class:`InputProblems` when no input has a scheme."""

    paths = list(paths)
    scheme: Scheme | None = None
    first: Path | None = None
    for name, importer_name in discover_names(paths):
        importer = by_name(importer_name) if importer_name else None
        read_scheme = getattr(importer, "scheme", None)
        if read_scheme is None:
            continue
        found = read_scheme(Path(name))
        if scheme is None:
            scheme, first = Scheme(found.format), Path(name)
        elif found.format not in scheme.format.split(" + "):
            scheme.format += f" + {found.format}"
        scheme.merge(found)
    if scheme is None or first is None:
        shown = ", ".join(display_path(p) for p in paths)
        raise InputProblems([Problem(Loc(shown), "nothing here to draft a mapping from",
                                     "mapping draft reads the annotation scheme of inputs made with other tools "
                                     "(brat, DNA, INCEpTION, Label Studio...); native YAML needs no mapping")])
    mapping, _ = read_mapping(find_mapping(first if first.is_dir() else first.parent))
    origin = ", ".join(display_path(p) for p in paths)
    return draft_mapping(scheme, mapping, origin), scheme


def nothing_stated(paths: Iterable[Path | str], sources: int) -> str:
    """Why a build of ``sources`` sources has no statement, as a warning: the relation, event and
    statement types the inputs use (all of them ignored or unmapped, or there would be statements),
    or that they use none."""
    used: dict[str, int] = {}
    for name, importer_name in discover_names(list(paths)):
        read_scheme = getattr(by_name(importer_name), "scheme", None) if importer_name else None
        if read_scheme is None:
            continue
        for (section, type_name), use in read_scheme(Path(name)).uses.items():
            if section in ("relations", "events", "dna") and use.count:
                used[type_name] = used.get(type_name, 0) + use.count
    head = f"0 statements from {sources:,} source{'s' if sources != 1 else ''}"
    if not used:
        return f"{head}: the inputs state no relation between an actor and a proposal (nothing to build statements from)"
    shown = ", ".join(f"{name} {n}" for name, n in sorted(used.items(), key=lambda item: (-item[1], item[0]))[:8])
    more = f", and {len(used) - 8} more" if len(used) > 8 else ""
    return (f"{head}: no relation type used became a statement ({shown}{more}): the mapping ignores them, or the "
            "mentions they link; map those that state a stance (docs/input-formats.md) to have statements")


__all__ = ["draft_for_inputs", "nothing_stated"]
