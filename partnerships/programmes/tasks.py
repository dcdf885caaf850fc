"""Programme tasks: thin wrappers around services, safe to run twice."""

from celery import shared_task


@shared_task(
    name="partnerships.programmes.tasks.complete_past_programmes",
    soft_time_limit=90,
    time_limit=120,
)
def complete_past_programmes() -> int:
    """Mark published programmes whose last day has passed as completed; returns how many."""
    from django.utils import timezone

    from .services import programmes_complete_past

    return programmes_complete_past(today=timezone.localdate())
