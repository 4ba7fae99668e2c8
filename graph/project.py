"""The project folder: the folder of ``registry.yaml``, and the files found by walking up to it.

A project keeps its registry at its top and sources, texts and other tools' exports below. Whoever
needs a file of the project from somewhere inside it (discovery its registry; the brat and Web
Annotation importers their ``mapping.yaml`` and ``annotation.conf``) walks up from a folder with
:func:`folders_up`, which stops at the top of a git repository, so that a file of an unrelated
project above is never taken.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

REGISTRY_FILENAME = "registry.yaml"
REGISTRY_FILENAMES = (REGISTRY_FILENAME, "registry.yml")
MAPPING_FILENAME = "mapping.yaml"  # read by the brat and Web Annotation importers, not as a source


def folders_up(folder: Path, levels: int) -> Iterator[Path]:
    """``folder`` (resolved) and the folders above it, at most ``levels`` in all, up to the top of the
    git repository (the folder holding ``.git``) or of the file system."""
    folder = folder.resolve()
    for _ in range(levels):
        yield folder
        if (folder / ".git").exists() or folder.parent == folder:
            return
        folder = folder.parent


def registry_in(folder: Path) -> Path | None:
    """The registry file of ``folder`` (``registry.yaml``, else ``registry.yml``), or None."""
    return next((folder / name for name in REGISTRY_FILENAMES if (folder / name).is_file()), None)


def registry_above(paths: Iterable[Path]) -> Path | None:
    """The registry nearest above the first of ``paths`` that has one (looking up to three folders
    above the file's own), so that a single source file can be checked on its own."""
    for path in paths:
        for folder in folders_up(path.resolve().parent, 4):
            if (found := registry_in(folder)) is not None:
                return found
    return None


def find_upwards(folder: Path, name: str) -> Path | None:
    """The file ``name`` in ``folder`` or in a folder above it, up to the project folder (the one
    holding the registry), as brat finds its annotation.conf."""
    for here in folders_up(folder, 5):
        if (here / name).is_file():
            return here / name
        if registry_in(here) is not None:
            return None
    return None


def project_folder(source_path: str, registry_files: list[str]) -> Path:
    """The project folder of a source file: the nearest folder above it that holds one of the registry
    files read, or the source file's own folder when none does."""
    here = Path(source_path).resolve()
    folders = sorted((Path(f).resolve().parent for f in registry_files), key=lambda p: len(p.parts), reverse=True)
    for folder in folders:
        if here.is_relative_to(folder):
            return folder
    return here.parent


__all__ = ["MAPPING_FILENAME", "REGISTRY_FILENAME", "REGISTRY_FILENAMES", "find_upwards", "folders_up",
           "project_folder", "registry_above", "registry_in"]
