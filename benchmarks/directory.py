"""Benchmark the directory pages served by gunicorn against PostgreSQL with every city.

    .venv/bin/python benchmarks/directory.py [--requests 300] [--clients 8] [--workers 3]

Builds (or reuses) the database ``cd_bench_dir`` (override with BENCH_DATABASE_URL; only
databases whose name starts with ``cd_bench`` are touched): migrations, then ``load_demo``
(all GeoNames cities, climate, the sample profiles and the other areas' sample data) — or
``import_cities`` alone where no demo loader exists. Then it starts gunicorn (sync workers,
DEBUG off, no request logging) on a free local port and, in one run, sends ``--requests``
requests per page from ``--clients`` concurrent clients (threads, one connection per request,
as a browser without keep-alive would) to:

- ``/healthz``, the baseline: a request through the same stack that does almost nothing;
- ``/cities/`` (all ~34,000 cities, largest first, counted and paginated);
- a text search (``/cities/?q=dusseldorf``);
- a typo search (``/cities/?q=dusseldrof``, trigram similarity);
- a combined filter (continent + population band + sort by name);
- a theme/stance filter over the sample profiles;
- a profile page (``/cities/dusseldorf/``, a sample profile with officials, challenges and
  initiatives);
- the map points of a country (JSON);
- the results fragment an HTMX filter change fetches (``HX-Request: true``).

It prints p50/p95 latency and requests/s per page and each page's ratio to the baseline.
Target: p95 <= 150 ms for every directory page on a 2-core machine. A missed target is
reported, not an error: the script exits non-zero only when something fails (setup, a
non-200 answer, a server that does not start).
"""

import argparse
import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cd_bench_dir"
TARGET_P95_MS = 150.0

PAGES = [
    ("baseline: /healthz", "/healthz"),
    ("directory: /cities/", "/cities/"),
    ("text search", "/cities/?q=dusseldorf"),
    ("typo search", "/cities/?q=dusseldrof"),
    ("combined filter", "/cities/?continent=EU&population=250k-1m&sort=name&page=2"),
    ("theme + stance filter", "/cities/?theme=climate-adaptation&stance=seeks&open=on"),
    ("profile page", "/cities/dusseldorf/"),
    ("map points (JSON)", "/cities/map.json?country=DE"),
    # What a filter change fetches with JavaScript on: the results fragment only.
    ("HTMX fragment: /cities/", "/cities/?continent=EU&population=250k-1m", {"HX-Request": "true"}),
]


def run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def ensure_database(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name.startswith("cd_bench"):
        raise SystemExit(f"refusing to use {name!r}: benchmark databases are named cd_bench*")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def city_count(database_url: str) -> tuple[int, int]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        cities = conn.execute("SELECT count(*) FROM cities_city").fetchone()[0]
        samples = conn.execute("SELECT count(*) FROM cities_city WHERE is_sample").fetchone()[0]
    return cities, samples


def prepare(database_url: str, env: dict[str, str]) -> None:
    ensure_database(database_url)
    print(f"database: {urlsplit(database_url).path.lstrip('/')} — migrating", flush=True)
    run(["migrate", "--noinput", "-v", "0"], env)
    cities, samples = city_count(database_url)
    if cities < 30_000 or samples == 0:
        has_demo = (ROOT / "citydiplomacy/management/commands/load_demo.py").exists()
        command = "load_demo" if has_demo else "import_cities"
        print(f"{cities} cities, {samples} sample profiles — running {command}", flush=True)
        run([command], env)
        cities, samples = city_count(database_url)
    print(f"{cities:,} cities, {samples} sample profiles", flush=True)
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("ANALYZE")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "citydiplomacy.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            status, _ = fetch(port, "/healthz")
            if status in (200, 503):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def fetch(port: int, path: str, headers: dict | None = None) -> tuple[int, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept-Language": "en", **(headers or {})})
        response = conn.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        conn.close()


def load(port: int, path: str, requests: int, clients: int, headers: dict) -> dict:
    """``requests`` GETs of ``path`` from ``clients`` threads; latencies in ms."""
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    remaining = iter(range(requests))

    def client() -> None:
        while True:
            with lock:
                if next(remaining, None) is None:
                    return
            started = time.perf_counter()
            status, _size = fetch(port, path, headers)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    failures.append(status)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "p50": statistics.median(latencies),
        "p95": latencies[max(0, int(round(0.95 * len(latencies))) - 1)],
        "rps": len(latencies) / wall,
        "failures": failures,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per page")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument(
        "--warmup", type=int, default=20, help="unmeasured requests per page and worker"
    )
    options = parser.parse_args()

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        # No broker: reads enqueue nothing; keep the benchmark independent of Redis state.
        "CELERY_BROKER_URL": "",
        "DB_CONN_MAX_AGE": "60",
    }
    prepare(database_url, env)

    port = free_port()
    server = start_server(env, port, options.workers)
    try:
        for _label, path, *extra in PAGES:
            headers = extra[0] if extra else {}
            status, _size = fetch(port, path, headers)
            if status != 200:
                print(f"{path} answered {status}", file=sys.stderr)
                return 1
            # Concurrently, so that every gunicorn worker - not just the first to accept -
            # has loaded its per-process data (climate arrays, translations) before measuring.
            load(port, path, options.warmup * options.workers, options.clients, headers)
        results = []
        for label, path, *extra in PAGES:
            headers = extra[0] if extra else {}
            measured = load(port, path, options.requests, options.clients, headers)
            results.append((label, path, measured))
    finally:
        server.terminate()
        server.wait(timeout=30)

    cpus = os.cpu_count()
    print()
    print(
        f"{options.requests} requests per page, {options.clients} concurrent clients, "
        f"gunicorn {options.workers} sync workers, {cpus} CPUs, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    header = (
        f"{'page':<24} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} "
        f"{'p50 ×base':>10} {'p95 ×base':>10}  target"
    )
    print(header)
    print("-" * len(header))
    base = results[0][2]
    failed = False
    for label, _path, r in results:
        is_base = r is base
        verdict = "" if is_base else ("ok" if r["p95"] <= TARGET_P95_MS else "MISSED")
        print(
            f"{label:<24} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['rps']:>8.1f} "
            f"{r['p50'] / base['p50']:>10.1f} {r['p95'] / base['p95']:>10.1f}  {verdict}"
        )
        if r["failures"]:
            failed = True
            print(f"  {len(r['failures'])} non-200 answers: {sorted(set(r['failures']))}")
    print(f"\nTarget: p95 <= {TARGET_P95_MS:.0f} ms for every directory page.")
    for label, path, _r in results:
        print(f"  {label}: {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
