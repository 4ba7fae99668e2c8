"""Fixtures of the (non-browser) test suite; the helpers they use are in ``sgtest.py``.

* ``invoke``: the command group in-process through ``click.testing.CliRunner`` (stdout and stderr kept
  apart), with a temporary working directory so that messages name files as ``sources/s1.yaml``.
* ``example_built`` / ``example_outputs``: the Gaza example built once per session, and written in
  every format.
* ``corpus``: a small valid corpus in the test's temporary folder, to break one way at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sgtest import EXAMPLE, FORMATS, Corpus

from stancegraph.cli.main import cli
from stancegraph.graph import Built, build
from stancegraph.output import write_graph


def _runner() -> CliRunner:
    try:  # click < 8.2 mixes stderr into stdout unless asked not to
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


Invoke = Callable[..., Result]


@pytest.fixture
def invoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """``invoke("build", "x", "-o", "y")``: the CLI in-process, in ``tmp_path`` (build cache in ``tmp_path/.cache``).

    Exceptions are not caught: an unexpected one fails the test with its traceback.
    """
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ".cache"))  # the build cache, kept out of $HOME
    runner = _runner()

    def _invoke(*args: str | Path) -> Result:
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False, prog_name="stancegraph")

    return _invoke


@pytest.fixture(scope="session")
def example_built() -> Built:
    """The Gaza example, read, checked, built and SHACL-validated once per session. Do not modify it."""
    return build([EXAMPLE])


@pytest.fixture(scope="session")
def example_outputs(example_built: Built, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example written in every format: extension without dot → file."""
    folder = tmp_path_factory.mktemp("example-outputs")
    out = {}
    for fmt in FORMATS:
        path = folder / f"gaza{fmt.ext}"
        write_graph(example_built.dataset, path, fmt.name)
        out[fmt.ext.lstrip(".")] = path
    return out


# --------------------------------------------------------------------------- a small corpus to break


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    """A valid corpus in ``tmp_path`` (the working directory of ``invoke``)."""
    return Corpus(tmp_path).write()
