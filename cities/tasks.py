"""Background work for the directory. Tasks take ids, load, call a service; safe to re-run."""

from celery import shared_task
from django.db.models import Q

from . import services
from .models import City


@shared_task(acks_late=True)
def refresh_profile_completeness(city_id: int) -> int | None:
    """Store the completeness of one city's profile. Returns it, or None for a deleted city."""
    city = City.objects.filter(pk=city_id).first()
    if city is None:
        return None
    return services.city_completeness_refresh(city=city)


@shared_task(acks_late=True)
def refresh_all_profile_completeness() -> int:
    """Nightly: recompute completeness of every city with profile content. Returns how many."""
    # Imported cities without any profile content stay at 0: skip them.
    with_content = City.objects.filter(
        Q(completeness__gt=0)
        | ~Q(summary="")
        | Q(officials__isnull=False)
        | Q(challenges__isnull=False)
        | Q(initiatives__isnull=False)
    ).distinct()
    count = 0
    for city in with_content.iterator():
        services.city_completeness_refresh(city=city)
        count += 1
    return count
