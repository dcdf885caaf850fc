"""Celery discovers ``partnerships.tasks``; each area's tasks module is imported here."""

from . import request_tasks  # noqa: E402,F401
from .matching import tasks as matching_tasks  # noqa: E402,F401
from .programmes import tasks as programme_tasks  # noqa: E402,F401
