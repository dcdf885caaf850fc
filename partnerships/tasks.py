"""Background work for partnership requests and partnership health (docs/requests.md).

Tasks take ids, call a service, and are safe to run twice or concurrently: every state change
they cause is a conditional UPDATE (see partnerships/services.py). The tasks of matching and
programmes live in their packages (``matching/tasks.py``, ``programmes/tasks.py``)."""

import logging

from celery import shared_task
from django.utils import timezone

from . import services

logger = logging.getLogger(__name__)


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
