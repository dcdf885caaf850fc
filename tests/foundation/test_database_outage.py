"""PostgreSQL goes away under a running site and comes back: pages answer with the friendly
error page (never a hang or a crash of the server), /healthz names the database, and the same
gunicorn serves normally again once PostgreSQL returns — no restart by hand.

The test runs its own PostgreSQL cluster (initdb into a temporary folder, a free port) and
stops that one; the machine's shared PostgreSQL is never touched."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ..conftest import wait_for

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(PG_BIN is None, reason="PostgreSQL server binaries are not installed"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    """initdb and the server refuse to run as root: run them as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class PrivatePostgres:
    def __init__(self, directory: Path) -> None:
        self.data = directory / "pgdata"
        self.port = _free_port()
        self.log = directory / "postgres.log"

    def init(self) -> None:
        self.data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.data.parent, "postgres")
            shutil.chown(self.data, "postgres")
        self.data.chmod(0o700)
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(self.data),
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "--no-sync",
                ]
            ),  # fmt: skip
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.log),
                    "-o",
                    f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1",
                    "-w",
                    "start",
                ]
            ),  # fmt: skip
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]
            ),  # fmt: skip
            capture_output=True,
        )

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


def _get(port: int, path: str) -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - local
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except (urllib.error.URLError, ConnectionError):
        return 0, ""


@pytest.fixture
def cluster_dir():
    """A folder the postgres user can reach (pytest's tmp_path is private to root)."""
    directory = Path(tempfile.mkdtemp(prefix="citydiplomacy-pg-"))
    directory.chmod(0o755)
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def test_it_serves_an_error_page_while_postgresql_is_down_and_recovers_by_itself(cluster_dir):
    postgres = PrivatePostgres(cluster_dir)
    postgres.init()
    postgres.start()
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL"}}
    env.update(
        DJANGO_ENV="development",
        DEBUG="false",
        SECRET_KEY="database-outage-test-secret-key-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=postgres.url,
        CELERY_BROKER_URL="",
    )
    server = None
    try:
        migrated = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert migrated.returncode == 0, migrated.stderr
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "citydiplomacy.wsgi", "--bind",
             f"127.0.0.1:{port}", "--workers", "1"],  # fmt: skip
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(lambda: _get(port, "/healthz")[0] == 200, timeout=60)
        assert _get(port, "/cities/")[0] == 200

        postgres.stop()
        page, page_body = _get(port, "/cities/")
        health, health_body = _get(port, "/healthz")

        assert page == 500 and "Something went wrong on our side" in page_body
        assert health == 503 and '"database": "error' in health_body
        assert server.poll() is None  # the server itself keeps running

        started = time.monotonic()
        postgres.start()
        wait_for(lambda: _get(port, "/cities/")[0] == 200, timeout=30)
        recovered_after = time.monotonic() - started
        assert _get(port, "/healthz")[0] == 200
        print(f"\n[database outage] pages answered again {recovered_after:.1f} s after restart")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        postgres.stop()
