"""Benchmark the partnership registry and the profiles with the world's ~9,000 imported
twinnings, served by gunicorn against PostgreSQL.

    .venv/bin/python benchmarks/registry.py [--requests 300] [--clients 8] [--no-cache]

The same harness as ``benchmarks/directory.py`` (its helpers are reused): the database
``cd_bench_world_web`` (override with BENCH_WORLD_WEB_DATABASE_URL; only ``cd_bench*`` names
are touched) is migrated and ``load_demo`` run on it — idempotent, so a second run only checks
— which imports every GeoNames city, the sample profiles, the Wikidata twinnings and the
Eurocities members. Every worker is warmed up concurrently, then each page gets
``--requests`` requests from ``--clients`` threads. Baseline: ``/healthz`` in the same run.
Target: p95 <= 150 ms, the directory's budget. ``--no-cache`` sets FRAGMENT_CACHE_SECONDS=0,
so the public map data is computed on every request (the worst case: the first visitor of a
minute and query string per worker).
"""

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from directory import ensure_database, fetch, free_port, load, run, start_server  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cd_bench_world_web"
TARGET_P95_MS = 150.0

PAGES = [
    ("baseline: /healthz", "/healthz"),
    ("registry list", "/partnerships/"),
    ("registry, filtered", "/partnerships/?continent=AF&source=imported"),
    ("registry map, all (JSON)", "/partnerships/map.json"),
    ("registry map, DE (JSON)", "/partnerships/map.json?country=DE"),
    ("registry of one city", "/partnerships/?city=dusseldorf"),
    ("profile: Düsseldorf", "/cities/dusseldorf/"),
    ("profile: St Petersburg", "/cities/saint-petersburg/"),
    ("directory: Eurocities", "/cities/?organisation=eurocities"),
]


def prepare(database_url: str, env: dict[str, str]) -> None:
    ensure_database(database_url)
    print("migrating and loading the demo (idempotent)", flush=True)
    run(["migrate", "--noinput", "-v", "0"], env)
    run(["load_demo"], env)
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        partnerships = conn.execute("SELECT count(*) FROM partnerships_partnership").fetchone()[0]
        conn.execute("ANALYZE")
    print(f"{partnerships:,} partnerships in the registry", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--no-cache", action="store_true")
    options = parser.parse_args()

    database_url = os.environ.get("BENCH_WORLD_WEB_DATABASE_URL", DEFAULT_URL)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "CELERY_BROKER_URL": "",
        "DB_CONN_MAX_AGE": "60",
    }
    if options.no_cache:
        env["FRAGMENT_CACHE_SECONDS"] = "0"
    prepare(database_url, env)

    port = free_port()
    server = start_server(env, port, options.workers)
    results = []
    try:
        for _label, path in PAGES:
            status, _size = fetch(port, path)
            if status != 200:
                print(f"{path} answered {status}", file=sys.stderr)
                return 1
            load(port, path, options.warmup * options.workers, options.clients, {})
        for label, path in PAGES:
            results.append((label, path, load(port, path, options.requests, options.clients, {})))
    finally:
        server.terminate()
        server.wait(timeout=30)

    print()
    print(
        f"{options.requests} requests per page, {options.clients} concurrent clients, "
        f"gunicorn {options.workers} sync workers, {os.cpu_count()} CPUs, fragment cache "
        f"{'off' if options.no_cache else 'on'}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    header = f"{'page':<26} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'p95 ×base':>10}  target"
    print(header)
    print("-" * len(header))
    base = results[0][2]
    failed = False
    for label, _path, r in results:
        verdict = "" if r is base else ("met" if r["p95"] <= TARGET_P95_MS else "MISSED")
        print(
            f"{label:<26} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['rps']:>8.1f} "
            f"{r['p95'] / base['p95']:>10.1f}  {verdict}"
        )
        if r["failures"]:
            failed = True
            print(f"  {len(r['failures'])} non-200 answers: {sorted(set(r['failures']))}")
    for label, path, _r in results:
        print(f"  {label}: {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
