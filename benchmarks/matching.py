"""Benchmark partner matching over every city, on its own PostgreSQL database.

    .venv/bin/python benchmarks/matching.py [--queries 100] [--loop-queries 3] [--no-store]

Builds (or reuses) the database ``cd_bench_match`` (override with BENCH_DATABASE_URL): all
GeoNames cities via ``import_cities``, their ERA5 normals, and SYNTHETIC challenge profiles
for every city from ``benchmarks/synthetic_profiles.py`` (seeded; refuses any database whose
name does not start with ``cd_bench``). Then, in one run, it reports:

1. top-10 for one city on the fly, as the matches page computes it (service call: feature
   snapshot check, partners, scoring, reasons, city rows): p50/p95 over ``--queries`` random
   cities, and the core alone (target p95 <= 50 ms);
2. top-50 for every city in bulk, in chunks of 256 rows: scoring + selection wall time
   (target <= 60 s) and peak memory (tracemalloc peak of the run's allocations and the
   process's ru_maxrss; target <= 2 GB), then the full stored recompute (reasons + COPY into
   MatchSuggestion) unless ``--no-store``;
3. the same scoring as a plain per-pair Python loop for ``--loop-queries`` query cities
   against every city, extrapolated to all pairs, printed as a speed ratio, and the largest
   difference between the loop's and the vectorised scores on that subsample.
"""

import argparse
import math
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cd_bench_match"


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)  # local-memory cache: the benchmark owns its process
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydiplomacy.settings")
    os.environ.setdefault("DJANGO_ENV", "development")
    import logging

    logging.disable(logging.WARNING)
    import django

    django.setup()


def ensure_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    if not name.startswith("cd_bench"):
        raise SystemExit(f"the benchmark database's name must start with cd_bench (got {name})")
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def build(seed: int, regenerate: bool) -> None:
    from django.core.management import call_command

    from benchmarks import synthetic_profiles
    from cities.climate.services import climate_assign_missing
    from cities.models import City, CityClimate

    call_command("migrate", verbosity=0, skip_checks=True)
    if City.objects.count() < 30_000:
        began = time.perf_counter()
        call_command("import_cities", verbosity=0, skip_checks=True)
        print(f"imported {City.objects.count()} cities in {time.perf_counter() - began:.0f} s")
    if CityClimate.objects.count() < City.objects.exclude(latitude=None).count():
        began = time.perf_counter()
        result = climate_assign_missing()
        print(
            f"assigned climate to {result.assigned} cities in {time.perf_counter() - began:.0f} s"
        )
    if regenerate or not synthetic_profiles.profiles_present(seed):
        synthetic_profiles.generate(seed=seed)


def percentiles(values: list[float]) -> str:
    ms = np.array(values) * 1000
    return f"p50 {np.percentile(ms, 50):6.1f} ms  p95 {np.percentile(ms, 95):6.1f} ms"


# --- the plain per-pair loop ---------------------------------------------------------------


def loop_scores(prep, a: int, weights: dict[str, float]) -> list[float]:
    """The core's formulas, one pair at a time in plain Python (no numpy in the loop)."""
    from partnerships.matching import core

    f = prep.features
    eff, rarity = prep.eff_priority.tolist(), prep.rarity.tolist()
    seek, offer = prep.seek_eff.tolist(), prep.offer_eff.tolist()
    zp, zf = f.climate_present.tolist(), f.climate_future.tolist()
    has_climate = f.has_climate.tolist()
    log_pop, known = prep.log_pop.tolist(), prep.pop_known.tolist()
    languages, kinds, open_flags = f.languages.tolist(), f.kinds.tolist(), f.open.tolist()
    limit2 = f.good_twin_distance**2
    n_themes = len(rarity)
    scores = []
    for b in range(f.n_cities):
        raw = 0.0
        learn = teach = 0.0
        for t in range(n_themes):
            raw += rarity[t] * math.sqrt(eff[a][t] * eff[b][t])
            learn += seek[a][t] * offer[b][t]
            teach += offer[a][t] * seek[b][t]
        shared = 1 - math.exp(-raw / core.SHARED_SCALE)
        lv = 1 - math.exp(-learn / core.EXPERTISE_SCALE)
        tv = 1 - math.exp(-teach / core.EXPERTISE_SCALE)
        expertise = core.MUTUAL_PRIMARY * max(lv, tv) + core.MUTUAL_SECONDARY * min(lv, tv)
        climate = 0.0
        if has_climate[a] and has_climate[b]:
            d_now = sum((x - y) ** 2 for x, y in zip(zp[a], zp[b], strict=True))
            d_a = sum((x - y) ** 2 for x, y in zip(zf[a], zp[b], strict=True))
            d_b = sum((x - y) ** 2 for x, y in zip(zf[b], zp[a], strict=True))
            present = 2 ** (-d_now / limit2)
            twin = max(2 ** (-d_a / limit2), 2 ** (-d_b / limit2))
            climate = core.CLIMATE_PRESENT_SHARE * present + core.CLIMATE_TWIN_SHARE * twin
        context = 0.0
        if known[a] and known[b]:
            ratio = abs(log_pop[a] - log_pop[b]) / core.POPULATION_ZERO_LOG_RATIO
            context += core.CONTEXT_SHARES["population"] * min(1.0, max(0.0, 1 - ratio))
        if any(x and y for x, y in zip(languages[a], languages[b], strict=True)):
            context += core.CONTEXT_SHARES["languages"]
        if any(x and y for x, y in zip(kinds[a], kinds[b], strict=True)):
            context += core.CONTEXT_SHARES["kinds"]
        context += core.CONTEXT_SHARES["open"] * 0.5 * (open_flags[a] + open_flags[b])
        total = (
            weights["shared"] * shared
            + weights["expertise"] * expertise
            + weights["climate"] * climate
            + weights["context"] * context
        )
        scores.append(min(1.0, max(0.0, total)))
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--loop-queries", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--regenerate", action="store_true", help="new synthetic profiles")
    parser.add_argument("--no-store", action="store_true", help="skip the stored recompute")
    parser.add_argument("--workers", type=int, default=2, help="scoring threads (default 2)")
    args = parser.parse_args()

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    ensure_database(database_url)
    setup_django(database_url)
    build(args.seed, args.regenerate)

    from cities.models import City
    from partnerships.matching import adapter, core, services

    rng = np.random.default_rng(args.seed)
    weights = core.normalise_weights(None)
    print(f"\nmatching benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")

    began = time.perf_counter()
    snapshot = adapter.get_snapshot(force=True)
    load_seconds = time.perf_counter() - began
    prep = snapshot.prepared
    n = prep.features.n_cities
    query_rows = snapshot.query_rows()
    print(
        f"cities: {n} ({int(snapshot.published.sum())} published, {int(prep.has_profile.sum())} "
        f"with a synthetic profile, {int(prep.features.has_climate.sum())} with climate); "
        f"themes: {prep.features.priority.shape[1]}"
    )
    print(f"feature snapshot load (cold, once per process and data change): {load_seconds:.2f} s")

    # 1. On the fly.
    sample = rng.choice(query_rows, size=min(args.queries, len(query_rows)), replace=False)
    ids = [int(snapshot.city_ids[r]) for r in sample]
    cities = City.objects.in_bulk(ids)
    service_times, core_times = [], []
    cpu_began = time.process_time()
    for city_id, row in zip(ids, sample, strict=True):
        began = time.perf_counter()
        services.suggestions_for_city(cities[city_id], top=10)
        service_times.append(time.perf_counter() - began)
        began = time.perf_counter()
        with services.single_threaded_blas():
            core.rank_for_city(prep, int(row), weights, top=10, allowed=snapshot.published)
        core_times.append(time.perf_counter() - began)
    cpu_per_query = (time.process_time() - cpu_began) / len(ids) * 1000
    print(f"\n1. top-10 on the fly over {n} cities, {len(ids)} queries")
    print(f"   service (as the page): {percentiles(service_times)}   (target p95 <= 50 ms)")
    print(f"   core alone:            {percentiles(core_times)}")
    print(f"   CPU time per service + core query pair: {cpu_per_query:.1f} ms")

    # 2. Bulk top-50 for every city with a profile.
    rows_all = query_rows
    tracemalloc.start()
    began, cpu_began = time.perf_counter(), time.process_time()
    picked_total = 0
    blas = services.single_threaded_blas()
    blas.__enter__()
    for _rows, picked in core.bulk_top_k(
        prep,
        rows_all,
        weights,
        allowed=snapshot.published,
        k=50,
        chunk_rows=services.BULK_CHUNK_ROWS,
        workers=args.workers,
    ):
        picked_total += sum(len(p) for p in picked)
    blas.__exit__(None, None, None)
    bulk_seconds = time.perf_counter() - began
    bulk_cpu = time.process_time() - cpu_began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n2. top-50 for all {len(rows_all)} query cities ({picked_total} suggestions)")
    print(
        f"   scoring + selection: {bulk_seconds:.1f} s wall, {bulk_cpu:.1f} s CPU "
        f"({args.workers} threads, chunks of {services.BULK_CHUNK_ROWS})   (target <= 60 s)"
    )
    print(
        f"   peak memory: {peak / 2**20:.0f} MB allocated during the run (tracemalloc), "
        f"{rss_mb:.0f} MB process max RSS   (target <= 2 GB)"
    )
    if not args.no_store:
        began = time.perf_counter()
        stats = services.matches_recompute_all(workers=args.workers)
        total = time.perf_counter() - began
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"   full stored recompute (recompute_matches): {total:.1f} s for {stats.rows} rows "
            f"— scoring {stats.seconds_scoring:.1f} s, reasons {stats.seconds_explaining:.1f} s, "
            f"COPY {stats.seconds_storing:.1f} s; max RSS now {rss_mb:.0f} MB"
        )

    # 3. The plain loop on a subsample, extrapolated.
    loop_rows = rng.choice(query_rows, size=args.loop_queries, replace=False)
    began = time.perf_counter()
    loop_results = [loop_scores(prep, int(r), weights) for r in loop_rows]
    loop_seconds = time.perf_counter() - began
    per_pair = loop_seconds / (len(loop_rows) * n)
    extrapolated = per_pair * len(rows_all) * n
    vectorised = core.score_rows(prep, loop_rows, weights)
    diff = float(np.max(np.abs(vectorised - np.array(loop_results))))
    print(f"\n3. plain per-pair Python loop: {len(loop_rows)} x {n} pairs in {loop_seconds:.1f} s")
    print(
        f"   {per_pair * 1e6:.1f} µs per pair -> {extrapolated / 3600:.1f} h for all "
        f"{len(rows_all)} x {n} pairs; vectorised {bulk_seconds:.1f} s: "
        f"{extrapolated / bulk_seconds:,.0f}x faster"
    )
    print(f"   largest |loop - vectorised| score difference on the subsample: {diff:.2e}")


if __name__ == "__main__":
    main()
