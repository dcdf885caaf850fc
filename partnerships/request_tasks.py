"""Background work for partnership requests, partnership health and notifications.

Tasks take ids, call a service, and are safe to run twice or concurrently: every state change
they cause is a conditional UPDATE (see partnerships/services.py and notifications.py)."""

import logging

from celery import shared_task
from django.utils import timezone

from . import notifications, services

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, soft_time_limit=120, time_limit=180, max_retries=None)
def send_outbox_email(self, outbox_id: int) -> str:
    """Send one outbox e-mail. At most one send per claim (conditional UPDATE + lease); SMTP
    errors release the claim and retry with exponential backoff, then mark the row failed."""
    outcome = notifications.outbox_send(outbox_id=outbox_id)
    if outcome == notifications.SendOutcome.RETRY and not self.request.is_eager:
        # The row already carries next_attempt_at; this retry only makes it prompt (if the
        # retry message is lost, the sweeper picks the row up when it is due).
        attempts = (
            notifications.OutboxEmail.objects.filter(pk=outbox_id)
            .values_list("attempts", flat=True)
            .first()
            or 1
        )
        delay = notifications.retry_delay(attempts).total_seconds()
        raise self.retry(countdown=delay, max_retries=notifications.max_attempts())
    return outcome


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def sweep_outbox() -> int:
    """Every few minutes: re-enqueue e-mails left unsent (broker down at commit, a worker that
    died mid-send, a lost retry). Returns how many were enqueued."""
    return notifications.outbox_sweep()


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def expire_requests() -> int:
    """Hourly: expire requests unanswered for REQUEST_EXPIRES_AFTER_DAYS days."""
    return services.requests_expire_due(now=timezone.now())


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def remind_requests() -> int:
    """Hourly: one reminder to the addressed city after REQUEST_REMINDER_AFTER_DAYS days."""
    return services.requests_remind_due(now=timezone.now())


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def flag_dormant_partnerships() -> int:
    """Daily: tell cities and curators once about partnerships silent for 24 months."""
    return services.partnerships_flag_dormant(today=timezone.localdate())


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def send_weekly_digest() -> int:
    """Weekly: new suggested partners for staff of cities open to partnerships."""
    return services.digest_send_weekly(now=timezone.now())
