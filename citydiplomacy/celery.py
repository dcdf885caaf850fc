"""The Celery application.

Configuration comes from Django settings under the ``CELERY_`` namespace. Periodic tasks are
declared here in code (``BEAT_SCHEDULE``) so that the schedule is reviewed like any other code.
"""

import logging
import os
import threading
import time

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydiplomacy.settings")

logger = logging.getLogger(__name__)

app = Celery("citydiplomacy")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Every package with a tasks module; a task's registered name is its module path, which is
# the name the beat schedule below and docs/architecture.md use.
app.autodiscover_tasks(
    [
        "cities",
        "cities.curation",
        "cities.notifications",
        "partnerships",
        "partnerships.matching",
        "partnerships.programmes",
    ]
)

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
    # The e-mail outbox hands out what the broker did not take (docs/notifications.md), and
    # import jobs left pending the same way (docs/accounts.md).
    "cities-sweep-outbox": {
        "task": "cities.notifications.tasks.sweep_outbox",
        "schedule": crontab(minute="*/2"),
    },
    "cities-sweep-import-jobs": {
        "task": "cities.curation.tasks.sweep_import_jobs",
        "schedule": crontab(minute="*/5"),
    },
    # Partnership requests and partnership health (docs/requests.md).
    "partnerships-expire-requests": {
        "task": "partnerships.tasks.expire_requests",
        "schedule": crontab(minute=5),
    },
    "partnerships-remind-requests": {
        "task": "partnerships.tasks.remind_requests",
        "schedule": crontab(minute=35),
    },
    "partnerships-flag-dormant": {
        "task": "partnerships.tasks.flag_dormant_partnerships",
        "schedule": crontab(hour=3, minute=30),
    },
    "partnerships-weekly-digest": {
        "task": "partnerships.tasks.send_weekly_digest",
        "schedule": crontab(day_of_week="mon", hour=6, minute=0),
    },
    # Visitors programmes whose last day has passed become "completed" (docs/programmes.md).
    "partnerships-complete-past-programmes": {
        "task": "partnerships.programmes.tasks.complete_past_programmes",
        "schedule": crontab(hour=0, minute=20),
    },
}
app.conf.beat_schedule = BEAT_SCHEDULE

# --- handing work to the broker ---------------------------------------------------------------

# After the broker refused a task, further enqueues in this process are skipped for this long,
# so a request that schedules many tasks (an update request to 30 staff) does not wait for each.
BROKER_RETRY_AFTER_SECONDS = 10.0
_broker_lock = threading.Lock()
_broker_down_until = 0.0
_broker_failing = False


def task_by_name(name: str):
    """The registered task ``name``; a web process imports the task modules on first use."""
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def enqueue(task, args=(), kwargs=None, **options) -> bool:
    """Hand ``task`` (a task or its registered name) to the broker; never raises. Returns
    whether the broker took it.

    Services name their tasks by registered name (``"cities.tasks.refresh_..."``), so a
    ``services`` module never imports the ``tasks`` module that imports it.

    A broker that is down must not turn a committed write into an error page. Callers decide
    what a lost enqueue means: e-mail lives in the outbox, which the sweeper re-enqueues;
    derived data (completeness, stored suggestions) is recomputed nightly; an import job stays
    pending until the sweeper hands it out again. The failure is logged once per burst.
    """
    global _broker_down_until, _broker_failing
    if isinstance(task, str):
        task = task_by_name(task)
    if app.conf.task_always_eager:
        # In-process: the task runs now and its own errors must surface (tests, `make run`).
        task.apply_async(args=args, kwargs=kwargs, **options)
        return True
    if time.monotonic() < _broker_down_until:
        return False
    try:
        task.apply_async(
            args=args,
            kwargs=kwargs,
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
            **options,
        )
    except Exception as exc:  # only publishing happens here: every error is the broker's
        with _broker_lock:
            first = not _broker_failing
            _broker_failing = True
            _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER_SECONDS
        if first:
            logger.warning(
                "Broker unavailable (%s: %s); %s and later tasks wait for the sweepers",
                type(exc).__name__,
                exc,
                task.name,
            )
        return False
    if _broker_failing:
        with _broker_lock:
            _broker_failing = False
        logger.warning("Broker takes tasks again")
    return True


def enqueue_on_commit(task, *args, **options) -> None:
    """``enqueue(task, args)`` once the current transaction commits (nothing on rollback)."""
    from django.db import transaction

    transaction.on_commit(lambda: enqueue(task, args, **options))


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
