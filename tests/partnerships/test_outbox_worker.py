"""Delivery with a real Celery worker on PostgreSQL and Redis: end to end, a worker killed with
SIGKILL in the middle of a send, and a broker that is unreachable when the request commits.

The worker records every e-mail it really sends in a file (tests/partnerships/mailbox.py), so
these tests count deliveries, not database flags."""

import time

import pytest
from django.urls import reverse

from cities.choices import PartnershipKind
from cities.models import OutboxEmail, OutboxStatus
from cities.notifications import outbox as notifications
from partnerships import services
from partnerships.models import (
    Partnership,
    PartnershipRequest,
    RequestStatus,
)

from ..cities.factories import CityStaffFactory, UserFactory
from ..conftest import wait_for
from .conftest import broker_unreachable

pytestmark = [pytest.mark.worker, pytest.mark.postgres]

MESSAGE = "Recife and Kafue share river-flood risks; shall we exchange on early warning?"


def _mails_to(worker, email):
    return [m for m in worker.mails() if m["to"] == [email]]


def _settled(worker, expected: int, *, quiet: float = 1.5):
    """Wait for ``expected`` deliveries, then a quiet spell in which no more arrive."""
    wait_for(lambda: len(worker.mails()) >= expected, timeout=30)
    time.sleep(quiet)
    return worker.mails()


def test_it_delivers_exactly_one_e_mail_per_recipient_and_event_from_send_to_accept(
    request_worker, client, kafue, recife, staff_kafue, staff_recife
):
    second_recife = CityStaffFactory(user=UserFactory(username="recife_2"), city=recife).user

    client.force_login(staff_kafue)
    response = client.post(
        reverse("partnerships:request_new") + "?to=recife",
        {"from_city": "kafue", "to_city": "recife", "kind": "climate", "message": MESSAGE},
    )
    assert response.status_code == 302
    request = PartnershipRequest.objects.get()
    received = _settled(request_worker, 2)

    client.force_login(staff_recife)
    client.get(request.get_absolute_url())  # seen: no e-mail
    response = client.post(reverse("partnerships:request_accept", kwargs={"pk": request.pk}))
    assert response.status_code == 302
    mails = _settled(request_worker, 3)

    # Ask the worker to send everything again, as a duplicated task or the sweeper would.
    for outbox_id in OutboxEmail.objects.values_list("pk", flat=True):
        notifications.outbox_enqueue(outbox_id)
    notifications.outbox_sweep(grace_seconds=0)
    mails = _settled(request_worker, 3, quiet=3)

    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    assert [e.to_status for e in request.events.all()] == ["sent", "seen", "accepted"]
    assert Partnership.objects.count() == 1
    assert Partnership.objects.get().kind == PartnershipKind.CLIMATE
    assert sorted(m["to"][0] for m in received) == sorted([staff_recife.email, second_recife.email])
    assert len(mails) == 3
    assert len(_mails_to(request_worker, staff_kafue.email)) == 1
    assert "accepted" in _mails_to(request_worker, staff_kafue.email)[0]["subject"]
    assert len({m["message_id"] for m in mails}) == 3
    assert all(m["html"] for m in mails)
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_it_sends_exactly_once_when_the_worker_is_killed_mid_send_and_restarted(
    request_worker, kafue, recife, staff_kafue, staff_recife
):
    request_worker.hold_sends()
    services.request_send(
        sender=staff_kafue, from_city=kafue, to_city=recife, kind="project", message=MESSAGE
    )
    row = OutboxEmail.objects.get()
    # The worker claimed the row and is now held between claiming and sending.
    wait_for(lambda: OutboxEmail.objects.get(pk=row.pk).status == OutboxStatus.SENDING)

    request_worker.kill()
    request_worker.release_sends()
    assert request_worker.mails() == []
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENDING, 1)

    request_worker.start()
    # The dead worker's claim is honoured until its lease (3 s here) runs out.
    wait_for(lambda: OutboxEmail.objects.get(pk=row.pk).lease_until < _db_now(), timeout=15)
    assert notifications.outbox_sweep(grace_seconds=0) == 1  # the beat's sweeper

    mails = _settled(request_worker, 1, quiet=2)
    notifications.outbox_sweep(grace_seconds=0)
    mails = _settled(request_worker, 1, quiet=2)

    assert [m["to"] for m in mails] == [[staff_recife.email]]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)
    assert request_worker.starts == 2


def test_it_saves_the_request_when_the_broker_is_down_and_sends_once_the_sweeper_runs(
    request_worker, client, kafue, recife, staff_kafue, staff_recife, caplog
):
    client.force_login(staff_kafue)
    with broker_unreachable():
        response = client.post(
            reverse("partnerships:request_new") + "?to=recife",
            {"from_city": "kafue", "to_city": "recife", "kind": "project", "message": MESSAGE},
        )

    assert response.status_code == 302  # the user's request succeeded
    assert PartnershipRequest.objects.get().status == RequestStatus.SENT
    row = OutboxEmail.objects.get()
    assert row.status == OutboxStatus.PENDING
    assert "wait for the sweepers" in caplog.text
    time.sleep(2)
    assert request_worker.mails() == []

    # The broker is back; the periodic sweeper picks the row up.
    assert notifications.outbox_sweep(grace_seconds=0) == 1
    mails = _settled(request_worker, 1, quiet=2)

    assert [m["to"] for m in mails] == [[staff_recife.email]]
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT


def _db_now():
    from django.utils import timezone

    return timezone.now()
