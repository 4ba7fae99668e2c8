"""cache info and cache prune: the cache folder's size, and what is left of graph files gone or changed."""

from __future__ import annotations

from pathlib import Path

import click

from .app import cli

CACHE = click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                     metavar="DIR", help="The cache folder. Default: $XDG_CACHE_HOME/stancegraph (~/.cache/stancegraph).")


@cli.group()
def cache() -> None:
    """The cache folder: built sources (what makes rebuilds fast) and the index of each graph file read
    (what makes the analysis commands fast)."""


def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


@cache.command()
@CACHE
def info(cache_dir: Path | None) -> None:
    """Where the cache folder is, how many entries it holds and their size."""
    from stancegraph.output.index import cache_info

    found = cache_info(cache_dir)
    click.echo(f"Cache folder: {found.folder}")
    click.echo(f"  built sources: {found.build_entries:,} entries, {_mb(found.build_bytes)}")
    click.echo(f"  graph file index: {found.index_entries:,} entries, {_mb(found.index_bytes)}")


@cache.command()
@CACHE
@click.option("--all", "everything", is_flag=True, help="Delete every index entry, those of current graph files too.")
def prune(cache_dir: Path | None, everything: bool) -> None:
    """Delete the index entries of graph files that are gone or have changed since they were read (with
    --all, every index entry: each is made again on the next read). Built sources are left alone."""
    from stancegraph.output.index import prune as prune_index

    deleted, freed = prune_index(cache_dir, everything=everything)
    click.echo(f"Deleted {deleted:,} index {'entry' if deleted == 1 else 'entries'} ({_mb(freed)}).")
