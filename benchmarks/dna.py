"""A Discourse Network Analyzer database against the same statements as native YAML: build times.

    python benchmarks/dna.py                      # 10,000 statements
    python benchmarks/dna.py 2000 --keep /tmp/dna-bench

Writes a DNA 3 database (with DNA 3's own schema, tests/dnadb.py) of N statements ("DNA Statement":
person, organization, concept, agreement) over N/4 documents, a registry of some of its actors beside it,
and converts it to native YAML with ``stancegraph convert`` (the same statements, texts under texts/).
Then builds each to N-Triples in a fresh process, without cache, serial (--jobs 1) and with the default
jobs, and prints the times and their ratio (the target: the .dna no slower than 2× the YAML).
The same N and seed always give the same files.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from dnadb import DnaFile  # noqa: E402

WORDS = ("talks force plan ceasefire aid border security governance reconstruction funding mission council "
         "officials partners region envoy proposal agreement troops monitors elections hostages withdrawal").split()


def write_dna(path: Path, statements: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    orgs = [f"Organization {i} {rng.choice(WORDS).title()}" for i in range(max(10, statements // 30))]
    people = [(f"Person {i}", rng.choice(orgs)) for i in range(max(20, statements // 15))]
    concepts = [f"{' '.join(rng.sample(WORDS, 3))} {i}" for i in range(max(5, statements // 100))]
    outlets = [f"Outlet {i}" for i in range(30)]
    db = DnaFile(path)
    made = 0
    document = 0
    while made < statements:
        sentences = []
        for _ in range(min(4, statements - made)):
            person, org = rng.choice(people)
            concept = rng.choice(concepts)
            agree = rng.random() < 0.6
            sentences.append((f"{person} of {org} said they {'back' if agree else 'reject'} the {concept}.",
                              person, org, concept, int(agree)))
        filler = " ".join(rng.sample(WORDS, 8)).capitalize() + "."
        text = "\n".join([f"Report {document} on {rng.choice(WORDS)}", filler, *(s[0] for s in sentences), filler])
        doc = db.document(f"Report {document} on {' '.join(rng.sample(WORDS, 3))}", text,
                          1_700_000_000 + document * 3600, author=f"Reporter {rng.randrange(200)}",
                          source=rng.choice(outlets), section="World")
        for sentence, person, org, concept, agree in sentences:
            db.statement(doc, text, sentence, {"person": person, "organization": org, "concept": concept,
                                               "agreement": agree})
        made += len(sentences)
        document += 1
    for org in orgs[::3]:
        db.attribute(1, "organization", org, "Type", "Government")
    db.close()


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("statements", nargs="?", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="write the inputs and outputs here and keep them")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="stancegraph-dna-"))
    shutil.rmtree(root / "dna", ignore_errors=True)
    shutil.rmtree(root / "native", ignore_errors=True)
    (root / "dna").mkdir(parents=True)
    sg = [str(Path(sys.executable).with_name("stancegraph"))]
    write_dna(root / "dna" / "corpus.dna", args.statements)
    outlets = "".join(f"  outlet-{i}:\n    label: Outlet {i}\n    kind: news-outlet\n" for i in range(30))
    (root / "dna" / "registry.yaml").write_text(f"stancegraph: 1\nbase: https://example.org/dna-bench/\nactors:\n{outlets}",
                                                encoding="utf-8")
    timed([*sg, "convert", str(root / "dna"), "-o", str(root / "native"), "--force"])
    print(f"{args.statements:,} statements; {root}")
    for jobs in (["--jobs", "1"], []):
        dna = timed([*sg, "build", str(root / "dna"), "-o", str(root / "dna.nt"), "-q", "--no-cache", *jobs])
        native = timed([*sg, "build", str(root / "native"), "-o", str(root / "native.nt"), "-q", "--no-cache", *jobs])
        same = (root / "dna.nt").read_bytes() == (root / "native.nt").read_bytes()
        label = "serial" if jobs else "default jobs"
        print(f"{label:>13}: .dna {dna:6.2f} s   native YAML {native:6.2f} s   ratio {dna / native:4.2f}"
              f"   same N-Triples: {'yes' if same else 'NO'}")
    if args.keep is None:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
