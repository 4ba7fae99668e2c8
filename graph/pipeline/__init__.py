"""The build pipeline for corpora of any size: per-source work, cached by content hash, in parallel.

    registry files ─ read, check ─ registry lines ─┐
    source files ─┬─ cache hit: its lines, as stored ├─ entries (one per source, in id order) ─ writers
                  └─ miss: read, check, emit lines ──┘     (streamed from the cache folder)

A source's lines depend only on its file, the registry and stancegraph itself, so each source is keyed
by ``sha256(fingerprint of registry and code, sha256(file bytes))`` and, once built, never built again
until one of those changes. A text file a source refers to (``text:``) is recorded with its hash and
checked on every hit. Sources are compiled in worker processes when there are enough of them to pay for
it. What a build saw is kept for the next one (:mod:`..record`): a rebuild reads only the files whose
``stat`` changed, loads an unchanged registry instead of checking it, and the writers copy the blocks of
unchanged sources from the previous output (:func:`.assemble.pieces`).

One module per job, each importing only those before it:

* :mod:`.cache`: the cache folder: keys, entries (header and two blocks of lines), their headers read back;
* :mod:`.inputs`: the input files under the paths given, each scanned (read only when the record does not
  vouch for it);
* :mod:`.registry`: the registry of a build, checked, or loaded unchanged from the cache;
* :mod:`.source`: compiling one source into a cache entry (what a worker does);
* :mod:`.workers`: compiling many sources, in worker processes when there are enough of them;
* :mod:`.corpus`: :func:`~.corpus.compile_corpus`, which ties them together into a :class:`~.corpus.Compiled`;
* :mod:`.assemble`: the entries as N-Triples or N-Quads, or as pieces of the output file they replace.
"""
