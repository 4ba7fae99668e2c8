"""Entry point of the ``stancegraph`` console script."""

from __future__ import annotations

from . import core  # noqa: F401  (registers build, validate, view)
from . import annotate  # noqa: F401  (registers convert, suggest)
from . import store  # noqa: F401  (registers push)
from . import explore  # noqa: F401  (registers query, matrix, blockers, contradictions, stats, export, network)
from . import mapping  # noqa: F401  (registers mapping draft)
from . import cache  # noqa: F401  (registers cache info, cache prune)
from .app import cli


def main() -> None:
    cli(prog_name="stancegraph")


if __name__ == "__main__":  # pragma: no cover
    main()
