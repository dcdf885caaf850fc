"""Benchmark storing match reasons as data and wording them when shown (no database).

    .venv/bin/python benchmarks/match_reasons.py [--reasons 500000]

Stored suggestions keep their reasons as plain data (``partnerships.matching.reasons``) and word
them in the reader's language when a page or an e-mail shows them. This measures, on
``--reasons`` synthetic reasons with the mix of codes the core produces:

- the baseline: wording every reason as an English sentence at storing time, as the stored
  recompute did before (``render`` with gettext memoised as it was, English active);
- storing as data instead (``reason_data``), and the JSON bytes per reason either way;
- wording at display time in German: per reason, and for the profile section (five
  suggestions' first reasons) and a weekly digest (five suggestions with all their reasons).

Prints times, rates and the ratio of each phase to the baseline. No target is asserted.
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

# Shares of codes among stored reasons (the core's mix on synthetic profiles, rounded).
MIX = {
    "shared_same": 0.14,
    "shared": 0.10,
    "shared_field": 0.06,
    "they_offer": 0.10,
    "you_offer": 0.10,
    "mutual": 0.04,
    "present": 0.12,
    "twin_a_future": 0.06,
    "twin_b_future": 0.04,
    "population": 0.10,
    "languages": 0.04,
    "kinds": 0.04,
    "both_open": 0.06,
}


def synthetic(count: int, themes: int, rng: random.Random) -> list:
    from partnerships.matching.core import Reason

    codes = list(MIX)
    weights = [MIX[c] for c in codes]
    found = []
    for code in rng.choices(codes, weights, k=count):
        params: dict = {}
        if code.startswith("shared") or code.endswith("_offer"):
            params["theme"] = rng.randrange(themes)
            params["priority_a"] = rng.choice(["high", "medium", "low"])
            params["priority_b"] = rng.choice(["high", "medium", "low", "related"])
            params["evidence"] = rng.choice(["stated", "initiative", "related"])
        if code in {"present", "twin_a_future", "twin_b_future"}:
            params.update(distance=rng.random(), good=rng.random() < 0.5)
        if code == "population":
            params["ratio"] = 1 + 9 * rng.random()
        if code == "languages":
            params["languages"] = [0, 1]
        if code == "kinds":
            params["kinds"] = [rng.randrange(6)]
        found.append(Reason("x", code, rng.random(), params))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reasons", type=int, default=500_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.utils.translation import override

    from cities.choices import PartnershipKind
    from partnerships.matching.reasons import reason_data, render

    themes = 35
    theme_ids = list(range(100, 100 + themes))
    english = {pk: f"Theme number {pk}" for pk in theme_ids}
    german = {pk: f"Thema Nummer {pk}" for pk in theme_ids}
    codes = {
        "theme_ids": theme_ids,
        "language_codes": ["de", "en"],
        "kind_codes": list(PartnershipKind.values),
        "warming_key": "ssp245-2085",
    }
    found = synthetic(args.reasons, themes, random.Random(42))

    start = time.perf_counter()
    data = [reason_data(r, **codes) for r in found]
    storing = time.perf_counter() - start

    # The baseline words the same reasons in English, as storing did before: with gettext
    # memoised, as the old recompute did (the conversion to data is left out of it).
    from partnerships.matching import reasons as module

    plain_gettext = module._
    answers: dict[str, str] = {}

    def memoised(message: str) -> str:
        if message not in answers:
            answers[message] = plain_gettext(message)
        return answers[message]

    module._ = memoised
    with override("en"):
        render(data[0], city_name="A", other_name="B", names=english)
        start = time.perf_counter()
        sentences = [
            render(d, city_name="Düsseldorf", other_name="Toulouse", names=english) for d in data
        ]
        baseline = time.perf_counter() - start
    module._ = plain_gettext

    words_bytes = sum(len(json.dumps(s, ensure_ascii=False).encode()) for s in sentences)
    data_bytes = sum(len(json.dumps(d, separators=(", ", ": ")).encode()) for d in data)

    with override("de"):
        render(data[0], city_name="A", other_name="B", names=german)
        start = time.perf_counter()
        for d in data:
            render(d, city_name="Düsseldorf", other_name="Toulouse", names=german)
        display = time.perf_counter() - start
    per_reason = display / len(data)

    n = len(found)
    print(f"{n:,} reasons")
    print(f"baseline, words at storing time:  {baseline:7.2f} s  {n / baseline:10,.0f} reasons/s")
    print(
        f"data at storing time:             {storing:7.2f} s  {n / storing:10,.0f} reasons/s  "
        f"×{storing / baseline:.2f} baseline"
    )
    print(
        f"JSON per reason:                  words {words_bytes / n:5.1f} B, "
        f"data {data_bytes / n:5.1f} B (×{data_bytes / words_bytes:.2f})"
    )
    print(
        f"wording when shown (German):      {per_reason * 1e6:7.1f} µs a reason  "
        f"×{per_reason / (baseline / n):.2f} baseline"
    )
    print(f"  profile section (5 reasons):    {5 * per_reason * 1e3:7.3f} ms")
    print(f"  weekly digest (5 × 10 reasons): {50 * per_reason * 1e3:7.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
