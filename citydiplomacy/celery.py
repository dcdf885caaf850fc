"""The Celery application.

Configuration comes from Django settings under the ``CELERY_`` namespace. Periodic tasks are
declared here in code (``BEAT_SCHEDULE``) so that the schedule is reviewed like any other code.
"""

import logging
import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydiplomacy.settings")

logger = logging.getLogger(__name__)

app = Celery("citydiplomacy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Each entry: name -> task path and schedule. Times are UTC.
BEAT_SCHEDULE = {
    # Stored partner suggestions of every city with a profile (docs/matching.md).
    "partnerships-recompute-all-matches": {
        "task": "partnerships.matching.tasks.recompute_all_matches",
        "schedule": crontab(hour=2, minute=45),
    },
    "cities-refresh-all-profile-completeness": {
        "task": "cities.tasks.refresh_all_profile_completeness",
        "schedule": crontab(hour=2, minute=15),
    },
    # Partnership requests, partnership health and the e-mail outbox (docs/requests.md).
    "partnerships-sweep-outbox": {
        "task": "partnerships.request_tasks.sweep_outbox",
        "schedule": crontab(minute="*/2"),
    },
    "partnerships-expire-requests": {
        "task": "partnerships.request_tasks.expire_requests",
        "schedule": crontab(minute=5),
    },
    "partnerships-remind-requests": {
        "task": "partnerships.request_tasks.remind_requests",
        "schedule": crontab(minute=35),
    },
    "partnerships-flag-dormant": {
        "task": "partnerships.request_tasks.flag_dormant_partnerships",
        "schedule": crontab(hour=3, minute=30),
    },
    "partnerships-weekly-digest": {
        "task": "partnerships.request_tasks.send_weekly_digest",
        "schedule": crontab(day_of_week="mon", hour=6, minute=0),
    },
    # Visitors programmes whose last day has passed become "completed" (docs/programmes.md).
    "partnerships-complete-past-programmes": {
        "task": "partnerships.programmes.tasks.complete_past_programmes",
        "schedule": crontab(hour=0, minute=20),
    },
}
app.conf.beat_schedule = BEAT_SCHEDULE

_eager_announced = False


def announce_eager_mode() -> None:
    """Log once per process that tasks run in-process because no broker is configured."""
    global _eager_announced
    if app.conf.task_always_eager and not _eager_announced:
        _eager_announced = True
        logger.warning(
            "CELERY_BROKER_URL is not set: Celery tasks run in-process (eager mode). "
            "Set CELERY_BROKER_URL and run `make worker` for a real worker."
        )


@worker_ready.connect
def _log_worker_ready(sender, **kwargs) -> None:  # pragma: no cover - runs in the worker
    logger.info("CityDiplomacy worker ready")
