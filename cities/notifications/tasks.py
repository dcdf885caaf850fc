"""Celery tasks of the outbox. Thin: ids in, a call to ``outbox``, safe to run twice."""

from celery import shared_task

from . import outbox


@shared_task(bind=True, acks_late=True, soft_time_limit=120, time_limit=180, max_retries=None)
def send_outbox_email(self, outbox_id: int) -> str:
    """Send one outbox e-mail. At most one send per claim (conditional UPDATE + lease); SMTP
    errors release the claim and retry with exponential backoff, then mark the row failed."""
    outcome = outbox.outbox_send(outbox_id=outbox_id)
    if outcome == outbox.SendOutcome.RETRY and not self.request.is_eager:
        # The row already carries next_attempt_at; this retry only makes it prompt (if the
        # retry message is lost, the sweeper picks the row up when it is due).
        attempts = (
            outbox.OutboxEmail.objects.filter(pk=outbox_id)
            .values_list("attempts", flat=True)
            .first()
            or 1
        )
        delay = outbox.retry_delay(attempts).total_seconds()
        raise self.retry(countdown=delay, max_retries=outbox.max_attempts())
    return outcome


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def sweep_outbox() -> int:
    """Every two minutes: re-enqueue e-mails left unsent (broker down at commit, a worker that
    died mid-send, a lost retry). Returns how many were enqueued."""
    return outbox.outbox_sweep()
