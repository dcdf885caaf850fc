"""The outbox's send logic in-process: claiming, leases, retries with backoff, the sweeper,
and an enqueue that never fails the user's request."""

import datetime
import smtplib
import threading

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from cities.models import Notification, OutboxEmail, OutboxStatus
from cities.notifications import outbox
from cities.notifications import services as notifications
from cities.notifications import tasks as notification_tasks
from cities.notifications.outbox import SendOutcome
from cities.notifications.services import Rendered

pytestmark = pytest.mark.django_db


def _row(**fields) -> OutboxEmail:
    now = timezone.now()
    return OutboxEmail.objects.create(
        kind="request_received",
        to_email="staff@city.example",
        subject="Kafue proposes a partnership to Recife",
        body_text="Hello",
        body_html="<p>Hello</p>",
        next_attempt_at=fields.pop("next_attempt_at", now),
        created_at=fields.pop("created_at", now),
        **fields,
    )


class FailingBackend:
    """An SMTP server that refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")


FAILING = {"OUTBOX_EMAIL_BACKEND": "tests.partnerships.test_outbox.FailingBackend"}


def test_it_sends_a_row_once_and_marks_it_sent(mailoutbox):
    row = _row()

    first = outbox.outbox_send(outbox_id=row.pk)
    second = outbox.outbox_send(outbox_id=row.pk)

    assert (first, second) == (SendOutcome.SENT, SendOutcome.ALREADY_DONE)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].extra_headers["Message-ID"] == f"<{row.message_id}@citydiplomacy>"
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)
    assert row.sent_at is not None


def test_it_lets_only_one_of_two_claims_win():
    row = _row()

    first = outbox.outbox_claim(outbox_id=row.pk)
    second = outbox.outbox_claim(outbox_id=row.pk)

    assert first is not None
    assert second is None


def test_it_honours_a_live_lease_and_retakes_an_expired_one(mailoutbox):
    row = _row()
    now = timezone.now()
    token = outbox.outbox_claim(outbox_id=row.pk, now=now)  # then the worker died

    during = outbox.outbox_claim(outbox_id=row.pk, now=now + datetime.timedelta(minutes=9))
    after = outbox.outbox_claim(outbox_id=row.pk, now=now + datetime.timedelta(minutes=11))

    assert token is not None
    assert during is None  # the 10-minute lease still runs
    assert after is not None and after != token
    row.refresh_from_db()
    assert row.attempts == 2


def test_it_fences_a_worker_whose_lease_was_taken_over():
    row = _row()
    now = timezone.now()
    stale = outbox.outbox_claim(outbox_id=row.pk, now=now)
    outbox.outbox_claim(outbox_id=row.pk, now=now + datetime.timedelta(hours=1))

    marked = OutboxEmail.objects.filter(pk=row.pk, claim_token=stale).update(
        status=OutboxStatus.SENT, sent_at=now
    )

    assert marked == 0


@override_settings(CITYDIPLOMACY={**FAILING, "OUTBOX_MAX_ATTEMPTS": 3})
def test_it_backs_off_exponentially_on_smtp_errors_then_marks_the_row_failed():
    row = _row()
    delays = []
    for _attempt in range(3):
        before = timezone.now()
        outcome = outbox.outbox_send(
            outbox_id=row.pk, now=OutboxEmail.objects.get(pk=row.pk).next_attempt_at
        )
        row.refresh_from_db()
        delays.append(round((row.next_attempt_at - before).total_seconds() / 30))

    assert outcome == SendOutcome.FAILED
    assert row.status == OutboxStatus.FAILED
    assert row.attempts == 3
    assert "SMTPServerDisconnected" in row.last_error
    assert delays[:2] == [1, 2]  # 30 s, then 60 s


@override_settings(CITYDIPLOMACY=FAILING)
def test_it_does_not_retry_before_the_backoff_is_over():
    row = _row()
    outbox.outbox_send(outbox_id=row.pk)

    again = outbox.outbox_send(outbox_id=row.pk)

    assert again == SendOutcome.ALREADY_DONE  # not due yet: nothing claimed
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)


def test_it_sweeps_rows_left_pending_or_with_an_expired_lease(monkeypatch):
    now = timezone.now()
    old = now - datetime.timedelta(minutes=5)
    left_behind = _row(created_at=old, next_attempt_at=old)
    just_written = _row()
    stale = _row(created_at=old, next_attempt_at=old)
    outbox.outbox_claim(outbox_id=stale.pk, now=now - datetime.timedelta(hours=1))
    live = _row(created_at=old, next_attempt_at=old)
    outbox.outbox_claim(outbox_id=live.pk, now=now)
    waiting = _row(next_attempt_at=now + datetime.timedelta(minutes=5))
    sent = _row(created_at=old, next_attempt_at=old)
    outbox.outbox_send(outbox_id=sent.pk)
    enqueued = []
    monkeypatch.setattr(outbox, "outbox_enqueue", lambda pk: enqueued.append(pk) or True)

    count = outbox.outbox_sweep(now=now)

    assert sorted(enqueued) == sorted([left_behind.pk, stale.pk])
    assert count == 2
    assert (
        just_written.pk not in enqueued and waiting.pk not in enqueued and live.pk not in enqueued
    )


def test_it_never_raises_into_the_request_when_the_broker_refuses(monkeypatch, caplog):
    from citydiplomacy import celery as celery_module

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setitem(celery_module.app.conf, "task_always_eager", False)
    monkeypatch.setattr(celery_module, "_broker_down_until", 0.0)
    monkeypatch.setattr(celery_module, "_broker_failing", False)
    monkeypatch.setattr(notification_tasks.send_outbox_email, "apply_async", broker_down)

    assert outbox.outbox_enqueue(42) is False
    assert "wait for the sweepers" in caplog.text


def test_it_writes_nothing_and_enqueues_nothing_when_the_transaction_rolls_back(
    member, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notifications.notify(user=member, kind="request_withdrawn", context=_withdrawn_context())
        raise RuntimeError("abort")

    assert callbacks == []
    assert not OutboxEmail.objects.exists()
    assert not Notification.objects.exists()
    assert not mailoutbox


def test_it_queues_failed_e_mails_again_from_the_admin_action(mailoutbox):
    row = _row(status=OutboxStatus.FAILED, attempts=6)

    with transaction.atomic():
        count = outbox.outbox_retry_failed(outbox_ids=[row.pk])

    row.refresh_from_db()
    assert count == 1
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)


def test_it_renders_the_e_mail_in_the_recipients_language(member):
    from cities.models import UserProfile

    UserProfile.objects.update_or_create(user=member, defaults={"preferred_language": "de"})

    rendered = notifications.render_email(
        kind_name="request_withdrawn",
        context={"recipient": member, **_withdrawn_context()},
        language=notifications.preferences_for(member).language,
    )

    assert '<html lang="de">' in rendered.html
    assert rendered.subject == "Kafue hat die Partnerschaftsanfrage zurückgezogen"
    assert "Kafue hat die Partnerschaftsanfrage an Recife zurückgezogen" in rendered.text
    assert "withdrew" not in rendered.text


def _withdrawn_context():
    class CityStub:
        def __init__(self, name):
            self.name = name

    class RequestStub:
        from_city = CityStub("Kafue")
        to_city = CityStub("Recife")

    return {"request": RequestStub()}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_one_of_many_concurrent_senders_send(mailoutbox):
    row = _row()
    outcomes = []
    barrier = threading.Barrier(4)

    def sender():
        barrier.wait()
        try:
            outcomes.append(outbox.outbox_send(outbox_id=row.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count(SendOutcome.SENT) == 1
    assert len(mailoutbox) == 1


def test_it_keeps_a_rendered_copy_so_later_edits_do_not_change_a_queued_e_mail(member):
    row = outbox.outbox_add(
        kind="request_received",
        to_email=member.email,
        rendered=Rendered(subject="Subject", text="Body", html="<p>Body</p>"),
    )

    assert (row.subject, row.body_text, row.status) == ("Subject", "Body", OutboxStatus.PENDING)


@override_settings(CITYDIPLOMACY=FAILING)
def test_it_retries_the_send_task_after_the_backoff_delay(monkeypatch):
    from celery.exceptions import Retry

    row = _row()
    scheduled = []
    monkeypatch.setattr(
        notification_tasks.send_outbox_email,
        "apply_async",
        lambda *args, **kwargs: scheduled.append(kwargs.get("countdown")),
    )
    notification_tasks.send_outbox_email.push_request(
        is_eager=False, called_directly=False, retries=0, id="t-1", args=[row.pk]
    )
    try:
        with pytest.raises(Retry):
            notification_tasks.send_outbox_email.run(row.pk)
    finally:
        notification_tasks.send_outbox_email.pop_request()

    assert scheduled == [30.0]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)


def test_it_caps_the_backoff_below_the_brokers_visibility_timeout():
    from django.conf import settings

    delays = [outbox.retry_delay(n).total_seconds() for n in range(1, 12)]

    assert delays[:4] == [30, 60, 120, 240]
    assert max(delays) < settings.CELERY_BROKER_VISIBILITY_TIMEOUT
