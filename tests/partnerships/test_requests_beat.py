"""Reminders and expiry driven by the beat tasks, with a controlled clock: the tasks read the
time from ``django.utils.timezone.now``, which the ``clock`` fixture sets."""

import datetime

import pytest
from django.utils import timezone

from cities.choices import PartnershipKind
from cities.models import Notification, OutboxEmail
from citydiplomacy.celery import BEAT_SCHEDULE
from partnerships import services
from partnerships import tasks as request_tasks
from partnerships.models import RequestEvent, RequestStatus

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


class Clock:
    def __init__(self, monkeypatch, start: datetime.datetime) -> None:
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, **delta) -> None:
        self.now = T0 + datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, T0)


@pytest.fixture
def sent(clock, staff_kafue, staff_recife, kafue, recife, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_send(
            sender=staff_kafue,
            from_city=kafue,
            to_city=recife,
            kind=PartnershipKind.FRIENDSHIP,
            message="Shall we become friendship cities?",
        )
    return request


def _kinds_for(user):
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_it_schedules_the_reminder_and_expiry_tasks_in_beat():
    tasks = {entry["task"] for entry in BEAT_SCHEDULE.values()}

    assert {
        "partnerships.tasks.remind_requests",
        "partnerships.tasks.expire_requests",
        "cities.notifications.tasks.sweep_outbox",
        "partnerships.tasks.flag_dormant_partnerships",
        "partnerships.tasks.send_weekly_digest",
    } <= tasks


def test_it_reminds_the_addressed_city_once_after_14_days(
    sent, clock, staff_recife, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    clock.set(days=13, hours=23)
    assert request_tasks.remind_requests() == 0

    clock.set(days=14, minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert request_tasks.remind_requests() == 1
    clock.set(days=20)
    assert request_tasks.remind_requests() == 0

    assert [m.to for m in mailoutbox] == [[staff_recife.email]]
    assert "Reminder" in mailoutbox[0].subject
    assert _kinds_for(staff_recife).count("request_reminder") == 1
    sent.refresh_from_db()
    assert sent.reminder_sent_at == T0 + datetime.timedelta(days=14, minutes=1)


def test_it_sends_no_reminder_for_an_answered_request(sent, clock, staff_recife):
    services.request_decline(request=sent, user=staff_recife)
    clock.set(days=15)

    assert request_tasks.remind_requests() == 0
    assert "request_reminder" not in _kinds_for(staff_recife)


def test_it_expires_an_unanswered_request_after_60_days_and_tells_both_cities(
    sent, clock, staff_kafue, staff_recife, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    clock.set(days=59, hours=23)
    assert request_tasks.expire_requests() == 0

    clock.set(days=60, minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert request_tasks.expire_requests() == 1
    assert request_tasks.expire_requests() == 0  # a second run changes and sends nothing

    sent.refresh_from_db()
    assert sent.status == RequestStatus.EXPIRED
    event = RequestEvent.objects.get(to_status=RequestStatus.EXPIRED)
    assert (event.actor, event.from_status) == (None, RequestStatus.SENT)
    assert event.created_at == T0 + datetime.timedelta(days=60, minutes=5)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([staff_kafue.email, staff_recife.email])
    assert all("expired" in m.subject for m in mailoutbox)


def test_it_expires_a_seen_request_too(sent, clock, client, staff_recife):
    client.force_login(staff_recife)
    client.get(sent.get_absolute_url())
    clock.set(days=61)

    assert request_tasks.expire_requests() == 1

    sent.refresh_from_db()
    assert sent.status == RequestStatus.EXPIRED


def test_it_lets_the_sending_city_send_again_after_expiry(sent, clock, staff_kafue, kafue, recife):
    clock.set(days=61)
    request_tasks.expire_requests()

    again = services.request_send(
        sender=staff_kafue, from_city=kafue, to_city=recife, kind="friendship", message="Again?"
    )

    assert again.status == RequestStatus.SENT
    assert OutboxEmail.objects.filter(kind="request_received").count() == 2
