"""Notifications: the in-app list under the bell and e-mail through the outbox.

``notify()`` is the one entry point (other parts of the product may call it). It must run
inside the transaction of the change it reports: it writes a ``Notification`` and, when
wanted, an already rendered ``OutboxEmail``, and registers an on-commit enqueue of the send
task. A rolled-back transaction therefore leaves neither rows nor tasks behind.

Sending (``outbox_send``) claims a row with a conditional UPDATE and a lease, sends it with
its stable Message-ID, and marks it sent only if it still holds the claim. The guarantees are
spelled out in docs/requests.md ("Delivery").
"""

from __future__ import annotations

import datetime
import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .models import Notification, OutboxEmail, OutboxStatus

logger = logging.getLogger(__name__)

# This app's notification kinds; each has templates partnerships/emails/<kind>_subject.txt,
# <kind>.txt and <kind>.html.
KINDS = {
    "request_received": _("Partnership request received"),
    "request_reminder": _("Reminder: a partnership request is waiting"),
    "request_accepted": _("Partnership request accepted"),
    "request_declined": _("Partnership request declined"),
    "request_expired": _("Partnership request expired"),
    "request_withdrawn": _("Partnership request withdrawn"),
    "partnership_dormant": _("Partnership possibly dormant"),
    "weekly_digest": _("New suggested partners"),
}

EMAIL_TEMPLATE_DIR = "partnerships/emails"


def _conf(key: str, default):
    return settings.CITYDIPLOMACY.get(key, default)


# --- recipients' preferences ------------------------------------------------------------------


@dataclass(frozen=True)
class Preferences:
    language: str
    wants_digest: bool


def _profile_model():
    try:
        return apps.get_model("cities", "UserProfile")
    except LookupError:
        return None


def preferences_for(user) -> Preferences:
    """The recipient's language and digest opt-in, from ``cities.models.UserProfile`` when it
    exists (``preferred_language``, ``weekly_digest`` / ``digest_opt_out``)."""
    language = settings.LANGUAGE_CODE
    wants_digest = True
    profile_model = _profile_model()
    if profile_model is not None:
        profile = profile_model.objects.filter(user=user).first()
        if profile is not None:
            chosen = getattr(profile, "preferred_language", "") or ""
            if chosen in dict(settings.LANGUAGES):
                language = chosen
            if hasattr(profile, "weekly_digest"):
                wants_digest = bool(profile.weekly_digest)
            elif hasattr(profile, "digest_opt_out"):
                wants_digest = not profile.digest_opt_out
    return Preferences(language=language, wants_digest=wants_digest)


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return _conf("SITE_URL", "http://127.0.0.1:8000").rstrip("/") + path


# --- writing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render_email(*, kind: str, context: dict, language: str, template_dir: str) -> Rendered:
    """Subject, plain text and HTML of one e-mail in ``language``."""
    with translation.override(language):
        base = f"{template_dir}/{kind}"
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
    return Rendered(subject=subject[:300], text=text, html=html)


def notify(
    *,
    user,
    kind: str,
    context: dict | None = None,
    url: str = "",
    email: bool = True,
    template_dir: str = EMAIL_TEMPLATE_DIR,
    dedupe_key: str = "",
    in_app: bool = True,
    now: datetime.datetime | None = None,
) -> Notification | None:
    """Tell ``user`` about something: an in-app notification and (``email``) an outbox e-mail,
    both rendered now in the user's language. Call inside the transaction of the change; the
    e-mail is enqueued for sending only after commit. Returns the notification (None when
    ``in_app`` is off)."""
    now = now or timezone.now()
    preferences = preferences_for(user)
    full_context = {
        "recipient": user,
        "site_url": _conf("SITE_URL", "http://127.0.0.1:8000").rstrip("/"),
        "url": absolute_url(url),
        **(context or {}),
    }
    rendered = render_email(
        kind=kind, context=full_context, language=preferences.language, template_dir=template_dir
    )
    notification = None
    if in_app:
        notification = Notification.objects.create(
            user=user, kind=kind, title=rendered.subject, url=url, created_at=now
        )
    if email and user.email:
        outbox_add(
            kind=kind,
            to_email=user.email,
            rendered=rendered,
            notification=notification,
            dedupe_key=dedupe_key,
            now=now,
        )
    return notification


def notify_many(*, users: Iterable, **kwargs) -> int:
    """``notify`` each distinct user once; returns how many were notified."""
    seen: set[int] = set()
    for user in users:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        notify(user=user, **kwargs)
    return len(seen)


def outbox_add(
    *,
    kind: str,
    to_email: str,
    rendered: Rendered,
    notification: Notification | None = None,
    dedupe_key: str = "",
    now: datetime.datetime | None = None,
) -> OutboxEmail:
    """Write one outbox row in the current transaction and enqueue its send after commit."""
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
    stays pending and the sweeper enqueues it later. Returns whether enqueueing worked."""
    from . import request_tasks

    try:
        request_tasks.send_outbox_email.apply_async(
            (outbox_id,),
            retry=True,
            retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5},
        )
    except Exception:  # the broker being down must never fail the user's request
        logger.warning(
            "Could not enqueue outbox e-mail %s; the sweeper will send it", outbox_id, exc_info=True
        )
        return False
    return True


# --- sending ----------------------------------------------------------------------------------


class SendOutcome:
    SENT = "sent"
    ALREADY_DONE = "already_done"
    CLAIMED_ELSEWHERE = "claimed_elsewhere"
    RETRY = "retry"
    FAILED = "failed"


def lease_seconds() -> int:
    return int(_conf("OUTBOX_LEASE_SECONDS", 600))


def max_attempts() -> int:
    return int(_conf("OUTBOX_MAX_ATTEMPTS", 6))


def retry_delay(attempt: int) -> datetime.timedelta:
    """Exponential backoff after the ``attempt``-th failure: 30 s, 60 s, 120 s … ≤ 30 min
    (below the broker's visibility timeout, so Redis does not hand a waiting retry out twice)."""
    return datetime.timedelta(seconds=min(30 * 2 ** max(attempt - 1, 0), 1800))


def outbox_claim(*, outbox_id: int, now: datetime.datetime | None = None) -> uuid.UUID | None:
    """Claim a row for sending: one conditional UPDATE, so of any number of concurrent callers
    exactly one wins. A row is claimable when pending and due, or when a previous claim's
    lease ran out (its worker died). Returns the claim token, or None."""
    now = now or timezone.now()
    token = uuid.uuid4()
    from django.db.models import F

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
    import os

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
    import smtplib

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


# --- reading ----------------------------------------------------------------------------------


def unread_count(user) -> int:
    """One COUNT query (the bell)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when ``notification_ids`` is None).
    Other users' notifications are never touched. Returns how many changed."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=timezone.now())
