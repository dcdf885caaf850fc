"""Benchmark a curator's bulk import: parsing, validating and writing official rows.

    .venv/bin/python benchmarks/curation_import.py [--rows 500 2000 5000]

Uses the PostgreSQL database ``cd_bench_accounts`` (override with BENCH_DATABASE_URL; only
databases whose name starts with ``cd_bench`` are touched), migrates it, and runs every
measurement inside a transaction that is rolled back, so the database stays as it was.

For each size it prints the time to read the CSV (the baseline), to validate every row, and to
write them all (with their history records), rows/s, and each phase's ratio to the reading
baseline. Target: 5,000 rows validated and written in under 60 s on a 2-core machine, well
inside the import task's 10-minute limit. A missed target is reported, not an error.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cd_bench_accounts"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[500, 2000, 5000])
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.rsplit("/", 1)[-1].startswith("cd_bench"):
        print("refusing: the benchmark database name must start with cd_bench", file=sys.stderr)
        return 2
    _ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydiplomacy.settings")
    os.environ.setdefault("DJANGO_ENV", "development")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(
        f"{'rows':>6} {'read s':>8} {'validate s':>11} {'write s':>8} {'rows/s':>8} "
        f"{'validate/read':>14} {'write/read':>11}"
    )
    slowest = 0.0
    for count in args.rows:
        read, validate, write = _measure(count)
        total = read + validate + write
        slowest = max(slowest, total if count >= 5000 else 0)
        print(
            f"{count:>6} {read:>8.3f} {validate:>11.3f} {write:>8.3f} {count / total:>8.0f} "
            f"{validate / read:>14.1f} {write / read:>11.1f}"
        )
    if slowest:
        verdict = "met" if slowest < 60 else "MISSED"
        print(f"target (5,000 rows < 60 s): {verdict} ({slowest:.1f} s)")
    return 0


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[-1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            conn.execute(f'create database "{name}"')


class Rollback(Exception):
    pass


def _measure(count: int) -> tuple[float, float, float]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from cities.curation.importing import read_upload, validate_rows, write_plans
    from cities.models import City, Membership, Organisation

    timings = []
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                name="Benchmark association", slug="bench-association", kind="association"
            )
            cities = [
                City.objects.create(name=f"Bench {n}", slug=f"bench-{n}", country="DE")
                for n in range(50)
            ]
            for city in cities:
                Membership.objects.create(organisation=organisation, city=city)
            lines = ["city,name,role,title,email,phone,contact_visibility"]
            lines += [
                f"bench-{n % 50},Officer {n} (sample),other,Officer,officer{n}@city.example,"
                f"+00 000 {n:04d},members"
                for n in range(count)
            ]
            content = ("\n".join(lines) + "\n").encode()

            started = time.perf_counter()
            rows = read_upload(SimpleUploadedFile("bench.csv", content), kind="officials")
            timings.append(time.perf_counter() - started)

            started = time.perf_counter()
            validation = validate_rows(kind="officials", organisation=organisation, rows=rows)
            timings.append(time.perf_counter() - started)
            assert not validation.errors, validation.errors[:3]

            started = time.perf_counter()
            write_plans(validation.plans)
            timings.append(time.perf_counter() - started)
            raise Rollback
    except Rollback:
        pass
    return timings[0], timings[1], timings[2]


if __name__ == "__main__":
    sys.exit(main())
