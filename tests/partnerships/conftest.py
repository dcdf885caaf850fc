"""Fixtures for the partnership request, registry and notification tests.

``request_worker`` is a function-scoped real Celery worker of the test's own (solo pool, own
queue), which a fault test can SIGKILL and restart. It records every e-mail it sends in a file
(tests/partnerships/mailbox.py) and honours the send-hold test hook. It reuses the session
worker's environment helper, so it talks to the same test database and broker."""

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from ..conftest import ROOT, _worker_env
from .mailbox import read_mailbox


@pytest.fixture(autouse=True)
def _skip_postgres_only_on_sqlite(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (concurrent connections, row locks or a worker process)")


class RequestWorker:
    """Start, SIGKILL and restart one ``celery -A citydiplomacy worker`` process."""

    def __init__(self, *, database_name: str, tmp_path: Path, lease_seconds: int) -> None:
        self.queue = f"test-req-{uuid.uuid4().hex[:10]}"
        self.node = f"{self.queue}@localhost"
        self.mailbox = tmp_path / "mailbox.jsonl"
        self.hold_file = tmp_path / "hold-send"
        self.log_path = ROOT / ".pytest_cache" / f"celery-worker-{self.queue}.log"
        self.env = _worker_env(database_name, self.queue)
        self.env.update(
            OUTBOX_EMAIL_BACKEND="tests.partnerships.mailbox.FileMailboxBackend",
            TEST_MAILBOX_FILE=str(self.mailbox),
            OUTBOX_TEST_HOLD_FILE=str(self.hold_file),
            OUTBOX_LEASE_SECONDS=str(lease_seconds),
        )
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        from citydiplomacy.celery import app

        self.log_path.parent.mkdir(exist_ok=True)
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child keeps its own handle
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "citydiplomacy",
                "worker",
                "-l",
                "info",
                "-P",
                "solo",
                "-Q",
                self.queue,
                "-n",
                self.node,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL reaches everything
        )
        log.close()
        self.starts += 1
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[self.node], timeout=1.0):
            if self.process.poll() is not None:
                raise RuntimeError(f"celery worker exited early; see {self.log_path}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"celery worker did not answer a ping; see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL, as a crashed machine would: no cleanup, no acknowledgement."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def mails(self) -> list[dict]:
        return read_mailbox(self.mailbox)

    def hold_sends(self) -> None:
        self.hold_file.write_text("held")

    def release_sends(self) -> None:
        self.hold_file.unlink(missing_ok=True)


@pytest.fixture
def request_worker(transactional_db, tmp_path, django_db_blocker):
    """A real worker of this test's own (see the module docstring); tasks enqueued in the test
    go to its queue. Skipped without a broker or on SQLite."""
    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is not set: no real broker for a worker")
    if connection.vendor != "postgresql":
        pytest.skip("the real-worker tests need PostgreSQL (the worker is another process)")
    from citydiplomacy.celery import app

    worker = RequestWorker(
        database_name=connection.settings_dict["NAME"], tmp_path=tmp_path, lease_seconds=3
    )
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = worker.queue
    worker.start()
    try:
        yield worker
    finally:
        worker.release_sends()
        worker.stop()
        app.conf.task_always_eager, app.conf.task_default_queue = previous


@contextmanager
def broker_unreachable():
    """Point this process's Celery app at a closed port (as if the broker were down)."""
    from citydiplomacy import celery as celery_module
    from citydiplomacy.celery import app

    def reset_pools():
        app._pool = None
        app.amqp._producer_pool = None
        # Forget the failure, as the next enqueue after the broker's return would.
        celery_module._broker_down_until = 0.0

    saved = app.conf.broker_write_url
    app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    reset_pools()
    try:
        yield
    finally:
        app.conf.broker_write_url = saved
        reset_pools()
