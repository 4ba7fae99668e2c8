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


__all__ = ["draft_for_inputs"]
