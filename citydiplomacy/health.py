"""Health of the components the portal depends on, for /healthz and monitoring."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_broker() -> str:
    """'eager' when tasks run in-process; otherwise connect to the broker and check it."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from citydiplomacy.celery import app

    with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def check_cache() -> str:
    # The Redis backend hides its failures from pages; the health check asks past that.
    ping = getattr(cache, "ping", None)
    if ping is not None:
        ping()
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return the value it was given")
    cache.delete(key)
    return "ok"


CHECKS = {"database": check_database, "broker": check_broker, "cache": check_cache}


def run_checks() -> tuple[dict[str, str], bool]:
    """Run every check; returns the report and whether all passed. Never raises."""
    report: dict[str, str] = {}
    healthy = True
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except Exception as exc:  # any failure of a component is reported, not raised
            logger.warning("health check %s failed: %s", name, exc)
            report[name] = f"error: {type(exc).__name__}"
            healthy = False
    return report, healthy
