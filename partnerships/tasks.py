"""Celery discovers ``partnerships.tasks``; each area's tasks module is imported here."""
