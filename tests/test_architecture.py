"""The shape of the package: no import cycle between its modules, and the layers one way only.

cli → output → graph → ontology: the library never imports the command line, graph (reading and
building) never imports output (writing), the ontology imports none of them, and only cli imports click.
Inside each folder, modules import one another without a circle, so that each can be read (and
replaced) knowing only what it imports.

Every import statement counts, at the top of a module or inside a function (a lazy import dodges a
cycle at run time but keeps the tangle). The importer registry imports its built-in importers by name
(``BUILT_IN``), which counts as importing them; other ``importlib.import_module`` calls (entry points of
third-party packages) are not seen.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
import pytest

PACKAGES = ("stancegraph.graph", "stancegraph.ontology", "stancegraph.output", "stancegraph.cli")
#: paths in messages are shown from here (the repository, for an editable install)
ROOT = os.path.dirname(os.path.dirname(importlib.import_module("stancegraph.graph").__file__))


@dataclass(frozen=True)
class Import:
    """One import statement: the module importing, what it imports (a module of stancegraph, or the
    top-level name of another distribution), and where."""

    importer: str
    imported: str
    line: int
    path: str


def modules() -> dict[str, tuple[str, bool]]:
    """Every module of the packages: name → (its file, whether it is a package)."""
    found: dict[str, tuple[str, bool]] = {}
    for name in PACKAGES:
        package = importlib.import_module(name)
        found[name] = (package.__file__, True)
        for info in pkgutil.walk_packages(package.__path__, prefix=name + "."):
            spec = importlib.util.find_spec(info.name)
            assert spec is not None and spec.origin is not None, info.name
            found[info.name] = (spec.origin, info.ispkg)
    return found


def imports_of(name: str, path: str, is_package: bool, known: Iterable[str]) -> list[Import]:
    """The imports in the module ``name`` (file ``path``), relative ones resolved, at any depth."""
    known = set(known)
    package = name if is_package else name.rpartition(".")[0]
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(name, alias.name, node.lineno, path) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package) if node.level else node.module
            assert base is not None
            for alias in node.names:
                module = f"{base}.{alias.name}"
                found.append(Import(name, module if module in known else base, node.lineno, path))
    return found


def registry_imports() -> list[Import]:
    """The importer registry's imports of the built-in importers, named in ``BUILT_IN``."""
    from stancegraph.graph import importers

    path = importers.__file__
    with open(path, encoding="utf-8") as handle:
        line = next(n for n, text in enumerate(handle, start=1) if text.startswith("BUILT_IN"))
    return [Import(importers.__name__, f"{importers.__name__}.{module}", line, path) for module, _ in importers.BUILT_IN]


def all_imports() -> list[Import]:
    found = modules()
    return [i for name, (path, is_package) in found.items() for i in imports_of(name, path, is_package, found)] + \
        registry_imports()


def import_graph(imports: Iterable[Import]) -> nx.DiGraph:
    """Modules of stancegraph, and an edge for each import of one by another (with where it is)."""
    graph = nx.DiGraph()
    for i in imports:
        if i.imported.startswith("stancegraph."):
            if not graph.has_edge(i.importer, i.imported):
                graph.add_edge(i.importer, i.imported, at=[])
            graph.edges[i.importer, i.imported]["at"].append(where(i))
    return graph


def cycles(graph: nx.DiGraph) -> list[str]:
    """One cycle of each strongly connected component of more than one module (or a module importing
    itself), written ``a → b → a`` with the line of each import."""
    out = []
    for component in nx.strongly_connected_components(graph):
        first = sorted(component)[0]
        if len(component) == 1 and not graph.has_edge(first, first):
            continue
        cycle = nx.find_cycle(graph.subgraph(component), source=first)
        steps = [f"{a} → {b} ({graph.edges[a, b]['at'][0]})" for a, b in cycle]
        out.append(f"{len(component)} modules import each other: " + "; ".join(steps)
                   + (f"; and also {', '.join(sorted(component - {a for a, _ in cycle}))}" if len(cycle) < len(component) else ""))
    return sorted(out)


def where(i: Import) -> str:
    return f"{os.path.relpath(i.path, ROOT)}:{i.line}"


def in_layer(module: str, layer: str) -> bool:
    return module == f"stancegraph.{layer}" or module.startswith(f"stancegraph.{layer}.")


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    return all_imports()


def test_the_walk_sees_every_folder_and_lazy_imports(imports: list[Import]) -> None:
    """Guards the checks below against passing because they look at nothing."""
    graph = import_graph(imports)
    names = set(modules())
    assert {"stancegraph.graph.read", "stancegraph.graph.importers.brat", "stancegraph.output.view",
            "stancegraph.cli.core", "stancegraph.ontology"} <= names
    assert len(names) > 40
    assert graph.has_edge("stancegraph.graph.importers.brat", "stancegraph.graph.importers.mapping")  # relative, top level
    assert graph.has_edge("stancegraph.cli.core", "stancegraph.output.watch")  # inside a function
    assert graph.has_edge("stancegraph.graph.importers", "stancegraph.graph.importers.webanno")  # BUILT_IN
    assert any(i.importer.startswith("stancegraph.cli.") and i.imported == "click" for i in imports)


def test_no_import_cycle_between_modules(imports: list[Import]) -> None:
    found = cycles(import_graph(imports))

    assert not found, "import cycles:\n" + "\n".join(found)


def test_the_cycle_check_names_a_cycle() -> None:
    """The check above can fail: a circle of three modules is found and named, import lines included."""
    made = [Import("stancegraph.graph.a", "stancegraph.graph.b", 3, "a.py"),
            Import("stancegraph.graph.b", "stancegraph.graph.c", 4, "b.py"),
            Import("stancegraph.graph.c", "stancegraph.graph.a", 5, "c.py"),
            Import("stancegraph.graph.c", "stancegraph.graph.d", 6, "c.py")]

    (found,) = cycles(import_graph(made))

    assert found.startswith("3 modules import each other: stancegraph.graph.a → stancegraph.graph.b (a.py:3)")
    assert "stancegraph.graph.c → stancegraph.graph.a (c.py:5)" in found
    assert "graph.d" not in found


@pytest.mark.parametrize(("layer", "forbidden"), [
    ("graph", ("output", "cli")),
    ("ontology", ("graph", "output", "cli")),
    ("output", ("cli",)),
])
def test_layers_import_one_way(imports: list[Import], layer: str, forbidden: tuple[str, ...]) -> None:
    wrong = [f"{where(i)}: {i.importer} imports {i.imported}" for i in imports
             if in_layer(i.importer, layer) and any(in_layer(i.imported, f) for f in forbidden)]

    assert not wrong, "\n".join(wrong)


def test_only_the_command_line_imports_click(imports: list[Import]) -> None:
    wrong = [f"{where(i)}: {i.importer} imports {i.imported}" for i in imports
             if i.imported.split(".")[0] == "click" and not in_layer(i.importer, "cli")]

    assert not wrong, "\n".join(wrong)
