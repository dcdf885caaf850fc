"""The same settings as everywhere, with DJANGO_ENV=test: fast password hashing, in-memory
e-mail, and Celery tasks in-process unless a test asks for the real worker (see
tests/conftest.py's ``celery_worker`` fixture, which switches eager mode off)."""

import os

os.environ["DJANGO_ENV"] = "test"

from .settings import *  # noqa: E402,F403

CELERY_TASK_ALWAYS_EAGER = True
