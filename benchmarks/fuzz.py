"""Fuzz every reader and print the table of docs/reliability.md (issue 16).

    python benchmarks/fuzz.py                        # 2,000 mutants per reader, seed 2026 (about 15 minutes)
    python benchmarks/fuzz.py --per-reader 200 --reader brat --reader dna
    python benchmarks/fuzz.py --reader brat --only 117 --keep /tmp/m117   # write mutant 117, to reproduce it

Each mutant runs through the command line in a worker process (tests/fuzzing.py): a success or a clean
problem report is fine; a traceback, a hang over 10 s, a peak over 1 GB, a clobbered output or an unreadable
graph file is a failure, listed under the table with the mutant's number.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import fuzzing  # noqa: E402

COLUMNS = ("success", "problem", "traceback", "hang", "memory", "clobbered", "unreadable")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-reader", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reader", action="append", choices=sorted(fuzzing.READERS),
                        help="only this reader (repeatable); default: all")
    parser.add_argument("--only", type=int, help="with --keep: the number of the mutant to write")
    parser.add_argument("--keep", type=Path, help="write mutant --only of --reader into this folder and say the command")
    args = parser.parse_args()
    readers = args.reader or sorted(fuzzing.READERS)
    if args.keep is not None:
        if args.only is None or len(readers) != 1:
            parser.error("--keep needs one --reader and --only N")
        command = fuzzing.keep(readers[0], args.seed, args.only, args.keep)
        print("cd", args.keep, "&& stancegraph", " ".join(f"'{a}'" if " " in a else a for a in command))
        return 0
    print(f"{args.per_reader} mutants per reader, seed {args.seed}, Python {platform.python_version()}, "
          f"{platform.machine()}\n")
    print("| reader | inputs | " + " | ".join(COLUMNS) + " | slowest (s) | peak RSS (MB) |")
    print("|---" * (len(COLUMNS) + 4) + "|")
    failures = []
    started = time.perf_counter()
    for reader in readers:
        tally = fuzzing.fuzz(reader, args.per_reader, args.seed)
        print(f"| {reader} | {tally.total:,} | " + " | ".join(f"{tally.counts[c]:,}" for c in COLUMNS)
              + f" | {tally.slowest:.2f} | {tally.peak_mb} |", flush=True)
        failures += [(reader, n, o) for n, o in tally.bad] + [(reader, n, None) for n in tally.silent]
    print(f"\n{time.perf_counter() - started:.0f} s in all.")
    for reader, number, outcome in failures:
        print(f"- {reader} #{number}: " + (f"{outcome.kind}: {outcome.detail}" if outcome else "failed without a message"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
