"""The e-mail outbox: rows written in the caller's transaction, sent at most once per claim.

``outbox_add`` writes an already rendered row and hands it to the send task after commit
(``citydiplomacy.celery.enqueue``, which never raises: with the broker down the row stays
pending). ``outbox_send`` claims a row with a conditional UPDATE and a lease, sends it with
its stable Message-ID, and marks it sent only if it still holds the claim. ``outbox_sweep``
(every two minutes in beat) hands out what was left behind: rows whose enqueue failed, whose
retry message was lost, or whose worker died mid-send. docs/notifications.md spells out the
guarantees and the one limit (SMTP itself cannot be exactly-once).
"""

from __future__ import annotations

import datetime
import logging
import os
import smtplib
import time
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from citydiplomacy.celery import enqueue

from ..models import Notification, OutboxEmail, OutboxStatus

if TYPE_CHECKING:
    from .services import Rendered

logger = logging.getLogger(__name__)


def _conf(key: str, default):
    return settings.CITYDIPLOMACY.get(key, default)


def lease_seconds() -> int:
    return int(_conf("OUTBOX_LEASE_SECONDS", 600))


def max_attempts() -> int:
    return int(_conf("OUTBOX_MAX_ATTEMPTS", 6))


def retry_delay(attempt: int) -> datetime.timedelta:
    """Exponential backoff after the ``attempt``-th failure: 30 s, 60 s, 120 s … ≤ 30 min
    (below the broker's visibility timeout, so Redis does not hand a waiting retry out twice)."""
    return datetime.timedelta(seconds=min(30 * 2 ** max(attempt - 1, 0), 1800))


class SendOutcome:
    SENT = "sent"
    ALREADY_DONE = "already_done"
    CLAIMED_ELSEWHERE = "claimed_elsewhere"
    RETRY = "retry"
    FAILED = "failed"


# --- writing ----------------------------------------------------------------------------------


def outbox_add(
    *,
    kind: str,
    to_email: str,
    rendered: Rendered,
    notification: Notification | None = None,
    dedupe_key: str = "",
    now: datetime.datetime | None = None,
) -> OutboxEmail:
    """Write one outbox row in the current transaction and hand it to the send task after
    commit. Only ``cities.notifications.services`` calls this."""
    now = now or timezone.now()
    row = OutboxEmail(
        notification=notification,
        kind=kind,
        to_email=to_email,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        dedupe_key=dedupe_key,
        next_attempt_at=now,
        created_at=now,
    )
    row.full_clean()
    row.save()
    transaction.on_commit(lambda: outbox_enqueue(row.pk))
    return row


def outbox_enqueue(outbox_id: int) -> bool:
    """Hand one row to the send task. Never raises: when the broker is unreachable the row
    stays pending and the sweeper hands it out later. Returns whether the broker took it."""
    return enqueue("cities.notifications.tasks.send_outbox_email", (outbox_id,))


# --- sending ----------------------------------------------------------------------------------


def outbox_claim(*, outbox_id: int, now: datetime.datetime | None = None) -> uuid.UUID | None:
    """Claim a row for sending: one conditional UPDATE, so of any number of concurrent callers
    exactly one wins. A row is claimable when pending and due, or when a previous claim's
    lease ran out (its worker died). Returns the claim token, or None."""
    now = now or timezone.now()
    token = uuid.uuid4()
    claimed = OutboxEmail.objects.filter(
        Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
        | Q(status=OutboxStatus.SENDING, lease_until__lt=now),
        pk=outbox_id,
    ).update(
        status=OutboxStatus.SENDING,
        claim_token=token,
        claimed_at=now,
        lease_until=now + datetime.timedelta(seconds=lease_seconds()),
        attempts=F("attempts") + 1,
    )
    return token if claimed else None


def _hold_for_tests() -> None:
    """Test hook: while the file named by CITYDIPLOMACY["OUTBOX_TEST_HOLD_FILE"] exists, wait
    (between claiming and sending). Only honoured when DJANGO_ENV=test."""
    path = _conf("OUTBOX_TEST_HOLD_FILE", "")
    if not (settings.IS_TEST and path):
        return
    while os.path.exists(path):
        time.sleep(0.05)


def _deliver(row: OutboxEmail) -> None:
    backend = _conf("OUTBOX_EMAIL_BACKEND", "") or None
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to_email],
        headers={
            "Message-ID": f"<{row.message_id}@citydiplomacy>",
            "X-CityDiplomacy-Outbox": str(row.pk),
        },
        connection=get_connection(backend=backend, fail_silently=False),
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    message.send(fail_silently=False)


def outbox_send(*, outbox_id: int, now: datetime.datetime | None = None) -> str:
    """Send one outbox row at most once per claim; see the module docstring.

    Raises nothing for SMTP errors: they release the claim with a backoff (``RETRY``) or,
    after ``OUTBOX_MAX_ATTEMPTS`` attempts, mark the row failed (``FAILED``)."""
    token = outbox_claim(outbox_id=outbox_id, now=now)
    if token is None:
        status = OutboxEmail.objects.filter(pk=outbox_id).values_list("status", flat=True).first()
        if status == OutboxStatus.SENDING:
            return SendOutcome.CLAIMED_ELSEWHERE
        return SendOutcome.ALREADY_DONE
    row = OutboxEmail.objects.get(pk=outbox_id)
    _hold_for_tests()
    try:
        _deliver(row)
    except (smtplib.SMTPException, OSError) as exc:
        failed_now = timezone.now()
        final = row.attempts >= max_attempts()
        OutboxEmail.objects.filter(pk=outbox_id, claim_token=token).update(
            status=OutboxStatus.FAILED if final else OutboxStatus.PENDING,
            claim_token=None,
            lease_until=None,
            next_attempt_at=failed_now + retry_delay(row.attempts),
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        if final:
            logger.error("Outbox e-mail %s failed after %s attempts", outbox_id, row.attempts)
            return SendOutcome.FAILED
        logger.warning("Outbox e-mail %s: %s; retrying", outbox_id, exc)
        return SendOutcome.RETRY
    # Fenced by the token: a worker whose lease was taken over cannot overwrite the new claim.
    OutboxEmail.objects.filter(pk=outbox_id, claim_token=token).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return SendOutcome.SENT


def outbox_due_ids(*, now: datetime.datetime | None = None, grace_seconds: int = 60, limit=500):
    """Rows the sweeper should (re-)enqueue: pending and due for longer than ``grace_seconds``
    (fresh rows are being enqueued on commit), or claimed by a worker whose lease ran out."""
    now = now or timezone.now()
    grace = now - datetime.timedelta(seconds=grace_seconds)
    return list(
        OutboxEmail.objects.filter(
            Q(status=OutboxStatus.PENDING, next_attempt_at__lte=grace)
            | Q(status=OutboxStatus.SENDING, lease_until__lt=now)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_sweep(*, now: datetime.datetime | None = None, grace_seconds: int = 60) -> int:
    """Re-enqueue unsent rows; returns how many were handed to the broker."""
    return sum(
        1
        for outbox_id in outbox_due_ids(now=now, grace_seconds=grace_seconds)
        if outbox_enqueue(outbox_id)
    )


def outbox_retry_failed(*, outbox_ids: Iterable[int], now: datetime.datetime | None = None) -> int:
    """Put failed rows back in the queue (admin action); returns how many."""
    now = now or timezone.now()
    ids = list(
        OutboxEmail.objects.filter(pk__in=list(outbox_ids), status=OutboxStatus.FAILED).values_list(
            "pk", flat=True
        )
    )
    with transaction.atomic():
        OutboxEmail.objects.filter(pk__in=ids, status=OutboxStatus.FAILED).update(
            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now
        )
        for outbox_id in ids:
            transaction.on_commit(lambda i=outbox_id: outbox_enqueue(i))
    return len(ids)
