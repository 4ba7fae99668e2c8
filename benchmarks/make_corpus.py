"""Write a synthetic annotation corpus in stancegraph's native format, for benchmarks.

    python benchmarks/make_corpus.py 10000 /tmp/corpus-10k      # 10,000 sources, ≈ 1M triples when built

The corpus looks like a real analyst's: a registry of a few thousand actors (with kinds, aliases,
part-of and some Wikidata ids), hundreds of proposals and conditions; sources from a few dozen outlets
over two years, some citing other outlets; 2 to 6 statements each, with quotes, attribution chains,
hedges, conditions, quantities and dates. References use ids, labels and aliases, so alias resolution
is exercised. The same N and seed always give the same files.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

KINDS = ["state", "government", "government-agency", "military", "armed-group", "organization", "person", "group",
         "anonymous-source"]
HEDGES = ["reportedly", "could", "potentially", "likely", "preliminary", "unclear"]
WORDS = ("talks force plan ceasefire aid border security governance reconstruction funding mission council "
         "officials partners region envoy proposal agreement troops monitors elections hostages withdrawal").split()


def registry(rng: random.Random, actors: int, proposals: int, conditions: int, outlets: int) -> dict:
    data: dict = {"stancegraph": 1, "base": "https://example.org/synthetic/", "actors": {}, "proposals": {},
                  "conditions": {}}
    for i in range(outlets):
        data["actors"][f"outlet-{i}"] = {"label": f"Outlet {i}", "kind": "news-outlet", "aliases": [f"The Outlet {i}"]}
    for i in range(actors):
        entry = {"label": f"Actor {i} {rng.choice(WORDS).title()}", "kind": rng.choice(KINDS),
                 "aliases": [f"A{i}", f"actor number {i}"]}
        if i > 20 and rng.random() < 0.3:
            entry["part-of"] = f"actor-{rng.randrange(0, 20)}"
        if rng.random() < 0.2:
            entry["wikidata"] = f"Q{1000 + i}"
        data["actors"][f"actor-{i}"] = entry
    for i in range(proposals):
        entry = {"label": f"Proposal {i}: {' '.join(rng.sample(WORDS, 3))}", "aliases": [f"P{i}"]}
        if i > 10 and rng.random() < 0.3:
            entry["part-of"] = f"proposal-{rng.randrange(0, 10)}"
        data["proposals"][f"proposal-{i}"] = entry
    for i in range(conditions):
        data["conditions"][f"condition-{i}"] = {"label": f"Condition {i}: {' '.join(rng.sample(WORDS, 2))}"}
    return data


def source(rng: random.Random, index: int, actors: int, proposals: int, conditions: int, outlets: int) -> dict:
    outlet = rng.randrange(outlets)
    cited = rng.randrange(outlets) if rng.random() < 0.3 else None
    meta = {"id": f"source-{index:06d}", "title": f"Report {index} on {' '.join(rng.sample(WORDS, 3))}",
            "publisher": f"outlet-{outlet}", "author": f"Reporter {rng.randrange(500)}",
            "published": f"{rng.choice([2023, 2024])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "url": f"https://outlet{outlet}.example/news/{index}", "language": "en"}
    if cited is not None and cited != outlet:
        meta["cites"] = f"outlet-{cited}"
    statements = []
    for j in range(rng.randint(2, 6)):
        kind = rng.random()
        actor = rng.randrange(actors)
        subject = rng.choice([f"actor-{actor}", f"A{actor}", f"actor number {actor}"]) if kind < 0.8 else None
        quote = f"{' '.join(rng.choices(WORDS, k=rng.randint(6, 14)))} {index}-{j}"
        if kind < 0.65:
            st = {"subject": subject,
                  "relation": rng.choice(["supports", "opposes", "considers", "proposes", "funds", "may-participate-in",
                                          "resists", "must-approve"]),
                  "object": f"proposal-{rng.randrange(proposals)}"}
            if rng.random() < 0.15:
                st["until"] = [f"condition-{rng.randrange(conditions)}"]
        elif kind < 0.8:
            st = {"subject": subject, "relation": "demands", "object": f"condition-{rng.randrange(conditions)}",
                  "for": f"proposal-{rng.randrange(proposals)}", "status": rng.choice(["met", "unmet", "contested"])}
        else:
            st = {"subject": f"P{rng.randrange(proposals)}", "relation": "requires",
                  "object": f"condition-{rng.randrange(conditions)}"}
        st["quote"] = quote
        if rng.random() < 0.4:
            st["according-to"] = [f"actor-{rng.randrange(actors)}"]
        if rng.random() < 0.3:
            st["hedge"] = rng.sample(HEDGES, rng.randint(1, 2))
        if rng.random() < 0.05:
            st["quantity"] = {"value": rng.randrange(100, 50000), "unit": "personnel", "approximate": True}
        statements.append(st)
    return {"stancegraph": 1, "source": meta, "statements": statements}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", type=int)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    actors, proposals, conditions, outlets = 3000, 400, 300, 40
    out = args.outdir
    (out / "sources").mkdir(parents=True, exist_ok=True)
    dump = dict(allow_unicode=True, sort_keys=False, width=10_000, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper))
    (out / "registry.yaml").write_text(yaml.dump(registry(rng, actors, proposals, conditions, outlets), **dump), "utf-8")
    for i in range(args.sources):
        doc = source(rng, i, actors, proposals, conditions, outlets)
        (out / "sources" / f"source-{i:06d}.yaml").write_text(yaml.dump(doc, **dump), "utf-8")
    print(f"wrote {args.sources} sources and a registry of {actors + outlets} actors, {proposals} proposals, "
          f"{conditions} conditions to {out}")


if __name__ == "__main__":
    main()
