"""Redis goes away under a running site (it will): pages keep answering from the database,
committed writes never turn into error pages, no e-mail is lost, and a running worker comes
back by itself when Redis returns.

Each test starts a private Redis on a free port and stops it; the shared Redis of the machine
is never touched."""

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.cache import caches
from django.urls import reverse

from cities.models import CityStaff, Invitation, JoinRequest, OutboxEmail, OutboxStatus
from cities.notifications import outbox

from ..cities.factories import CityStaffFactory, UserFactory
from ..cities.test_edit import PROFILE
from ..conftest import wait_for
from ..partnerships.conftest import RequestWorker

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed")


class PrivateRedis:
    """One redis-server of this test's own, stopped and started at will (nothing on disk)."""

    def __init__(self, directory: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def private_redis(tmp_path):
    redis = PrivateRedis(tmp_path)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


@contextmanager
def app_on_broker(url: str):
    """Point this process's Celery app (publishing and control) at ``url``."""
    from citydiplomacy import celery as celery_module
    from citydiplomacy.celery import app

    def reset() -> None:
        app._pool = None
        app.amqp._producer_pool = None
        celery_module._broker_down_until = 0.0
        celery_module._broker_failing = False

    saved = {key: app.conf[key] for key in ("broker_url", "broker_read_url", "broker_write_url")}
    app.conf.update(broker_url=url, broker_read_url=url, broker_write_url=url)
    reset()
    try:
        yield
    finally:
        app.conf.update(saved)
        reset()


# --- pages with the cache down -------------------------------------------------------------


@pytest.fixture
def cache_on(private_redis, settings):
    """The site's cache on the private Redis, fragments cached as in production."""
    settings.CACHES = {
        "default": {
            "BACKEND": "citydiplomacy.cache.ResilientRedisCache",
            "LOCATION": private_redis.url(0),
            "OPTIONS": {"RETRY_AFTER": 5},
        }
    }
    settings.FRAGMENT_CACHE_SECONDS = 60
    caches["default"].clear()
    return private_redis


PUBLIC_PAGES = [
    ("directory", lambda: reverse("cities:list")),
    ("search", lambda: reverse("cities:list") + "?q=kafue"),
    ("htmx results", lambda: reverse("cities:list") + "?q=recife&page=1"),
    ("profile", lambda: reverse("cities:detail", kwargs={"slug": "kafue"})),
    ("climate", lambda: reverse("cities:climate", kwargs={"slug": "kafue"})),
    ("suggestions", lambda: reverse("partnerships:matches", kwargs={"slug": "kafue"})),
    ("registry", lambda: reverse("partnerships:list")),
    ("programmes", lambda: reverse("partnerships:programme_list")),
    ("home", lambda: reverse("home")),
]


@pytest.mark.django_db
def test_it_serves_every_page_from_the_database_while_the_cache_is_down(
    client, cache_on, kafue, recife, staff_kafue, caplog
):
    for _name, url in PUBLIC_PAGES:  # warm: fragments and matching versions in Redis
        assert client.get(url()).status_code == 200

    cache_on.stop()
    answers = {name: client.get(url()).status_code for name, url in PUBLIC_PAGES}
    client.force_login(staff_kafue)
    answers["signed-in profile"] = client.get(PUBLIC_PAGES[3][1]()).status_code
    answers["signed-in suggestions"] = client.get(PUBLIC_PAGES[5][1]()).status_code

    assert answers == dict.fromkeys(answers, 200)
    # One warning for the whole burst, not one per cache call.
    assert caplog.text.count("Cache unavailable") == 1


@pytest.mark.django_db
def test_it_lets_an_anonymous_visitor_report_a_problem_while_the_cache_is_down(
    client, cache_on, kafue
):
    from cities.models import ContentFlag

    cache_on.stop()
    response = client.post(
        reverse("cities:report", kwargs={"slug": "kafue"}),
        {"reason": "outdated", "message": "The mayor changed in 2025."},
    )

    assert response.status_code in (200, 302)
    assert ContentFlag.objects.filter(city=kafue).count() == 1


@pytest.mark.django_db
def test_it_names_the_cache_in_healthz_while_pages_keep_answering(client, cache_on, kafue):
    cache_on.stop()

    health = client.get(reverse("healthz"))
    page = client.get(reverse("cities:detail", kwargs={"slug": "kafue"}))

    assert health.status_code == 503
    assert health.json()["cache"].startswith("error: ")
    assert health.json()["database"] == "ok"
    assert page.status_code == 200


@pytest.mark.django_db
def test_it_uses_the_cache_again_once_redis_is_back(client, cache_on, kafue, settings):
    cache = caches["default"]
    cache_on.stop()
    cache.set("probe", "1")
    assert cache.get("probe") is None  # down: a miss, not an error

    cache_on.start()
    cache._breaker._open_until = 0.0  # as after the retry interval
    cache.set("probe", "1")

    assert cache.get("probe") == "1"
    assert client.get(reverse("healthz")).json()["cache"] == "ok"


# --- writes and e-mail with the broker down, a worker that comes back -------------------------


@pytest.fixture
def outage_worker(transactional_db, private_redis, tmp_path):
    """A real worker whose broker is the private Redis; the test process publishes there too."""
    from django.conf import settings
    from django.db import connection

    from citydiplomacy.celery import app

    if connection.vendor != "postgresql":
        pytest.skip("the real-worker tests need PostgreSQL (the worker is another process)")
    worker = RequestWorker(
        database_name=connection.settings_dict["NAME"], tmp_path=tmp_path, lease_seconds=3
    )
    worker.env["CELERY_BROKER_URL"] = private_redis.url(0)
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    with app_on_broker(private_redis.url(0)):
        app.conf.task_always_eager = False
        app.conf.task_default_queue = worker.queue
        worker.start()
        try:
            yield worker
        finally:
            worker.release_sends()
            worker.stop()
            app.conf.task_always_eager, app.conf.task_default_queue = previous
    assert private_redis.url(0) != settings.CELERY_BROKER_URL


def _delivered(worker, count: int, *, timeout: float = 60) -> list[dict]:
    wait_for(lambda: len(worker.mails()) >= count, timeout=timeout)
    time.sleep(2)  # and nothing more arrives
    return worker.mails()


@pytest.mark.worker
def test_it_loses_no_e_mail_and_no_write_while_redis_is_down(
    outage_worker, private_redis, client, kafue, dst, curator_dst, staff_kafue, member, capsys
):
    from citydiplomacy.celery import task_by_name

    for n in range(29):  # with staff_kafue, 30 people to tell
        CityStaffFactory(user=UserFactory(username=f"kafue_{n}"), city=kafue)
    CityStaffFactory(user=UserFactory(username="kafue_admin"), city=kafue, role="admin")
    publish = task_by_name("cities.notifications.tasks.send_outbox_email")
    attempts = []
    original = publish.apply_async

    def counting(*args, **kwargs):
        attempts.append(args)
        return original(*args, **kwargs)

    publish.apply_async = counting
    try:
        private_redis.stop()

        client.force_login(curator_dst)
        update = client.post(
            reverse("curation:request_update", kwargs={"org_slug": "dst", "slug": "kafue"}),
            {"message": "Please add your initiatives."},
        )
        invite = client.post(
            reverse("cities:invite", kwargs={"slug": "kafue"}),
            {"email": "new.officer@kafue.example", "role": "editor", "language": "de"},
        )
        client.force_login(staff_kafue)
        edit = client.post(reverse("cities:edit", kwargs={"slug": "kafue"}), PROFILE)
        client.force_login(member)
        join = client.post(reverse("cities:join", kwargs={"slug": "kafue"}), {"message": "IR"})
    finally:
        publish.apply_async = original

    # Every write committed and answered with its normal redirect, not an error page.
    assert [r.status_code for r in (update, invite, edit, join)] == [302, 302, 302, 302]
    assert Invitation.objects.filter(email="new.officer@kafue.example").exists()
    assert JoinRequest.objects.filter(user=member, city=kafue).exists()
    # Their e-mails wait in the outbox; the broker was asked once for the whole burst.
    pending = OutboxEmail.objects.filter(status=OutboxStatus.PENDING).count()
    # Every staff member for the update request, the invitee, the admin for the join request.
    staff = CityStaff.objects.filter(city=kafue)
    expected = staff.count() + 1 + staff.filter(role="admin").count()
    assert pending == expected
    assert len(attempts) <= 1

    # Redis returns; the worker that lived through the outage reconnects by itself, and the
    # beat's sweeper hands out what waited.
    from citydiplomacy.celery import app

    restarted = time.monotonic()
    private_redis.start()
    wait_for(lambda: app.control.ping(destination=[outage_worker.node], timeout=0.5), timeout=60)
    reconnected_after = time.monotonic() - restarted
    wait_for(lambda: outbox.outbox_sweep(grace_seconds=0) > 0, timeout=30)
    mails = _delivered(outage_worker, expected)
    delivered_after = time.monotonic() - restarted

    assert outage_worker.process.poll() is None and outage_worker.starts == 1
    assert len(mails) == expected
    assert len({m["outbox_id"] for m in mails}) == expected  # each exactly once
    invitation = next(m for m in mails if m["to"] == ["new.officer@kafue.example"])
    assert "Einladung" in invitation["subject"]  # in the language the inviter chose
    with capsys.disabled():
        print(
            f"\n[outage] worker answered {reconnected_after:.1f} s and all {expected} e-mails "
            f"were delivered {delivered_after:.1f} s after Redis came back"
        )


@pytest.mark.worker
def test_it_finishes_a_send_that_was_running_when_redis_died_exactly_once(
    outage_worker, private_redis, kafue, staff_kafue, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from cities.notifications.services import notify

    outage_worker.hold_sends()
    with transaction.atomic():
        notify(user=staff_kafue, kind="update_requested", context={"city": kafue,
               "organisation": kafue, "curator": staff_kafue, "message": ""})  # fmt: skip
    wait_for(lambda: OutboxEmail.objects.get().status == OutboxStatus.SENDING)

    private_redis.stop()
    outage_worker.release_sends()
    time.sleep(3)
    private_redis.start()

    mails = _delivered(outage_worker, 1)
    assert len(mails) == 1
    assert OutboxEmail.objects.get().status == OutboxStatus.SENT
    # The same worker takes new work after the outage.
    with transaction.atomic():
        notify(user=staff_kafue, kind="update_requested", context={"city": kafue,
               "organisation": kafue, "curator": staff_kafue, "message": ""})  # fmt: skip
    assert len(_delivered(outage_worker, 2)) == 2
    assert outage_worker.process.poll() is None and outage_worker.starts == 1
