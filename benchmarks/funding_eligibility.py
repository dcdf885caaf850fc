"""Benchmark the pure eligibility engine on the seeded programmes (no database).

    .venv/bin/python benchmarks/funding_eligibility.py [--pairs 10000]

Builds ``--pairs`` random pairs of cities from the reference data's countries, reads the rules
of every programme in ``partnerships/funding/data/programmes.json``, and times: building the
pairs' facts (the baseline), evaluating every programme for every pair, and rendering every
reason as an (untranslated) sentence. Prints verdicts per second and each phase's ratio to the
baseline. What it answers: a page that shows funding for ten suggestions evaluates about a
hundred verdicts, so the engine's share of a page is the time per verdict × 100. No target is
asserted; figures are reported.
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydiplomacy.settings")

SEED = ROOT / "partnerships" / "funding" / "data" / "programmes.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10_000)
    args = parser.parse_args()

    from cities.reference import group_for, known_countries
    from partnerships.funding.eligibility import (
        CityFacts,
        PairFacts,
        PlainVocabulary,
        ProgrammeRules,
        evaluate,
        render,
    )

    rules_fields = set(ProgrammeRules.__dataclass_fields__)
    programmes = []
    for entry in json.loads(SEED.read_text())["programmes"]:
        raw = {k: v for k, v in entry["rules"].items() if k in rules_fields}
        for key in ("applicant_groups", "partner_groups", "required_partnership_kinds"):
            raw[key] = tuple(raw.get(key, ()))
        raw["other_conditions"] = entry.get("other_conditions", "")
        programmes.append(ProgrammeRules(**raw))
    tokens = {t for p in programmes for t in (*p.applicant_groups, *p.partner_groups)}
    groups = {t: g for t in tokens if (g := group_for(t)) is not None}
    countries = sorted(known_countries())
    rng = random.Random(42)

    start = time.perf_counter()
    pairs = [
        PairFacts(
            CityFacts(2 * i, f"City {2 * i}", rng.choice(countries), rng.randint(10**4, 10**7)),
            CityFacts(2 * i + 1, f"City {2 * i + 1}", rng.choice(countries), None),
            frozenset(rng.sample(["twinning", "climate", "friendship"], rng.randint(0, 1))),
        )
        for i in range(args.pairs)
    ]
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    verdicts = [evaluate(pair, rules, groups) for pair in pairs for rules in programmes]
    evaluating = time.perf_counter() - start

    vocabulary = PlainVocabulary()
    start = time.perf_counter()
    sentences = sum(len([render(r, vocabulary) for r in v.reasons]) for v in verdicts)
    rendering = time.perf_counter() - start

    count = len(verdicts)
    statuses = {
        s: sum(v.status == s for v in verdicts) for s in ("eligible", "unknown", "not_eligible")
    }
    print(
        f"{args.pairs:,} pairs × {len(programmes)} programmes = {count:,} verdicts, "
        f"{sentences:,} sentences"
    )
    print(f"verdicts: {statuses}")
    print(f"building the pairs (baseline): {baseline * 1000:8.1f} ms")
    print(
        f"evaluating:                    {evaluating * 1000:8.1f} ms  "
        f"{count / evaluating:10,.0f} verdicts/s  ×{evaluating / baseline:.1f} baseline"
    )
    print(
        f"rendering reasons:             {rendering * 1000:8.1f} ms  "
        f"{sentences / rendering:10,.0f} sentences/s  ×{rendering / baseline:.1f} baseline"
    )
    per_page = (evaluating + rendering) / count * 100
    print(f"engine time for a page of ~100 verdicts: {per_page * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
