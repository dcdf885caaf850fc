"""Celery tasks of curation: large imports. Thin: ids in, a service call, safe to run twice."""

import datetime

from celery import shared_task
from django.utils import timezone

from citydiplomacy.celery import enqueue

from ..models import ImportJob, ImportStatus
from .importing import SYNC_LIMIT, import_job_run


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def run_import_job(job_id: int) -> str | None:
    """Validate and write one import job. Safe to run twice: a finished job is left alone and
    two runs at once write once (the job row is locked while writing)."""
    return import_job_run(job_id=job_id)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def sweep_import_jobs(grace_seconds: int = 120) -> int:
    """Every few minutes: hand out import jobs still waiting after ``grace_seconds`` (the
    broker was down when they were uploaded). Returns how many were handed to the broker."""
    waiting_since = timezone.now() - datetime.timedelta(seconds=grace_seconds)
    # Only jobs large enough for the worker; smaller ones run inside the upload's request.
    waiting = ImportJob.objects.filter(
        status=ImportStatus.PENDING, created_at__lt=waiting_since, total_rows__gt=SYNC_LIMIT
    ).values_list("pk", flat=True)
    return sum(1 for job_id in waiting[:100] if enqueue(run_import_job, (job_id,)))
