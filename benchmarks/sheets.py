"""A coding sheet against the same statements as native YAML: build times.

    python benchmarks/sheets.py                    # 100,000 rows
    python benchmarks/sheets.py 5000 --keep /tmp/sheet-bench

Writes a coding sheet of N rows (an article id, a date, an outlet, one or two actors, a category code of a
codebook of 120 codes under 12 major categories, a polarity of 1 or -1, a quote), its codebook and its
mapping, then converts it with ``stancegraph convert`` (the same statements as native YAML source files).
Builds each to N-Triples in a fresh process, without cache, serial (--jobs 1) and with the default jobs,
and prints the times and their ratio (the target: the sheet no slower than the YAML). The same N and seed
always give the same files.
"""

from __future__ import annotations

import argparse
import csv
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("harbor toll ferry bridge budget union council port tax fare subsidy night route dock freight "
         "commuter pier crane lane shift").split()


def write_sheet(folder: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    majors = [f"M{i}" for i in range(1, 13)]
    codes = [f"{m}.{j}" for m in majors for j in range(1, 11)]
    with (folder / "codebook.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "parent", "label"])
        writer.writerows([m, "", f"{rng.choice(WORDS).title()} policy {m}"] for m in majors)
        writer.writerows([c, c.split(".")[0], f"{' '.join(rng.sample(WORDS, 3))} {c}"] for c in codes)
    actors = [f"{rng.choice(WORDS).title()} {kind} {i}" for i, kind in
              enumerate(rng.choice(("Union", "Council", "Party", "Chamber", "Group")) for _ in range(max(20, rows // 40)))]
    outlets = [f"Outlet {i}" for i in range(40)]
    with (folder / "claims.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["article", "date", "outlet", "actor", "category", "polarity", "quote"])
        article = 0
        for row in range(rows):
            if row % 5 == 0:
                article += 1
                day = f"2031-{1 + article % 12:02d}-{1 + article % 28:02d}"
                outlet = rng.choice(outlets)
            who = "; ".join(rng.sample(actors, 2 if rng.random() < 0.1 else 1))
            writer.writerow([f"a{article}", day, outlet, who, rng.choice(codes), rng.choice(("1", "-1")),
                             f"{who} {'backs' if rng.random() < 0.5 else 'rejects'} the {' '.join(rng.sample(WORDS, 4))} ({row})."])
    (folder / "mapping.yaml").write_text(
        "stancegraph-mapping: 1\ncolumns:\n  source: article\n  date: date\n  outlet: outlet\n  subject: actor\n"
        "  object: category\n  stance: polarity\n  quote: quote\n  codebook: codebook.csv\n", "utf-8")


def timed(*args: str | Path) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "stancegraph.cli", *map(str, args)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"stancegraph {' '.join(map(str, args))} failed:\n{done.stderr[-2000:]}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rows", nargs="?", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    options = parser.parse_args()
    work = options.keep or Path(tempfile.mkdtemp(prefix="stancegraph-sheets-"))
    try:
        sheet, native = work / "sheet", work / "native"
        write_sheet(sheet, options.rows)
        if native.exists():
            shutil.rmtree(native)
        convert = timed("convert", sheet, "-o", native, "--no-texts")
        print(f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}, "
              f"{len(__import__('os').sched_getaffinity(0))} cores")
        print(f"{options.rows:,} rows; convert to native YAML: {convert:.1f} s")
        for jobs in (["--jobs", "1"], []):
            label = "serial" if jobs else "default jobs"
            t_sheet = timed("build", sheet, "--no-cache", *jobs, "-o", work / "sheet.nt")
            t_yaml = timed("build", native, "--no-cache", *jobs, "-o", work / "native.nt")
            print(f"{label:>13}: sheet {t_sheet:6.1f} s   native YAML {t_yaml:6.1f} s   ratio {t_sheet / t_yaml:.2f}")
    finally:
        if options.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
