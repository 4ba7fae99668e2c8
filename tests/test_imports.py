"""The library (graph, ontology, output) never imports click: only stancegraph.cli does."""

from __future__ import annotations

import json

from sgtest import python

_SCRIPT = """
import importlib, json, pkgutil, sys
imported = []
for name in ("stancegraph.graph", "stancegraph.ontology", "stancegraph.output"):
    package = importlib.import_module(name)
    imported.append(name)
    for module in pkgutil.walk_packages(package.__path__, prefix=name + "."):
        importlib.import_module(module.name)
        imported.append(module.name)
print(json.dumps({"imported": imported, "click": sorted(m for m in sys.modules if m == "click" or m.startswith("click."))}))
"""


def test_library_modules_do_not_import_click() -> None:
    done = python(_SCRIPT)

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert {"stancegraph.graph.read", "stancegraph.output.view", "stancegraph.ontology"} <= set(result["imported"])
    assert result["click"] == []


def test_the_check_above_would_see_click() -> None:
    done = python("import sys, stancegraph.cli.main; print('click' in sys.modules)")

    assert done.returncode == 0, done.stderr
    assert done.stdout == "True\n"
