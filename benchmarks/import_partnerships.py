"""Benchmark ``import_partnerships``: all Wikidata twinnings into the registry.

    .venv/bin/python benchmarks/import_partnerships.py [--no-postgres] [--no-sqlite]

Setup (not timed): a fresh database — PostgreSQL ``cd_bench_world`` (dropped and created
again; override with BENCH_WORLD_DATABASE_URL, only names starting with ``cd_bench`` are
touched) and a temporary SQLite file — migrated, with every GeoNames city (``import_cities``).

Timed, in one process per database, in this order:

- the baseline: reading and checking the committed derived file and reading every city's
  Q-id — what an import pays before it decides anything;
- assigning the cities' Wikidata Q-ids (first run);
- the import into an empty registry (all pairs), then again with nothing changed;
- the import after reviewers confirmed 10 % and rejected 2 % of the rows, with 5 % of the
  pairs gone from the source and a new snapshot date on all others (every unreviewed row
  updated, the vanished ones flagged);
- a per-row loop (``full_clean`` + ``save`` per partnership, as a service writing one row
  would) on 300 rows, rolled back, extrapolated to all pairs: what the bulk path saves.

Target: the whole import of all pairs under 60 s on this 2-core machine. Prints wall and CPU
time per step and ratios; exits non-zero only when a step fails.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_cities import PYTHON, ROOT, environment, fresh_postgres, run  # noqa: E402

DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/cd_bench_world"
TARGET_SECONDS = 60.0

MEASURE = r"""
import random, resource, time
import django
django.setup()
from django.db import transaction
from cities.importers.wikidata import read_links
from cities.importers.wikidata_load import city_wikidata_ids_assign
from cities.models import City
from partnerships.imports import partnerships_import, _cities_by_qid
from partnerships.models import Partnership

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

def timed(label, fn):
    wall, c = time.perf_counter(), cpu()
    value = fn()
    wall, c = time.perf_counter() - wall, cpu() - c
    print(f"{LABEL:<11} {label:<58} wall {wall:6.2f} s  cpu {c:6.2f} s", flush=True)
    return value, wall

def baseline():
    links = read_links()
    cities = _cities_by_qid()
    return links, cities

City.objects.update(wikidata_id="")  # import_cities (setup) assigned them already
(links, _), base = timed("baseline: read the derived file + every city's Q-id", baseline)
ids, _ = timed("assign Wikidata Q-ids to cities", lambda: city_wikidata_ids_assign(links=links))
print(f"{'':<11} {ids.assigned} Q-ids assigned", flush=True)
first, first_wall = timed("import, empty registry", lambda: partnerships_import(links=links))
print(f"{'':<11} {first.summary()}", flush=True)
print(f"{'':<11} import / baseline: {first_wall / base:.1f}x; target {TARGET:.0f} s: "
      f"{'met' if first_wall < TARGET else 'MISSED'}", flush=True)
again, _ = timed("import again, nothing changed", lambda: partnerships_import(links=links))
print(f"{'':<11} {again.summary()}", flush=True)

rng = random.Random(20261129)
ids_all = list(Partnership.objects.imported().values_list("pk", flat=True))
rng.shuffle(ids_all)
n = len(ids_all)
Partnership.objects.filter(pk__in=ids_all[: n // 10]).update(confirmation="city", status="active")
Partnership.objects.filter(pk__in=ids_all[n // 10 : n // 10 + n // 50]).update(
    confirmation="rejected"
)
from dataclasses import replace
kept = list(links.twinnings)
rng.shuffle(kept)
kept = [replace(t, as_of="2026-10") for t in kept[: int(len(kept) * 0.95)]]
changed = replace(links, twinnings=tuple(kept))
third, _ = timed("import, 12 % reviewed, 5 % gone upstream, new snapshot",
                 lambda: partnerships_import(links=changed))
print(f"{'':<11} {third.summary()}", flush=True)

# Per-row baseline: full_clean + save, one partnership at a time, rolled back.
cities = list(City.objects.exclude(wikidata_id="").order_by("pk").values_list("pk", flat=True))
sample = 300
def per_row():
    with transaction.atomic():
        made = 0
        for i in range(len(cities) - 1):
            a, b = cities[i], cities[-1 - i]
            if a >= b:
                break
            if Partnership.objects.filter(city_a_id=a, city_b_id=b).exists():
                continue
            p = Partnership(city_a_id=a, city_b_id=b, kind="project", status="unknown",
                            source="imported", confirmation="unconfirmed")
            p.full_clean()
            p.save()
            made += 1
            if made == sample:
                break
        transaction.set_rollback(True)
    return made
made, loop_wall = timed(f"per-row loop (full_clean + save), {sample} rows, rolled back", per_row)
per_pair = loop_wall / max(made, 1)
extrapolated = per_pair * first.created
print(f"{'':<11} {per_pair * 1000:.2f} ms/row -> {extrapolated:.0f} s for {first.created} rows; "
      f"bulk import is {extrapolated / first_wall:.1f}x faster", flush=True)
"""


def measure(label: str, url: str) -> None:
    env = environment(url)
    run(["manage.py", "migrate", "--noinput", "-v0"], env)
    run(["manage.py", "import_cities"], env)
    script = f"LABEL = {label!r}\nTARGET = {TARGET_SECONDS}\n" + MEASURE
    done = subprocess.run([PYTHON, "-c", script], cwd=ROOT, env=env, text=True)
    if done.returncode:
        raise SystemExit(f"failed on {label}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.no_postgres:
        url = os.environ.get("BENCH_WORLD_DATABASE_URL", DEFAULT_PG_URL)
        fresh_postgres(url)
        measure("PostgreSQL", url)
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory(prefix="cd-bench-world-") as scratch:
            measure("SQLite", f"sqlite:///{scratch}/world.sqlite3")
    return 0


if __name__ == "__main__":
    sys.exit(main())
