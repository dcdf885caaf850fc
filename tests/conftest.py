"""Shared fixtures: named personas for permission tests and the real Celery worker.

Personas (the same everywhere):
- ``visitor``: anonymous; ``member``: signed in, no role;
- ``staff_kafue`` / ``staff_recife``: editors of the cities ``kafue`` / ``recife``;
- ``curator_dst``: curator of the organisation ``dst``, of which ``kafue`` is a member;
- ``admin``: site admin.
"""

import importlib
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection
from django.utils.translation import override
from pytest_django.plugin import blocking_manager_key

from .cities.factories import (
    CityFactory,
    CityStaffFactory,
    CuratorFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parent.parent


def pytest_report_header(config):
    """Say which database the run uses, so a CI log shows it really ran on PostgreSQL."""
    db = settings.DATABASES["default"]
    vendor = connection.vendor
    try:
        if vendor == "postgresql":
            import psycopg

            # pytest-django blocks the ORM here; ask the server directly.
            with psycopg.connect(
                host=db.get("HOST") or None,
                port=db.get("PORT") or None,
                user=db.get("USER") or None,
                password=db.get("PASSWORD") or None,
                dbname=db["NAME"],
                connect_timeout=5,
            ) as conn:
                version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
        else:
            import sqlite3

            version = sqlite3.sqlite_version
    except Exception as exc:  # the header must never stop the run
        version = f"(not reachable: {type(exc).__name__})"
    broker = settings.CELERY_BROKER_URL or "none (tasks run in-process)"
    return [f"database: {vendor} {version}", f"celery broker: {broker.split('@')[-1]}"]


# --- seeded data ---------------------------------------------------------------------------


def _flushes_the_database(item: pytest.Item) -> bool:
    """Whether ``item`` runs on a transactional database, which Django flushes afterwards."""
    fixtures = getattr(item, "fixturenames", ())
    if "transactional_db" in fixtures or "live_server" in fixtures:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    return bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Tests on a transactional database (the real-worker tests among them) end with Django
    flushing every table, which also removes the theme taxonomy (and its translations) the
    data migrations seed. Seed it again once every fixture has been torn down, so the tests
    that follow see the same database as a migrated installation."""
    result = yield
    # After the last test the session's teardown has already dropped the test database.
    if nextitem is not None and _flushes_the_database(item):
        seed = importlib.import_module("cities.migrations.0002_seed_themes").seed
        translate = importlib.import_module(
            "cities.migrations.0009_theme_translations"
        ).fill_translations
        # The live Theme model writes a plain "name" into the active language's column:
        # seed in English, as the migrations do, whatever language the last test left active.
        with item.config.stash[blocking_manager_key].unblock(), override("en"):
            seed(django_apps, None)
            translate(django_apps, None)
    return result


@pytest.fixture(autouse=True)
def _fresh_theme_names():
    """Theme names are kept per process for sentences (``cities.taxonomy.theme_names``); a
    correction made in one test is rolled back, so the next test must not see it kept."""
    from cities.taxonomy import forget_theme_names

    forget_theme_names()


# --- personas ------------------------------------------------------------------------------


@pytest.fixture
def kafue(db):
    return CityFactory(
        name="Kafue",
        ascii_name="Kafue",
        slug="kafue",
        country="ZM",
        continent="AF",
        latitude=-15.77,
        longitude=28.18,
        population=71_000,
    )


@pytest.fixture
def recife(db):
    return CityFactory(
        name="Recife",
        ascii_name="Recife",
        slug="recife",
        country="BR",
        continent="SA",
        latitude=-8.05,
        longitude=-34.88,
        population=1_653_000,
    )


@pytest.fixture
def dst(db, kafue):
    organisation = OrganisationFactory(
        name="Sample Association of Cities", slug="dst", country="DE"
    )
    MembershipFactory(organisation=organisation, city=kafue)
    return organisation


@pytest.fixture
def member(db):
    return UserFactory(username="member")


@pytest.fixture
def staff_kafue(db, kafue):
    return CityStaffFactory(user=UserFactory(username="staff_kafue"), city=kafue).user


@pytest.fixture
def staff_recife(db, recife):
    return CityStaffFactory(user=UserFactory(username="staff_recife"), city=recife).user


@pytest.fixture
def curator_dst(db, dst):
    return CuratorFactory(user=UserFactory(username="curator_dst"), organisation=dst).user


@pytest.fixture
def admin(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


# --- the real Celery worker ----------------------------------------------------------------


def _worker_env(database_name: str, queue: str) -> dict[str, str]:
    env = os.environ.copy()
    env["DJANGO_SETTINGS_MODULE"] = "citydiplomacy.test_settings"
    env["CELERY_TASK_DEFAULT_QUEUE"] = queue
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        user = db.get("USER") or ""
        auth = f"{user}:{db.get('PASSWORD') or ''}@" if user else ""
        port = db.get("PORT") or 5432
        env["DATABASE_URL"] = f"postgres://{auth}{db.get('HOST') or ''}:{port}/{database_name}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{database_name}"
    return env


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real ``celery -A citydiplomacy worker`` against the test database and Redis.

    Each test session gets its own queue name, so concurrent runs never take each other's
    tasks. Skipped (with the reason shown) when no broker is configured.
    """
    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is not set: no real broker for a worker")
    if connection.vendor != "postgresql":
        pytest.skip("the real-worker tests need PostgreSQL (the worker is another process)")
    from citydiplomacy.celery import app

    queue = f"test-{uuid.uuid4().hex[:12]}"
    node = f"{queue}@localhost"
    with django_db_blocker.unblock():
        database_name = connection.settings_dict["NAME"]
    log_path = ROOT / ".pytest_cache" / f"celery-worker-{queue}.log"
    log_path.parent.mkdir(exist_ok=True)
    log = open(log_path, "wb")  # noqa: SIM115 - closed in the finaliser below
    process = subprocess.Popen(
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
            queue,
            "-n",
            node,
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=_worker_env(database_name, queue),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"celery worker exited early; see {log_path}")
            if app.control.ping(destination=[node], timeout=1.0):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"celery worker did not answer a ping; see {log_path}")
        yield {"process": process, "queue": queue, "node": node, "log": log_path}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def celery_worker(celery_worker_process, transactional_db):
    """Tasks enqueued in this test go to the real worker (committed data only)."""
    from citydiplomacy.celery import app

    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = celery_worker_process["queue"]
    try:
        yield celery_worker_process
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.1):
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
