"""From annotation files to an in-memory RDF dataset (rdflib): the registry graph plus one named graph
per source. The triples themselves are made by :mod:`.emit`, source by source, through :mod:`.pipeline`;
this module gathers them into an rdflib ``Dataset`` for the commands that work in memory (view, query,
SHACL). Large corpora are written to files without ever being held as an rdflib graph (see
``stancegraph.output.stream``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from rdflib import Dataset, URIRef

from stancegraph.ontology import bind_prefixes, prefixes  # noqa: F401  (prefixes: output.stream imports it here)

from .emit import Iris, registry_lines, source_lines
from .errors import Loc
from .model import Corpus
from .pipeline.assemble import nquads
from .pipeline.corpus import Compiled


def new_dataset(base: str | None = None) -> Dataset:
    """An empty dataset with the vocabularies' prefixes, and the data's own when ``base`` is given."""
    return bind_prefixes(Dataset(), base)


@dataclass
class Built:
    """A built corpus as an rdflib dataset, with where each node came from. (``compiled`` describes the
    build; its work folder is gone once the dataset is made.)"""

    compiled: Compiled
    origins: dict[URIRef, Loc] = field(default_factory=dict)

    @property
    def iris(self) -> Iris:
        return self.compiled.iris

    @cached_property
    def dataset(self) -> Dataset:
        dataset = new_dataset(self.compiled.iris.base)
        dataset.parse(data=b"".join(nquads(self.compiled)).decode("utf-8"), format="nquads")
        return dataset


def build_dataset(corpus: Corpus, progress: Callable[[int], None] | None = None) -> Built:
    """A checked, in-memory corpus as a dataset (no files read, no cache)."""
    import tempfile
    from pathlib import Path

    from .pipeline.cache import CACHE_FORMAT, Entry, write_entry
    from .pipeline.registry import CheckedRegistry

    iris = Iris(corpus.registry.base)
    workdir = tempfile.TemporaryDirectory(prefix="stancegraph-build-")
    entries = []
    origins: dict[URIRef, Loc] = {}
    for index, source in enumerate(sorted(corpus.sources, key=lambda s: s.id)):
        lines = source_lines(source, corpus.registry, iris)
        file = str(Path(workdir.name, f"{index}.nt"))
        write_entry(file, {"format": CACHE_FORMAT}, iris.source_graph(source.id), lines.shared, lines.own)
        entries.append(Entry(source.id, source.path, file, len(lines.shared), len(lines.shared) + len(lines.own), False,
                             len(source.statements)))
        origins[URIRef(iris.source(source.id))] = source.loc
        origins.update((URIRef(iris.statement(source.id, st.id)), st.loc) for st in source.statements)
        if progress is not None:
            progress(1)
    lines = registry_lines(corpus.registry, iris)
    checked = CheckedRegistry(iris.base, "", len(lines), registry=corpus.registry, lines=lines)
    compiled = Compiled(iris, checked, entries, {}, workdir)
    built = Built(compiled, origins)
    try:
        built.dataset
    finally:
        compiled.close()
    return built
