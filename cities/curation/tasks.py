"""Celery tasks of accounts and curation: e-mail delivery and large imports. Thin: they take
ids or plain values, load, and call a service."""

from celery import shared_task
from django.core.mail import send_mail


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def send_email(self, to: list[str], subject: str, body: str) -> int:
    """Send one plain-text e-mail; retried with backoff when the mail server is unreachable.
    Returns how many messages the backend accepted."""
    return send_mail(subject, body, None, to, fail_silently=False)


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def run_import_job(job_id: int) -> str | None:
    """Validate and write one import job. Safe to run twice: a finished or running job is
    left alone (claimed with a conditional UPDATE)."""
    from .importing import import_job_run

    return import_job_run(job_id=job_id)
