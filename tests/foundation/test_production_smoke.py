"""The production path as an operator runs it: collectstatic with production settings, gunicorn
with DJANGO_ENV=production against the test database, a real Celery worker and beat; then the
main pages and every static file they reference answer 200 behind the proxy's
X-Forwarded-Proto, with the browser-hardening headers set.

`manage.py check --deploy` passing is not enough: it passed while this build was broken."""

import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from ..conftest import wait_for
from ..partnerships.programmes.factories import ProgrammeFactory

ROOT = Path(__file__).resolve().parents[2]
SECRET = "smoke-test-secret-key-that-is-long-and-random-0123456789-abcdefgh"

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _production_env(static_root: Path, database_name: str) -> dict[str, str]:
    db = settings.DATABASES["default"]
    user = db.get("USER") or ""
    auth = f"{user}:{db.get('PASSWORD') or ''}@" if user else ""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "OUTBOX_TEST_HOLD_FILE"}
    }
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="citydiplomacy.settings",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="localhost,127.0.0.1",
        STATIC_ROOT=str(static_root),
        DATABASE_URL=f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/"
        f"{database_name}",
        CELERY_TASK_DEFAULT_QUEUE=f"smoke-{os.getpid()}",
    )
    return env


class Running:
    """Processes started by the test, stopped (and their logs shown on failure) at the end."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 - the child keeps it
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.log_dir / f"{name}.log").read_text(errors="replace")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"X-Forwarded-Proto": "https", "Host": "localhost"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except (urllib.error.URLError, ConnectionError):  # not listening (yet)
        return 0, {}, b""


@pytest.fixture
def production_site(transactional_db, tmp_path, kafue, recife):
    if connection.vendor != "postgresql":
        pytest.skip("gunicorn and the worker are other processes: they need PostgreSQL")
    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is not set: no broker for the real worker and beat")
    ProgrammeFactory(title="Smoke-test programme")
    static_root = tmp_path / "static"
    env = _production_env(static_root, connection.settings_dict["NAME"])
    env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    env["REDIS_URL"] = settings.CACHES["default"].get("LOCATION", "") or ""

    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert collected.returncode == 0, collected.stdout + collected.stderr
    assert (static_root / "staticfiles.json").exists()  # the manifest every page needs

    port = _free_port()
    running = Running(tmp_path)
    try:
        running.start(
            "gunicorn",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "citydiplomacy.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--access-logfile",
                "-",
            ],  # fmt: skip
            env,
        )
        worker = running.start(
            "worker",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "citydiplomacy",
                "worker",
                "-l",
                "info",
                "-Q",
                env["CELERY_TASK_DEFAULT_QUEUE"],
                "-n",
                f"smoke-{port}@localhost",
                "--concurrency",
                "1",
                "--without-gossip",
                "--without-mingle",
            ],  # fmt: skip
            env,
        )
        beat = running.start(
            "beat",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "citydiplomacy",
                "beat",
                "-l",
                "info",
                "--schedule",
                str(tmp_path / "celerybeat-schedule"),
            ],  # fmt: skip
            env,
        )
        wait_for(lambda: _get(port, "/healthz")[0] == 200, timeout=60)
        wait_for(lambda: "ready" in running.log("worker"), timeout=60)
        wait_for(lambda: "beat: Starting" in running.log("beat"), timeout=60)
        yield {
            "port": port,
            "running": running,
            "worker": worker,
            "beat": beat,
            "queue": env["CELERY_TASK_DEFAULT_QUEUE"],
        }
    except BaseException:
        for name in running.processes:
            print(f"--- {name} log ---\n{running.log(name)[-4000:]}")
        raise
    finally:
        running.stop()


STATIC_REF = re.compile(r'(?:src|href)="(/static/[^"]+)"')


def test_it_serves_the_main_pages_and_their_static_files_in_production(production_site):
    port = production_site["port"]
    pages = [
        "/",
        "/cities/",
        "/cities/?q=kafue",
        "/cities/kafue/",
        "/partnerships/",
        "/programmes/",
    ]

    answers = {}
    static_files = set()
    for path in pages:
        status, headers, body = _get(port, path)
        answers[path] = status
        static_files |= set(STATIC_REF.findall(body.decode()))
        assert "Content-Security-Policy" in headers, path
        assert "Permissions-Policy" in headers, path
        assert headers.get("Strict-Transport-Security"), path
    static_answers = {path: _get(port, path)[0] for path in sorted(static_files)}

    assert answers == dict.fromkeys(pages, 200)
    # Hashed names from the manifest, every one served (WhiteNoise, compressed).
    assert static_files and all(re.search(r"\.[0-9a-f]{12}\.", p) for p in static_files)
    assert static_answers == dict.fromkeys(static_files, 200)


def test_it_redirects_plain_http_to_https_but_answers_healthz(production_site):
    port = production_site["port"]
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/cities/", headers={"Host": "localhost"}
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(request, timeout=30)

    assert redirect.value.code == 301
    assert redirect.value.headers["Location"].startswith("https://")
    assert _get(port, "/healthz")[0] == 200


@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_it_runs_tasks_on_the_real_worker_and_keeps_beat_alive(production_site, kafue):
    from cities.models import City
    from citydiplomacy.celery import app

    City.objects.filter(pk=kafue.pk).update(summary="A river city.", completeness=0)
    app.send_task(
        "cities.tasks.refresh_profile_completeness",
        args=[kafue.pk],
        queue=production_site["queue"],
    )

    wait_for(lambda: City.objects.get(pk=kafue.pk).completeness > 0, timeout=30)
    assert production_site["worker"].poll() is None
    assert production_site["beat"].poll() is None
    assert "Unrecoverable error" not in production_site["running"].log("worker")
