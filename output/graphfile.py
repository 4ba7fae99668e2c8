"""Reading the inputs of the commands that take a graph: RDF graph files (as ``stancegraph build`` writes them,
parsed by pyoxigraph), or annotation files and folders, built on the spot."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancegraph.graph import InputProblems, Loc, Problem, build
from stancegraph.graph.errors import display_path
from stancegraph.ontology import bind_prefixes

from .graphcheck import MAX_BOUND_PREFIXES, check_json_ld
from .rdf import EXTENSIONS

if TYPE_CHECKING:  # rdflib and pyoxigraph are imported where they are used
    from collections.abc import Iterable, Iterator

    import networkx as nx
    import pyoxigraph
    from rdflib import Dataset


def is_graph_file(path: Path | str) -> bool:
    """An RDF file (by its extension), and not a Web Annotation file, which is annotation input."""
    from stancegraph.graph.importers.webanno_format import is_web_annotation_file

    path = Path(path)
    return path.suffix.lower() in EXTENSIONS and path.is_file() and not is_web_annotation_file(path)


#: format name → pyoxigraph's name of it
_OXIGRAPH_FORMATS = {"turtle": "TURTLE", "trig": "TRIG", "nt": "N_TRIPLES", "nquads": "N_QUADS", "json-ld": "JSON_LD"}


def read_quads(paths: list[Path | str], prefixes: list[tuple[str, str]] | None = None) -> Iterator[pyoxigraph.Quad]:
    """The quads of RDF graph files written by ``stancegraph build`` (or any RDF in the same formats),
    parsed by pyoxigraph, file after file: the one way stancegraph reads graph files.

    An iterator, read once: a file is parsed as its quads are taken, and is never held whole. Each file's
    blank nodes are its own; relative IRIs are resolved against the file's location. A file that is
    not valid RDF raises :class:`InputProblems` naming the file, line and column. With ``prefixes``, the
    prefixes each Turtle or TriG file declares are added to it once the file is read.
    """
    for path in paths:
        with _parsing(path) as parser:
            yield from parser
        if prefixes is not None and EXTENSIONS[Path(path).suffix.lower()] in ("turtle", "trig"):
            prefixes.extend(parser.prefixes.items())


@contextmanager
def _parsing(path: Path | str) -> Iterator[Any]:
    """pyoxigraph's parser of one graph file (see :func:`read_quads`), within which a file that is not
    valid RDF, or cannot be read, raises :class:`InputProblems`."""
    import pyoxigraph

    fmt = EXTENSIONS[Path(path).suffix.lower()]
    try:
        if fmt == "json-ld":
            check_json_ld(path)  # graphcheck: too deep a JSON-LD would crash the parser
        yield pyoxigraph.parse(path=str(path), format=getattr(pyoxigraph.RdfFormat, _OXIGRAPH_FORMATS[fmt]),
                               base_iri=Path(path).absolute().as_uri(), rename_blank_nodes=True)
    except SyntaxError as exc:
        raise InputProblems([_not_rdf(path, fmt, exc)]) from None
    except OSError as exc:
        reason = str(exc).split(" (os error")[0]  # pyoxigraph's: "Is a directory (os error 21)"
        raise InputProblems([Problem(Loc(display_path(path)), f"cannot be read: {reason}",
                                     "Check that it is a file you may read")]) from None


def _not_rdf(path: Path | str, fmt: str, exc: SyntaxError) -> Problem:
    message = " ".join(str(exc.msg).split())
    if message.startswith("Parser error "):  # "Parser error at line 3 between columns 5 and 9: what"
        message = message.split(": ", 1)[-1]
    loc = Loc(display_path(path), exc.lineno or 0, exc.offset or 0)
    if "remote context" in message:  # a JSON-LD @context by address: rdflib would have fetched it
        message = "its @context is an address, and stancegraph fetches nothing"
    if message.startswith("Invalid UTF-8"):
        return Problem(loc, "the file is not UTF-8 text", "Rebuild it with stancegraph build")
    return Problem(loc, f"not valid {fmt} RDF: {message[:300]}", "Rebuild it with stancegraph build")


def read_graph(paths: list[Path | str]) -> Dataset:
    """RDF graph files as an rdflib dataset, for what needs one (SPARQL queries, push): their quads as
    :func:`read_quads` reads them, in the graphs and with the prefixes rdflib's own parsers would give
    (triples of Turtle and N-Triples in the default graph; Turtle and TriG prefixes bound)."""
    from rdflib import Dataset

    dataset = bind_prefixes(Dataset())
    declared: list[tuple[str, str]] = []
    for path in paths:
        dataset.store.addN(_rdflib_quads(read_quads([path], declared), dataset, path))  # Dataset.addN: a Graph per quad
    for prefix, namespace in declared[:MAX_BOUND_PREFIXES]:  # graphcheck: 20,000 would take minutes
        dataset.bind(prefix, namespace)  # as rdflib's Turtle and TriG parsers bind a file's prefixes
    return dataset


def _rdflib_quads(quads: Iterable[pyoxigraph.Quad], dataset: Dataset, path: Path | str) -> Iterator[tuple[Any, ...]]:
    """pyoxigraph's quads of ``path`` as rdflib's, each in its graph of ``dataset``."""
    import pyoxigraph
    from rdflib import XSD, BNode, Literal, URIRef
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    string = str(XSD.string)
    iris: dict[str, URIRef] = {}  # a graph repeats its IRIs: one URIRef each
    graphs: dict[Any, Any] = {pyoxigraph.DefaultGraph(): dataset.graph(DATASET_DEFAULT_GRAPH_ID)}

    def term(t: Any) -> Any:
        kind = type(t)
        if kind is pyoxigraph.NamedNode:
            iri = iris.get(t.value)
            if iri is None:
                iri = iris[t.value] = URIRef(t.value)
            return iri
        if kind is pyoxigraph.BlankNode:
            return BNode(t.value)
        if kind is pyoxigraph.Literal:  # plain and language-tagged (RDF 1.2: with a direction, left aside) literals
            if t.language:
                return Literal(t.value, lang=t.language)
            return Literal(t.value, datatype=None if t.datatype.value == string else URIRef(t.datatype.value))
        raise triple_term(path, t)

    for quad in quads:
        name = quad.graph_name
        if name not in graphs:
            graphs[name] = dataset.graph(term(name))
        yield term(quad.subject), term(quad.predicate), term(quad.object), graphs[name]


def triple_term(path: Path | str, term: Any) -> InputProblems:
    """The problem of a graph file holding an RDF 1.2 triple term, which stancegraph does not read."""
    return InputProblems([Problem(Loc(display_path(path)), f"holds an RDF 1.2 triple term ({term}), which stancegraph "
                                  "does not read", "Give it RDF 1.1: no << >> terms")])


def read_graphs(paths: list[Path | str]) -> dict[str, list[pyoxigraph.Triple]]:
    """The triples of graph files by the IRI of their graph (``urn:x-rdflib:default`` for the default
    graph, as :func:`read_graph` names it), as pyoxigraph reads them: what ``push`` serialises without
    rdflib (which took minutes to hold and write a million triples).

    Made for speed (a million quads in under 3 s rather than 4.5): a triple given twice is there twice
    (lists, not sets: serialising to sorted lines drops the repeat), and each parser is read directly,
    not through :func:`read_quads`'s generator."""
    import pyoxigraph

    default = "urn:x-rdflib:default"
    triple = pyoxigraph.Triple
    by_name: dict[Any, list[pyoxigraph.Triple]] = {}  # keyed by the graph name term: no string per quad
    for path in paths:
        with _parsing(path) as parser:
            for quad in parser:
                if type(quad.subject) is triple or type(quad.object) is triple:
                    raise triple_term(path, quad.subject if type(quad.subject) is triple else quad.object)
                found = by_name.get(quad.graph_name)
                if found is None:
                    found = by_name[quad.graph_name] = []
                found.append(quad.triple)
    graphs: dict[str, list[pyoxigraph.Triple]] = {}
    for name, triples in by_name.items():
        graphs.setdefault(default if type(name) is pyoxigraph.DefaultGraph else name.value, []).extend(triples)
    return graphs


def _all_graph_files(paths: list[Path | str]) -> bool:
    """Whether ``paths`` are graph files (else annotation files and folders); never some of each."""
    graphs = [p for p in paths if is_graph_file(p)]
    if graphs and len(graphs) != len(paths):
        raise InputProblems([Problem(Loc(display_path(graphs[0])), "a graph file given together with annotation files",
                                     "Give either graph files or annotation files and folders")])
    return bool(graphs)


def load_dataset(paths: list[Path | str], *, shacl: bool | None = None) -> Dataset:
    """A dataset from RDF graph files, or built from annotation files and folders (not both at once)."""
    return read_graph(paths) if _all_graph_files(paths) else build(paths, shacl=shacl).dataset


def load_for_projection(paths: list[Path | str], *, shacl: bool | None = None, unmapped: str = "error",
                        warnings: list[str] | None = None,
                        skip_invalid: bool = False) -> Dataset | Iterator[pyoxigraph.Quad]:
    """What :func:`project` reads for ``paths``: the quads of graph files as pyoxigraph parses them (never
    held by rdflib: a graph of a million triples is projected in seconds), or the dataset built from
    annotation files and folders (``unmapped`` as for ``build``; what the build warns of is added to
    ``warnings``; ``skip_invalid`` as for ``build``)."""
    if _all_graph_files(paths):
        return read_quads(paths)
    built = build(paths, shacl=shacl, unmapped=unmapped, skip_invalid=skip_invalid)
    if warnings is not None:
        warnings.extend(built.compiled.warnings)
    return built.dataset
