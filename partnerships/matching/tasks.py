"""Background recomputes of stored match suggestions. Thin: ids in, a service call, done."""

from celery import shared_task
from django.core.cache import cache

from . import services


@shared_task(acks_late=True, soft_time_limit=120, time_limit=150)
def refresh_city_matches(city_id: int) -> int:
    """Recompute one city's stored top 50. Clears the debounce marker first, so a profile
    change made while this runs schedules a fresh run. Safe to run twice."""
    cache.delete(services.pending_key(city_id))
    return services.matches_refresh_city(city_id=city_id)


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1900)
def recompute_all_matches() -> int:
    """Nightly: recompute the stored suggestions of every city with a profile."""
    return services.matches_recompute_all().rows
