"""Writes to the directory. Every service validates, runs in one transaction and enqueues
follow-up tasks only after commit."""

from citydiplomacy.celery import enqueue_on_commit

from .models import City
from .signals import profile_changed


def profile_completeness(
    *,
    has_summary: bool,
    officials: int,
    challenges: int,
    initiatives: int,
    has_coordinates: bool,
    has_languages: bool,
) -> int:
    """0–100: the share of what a useful profile has. Pure, so curators' lists and the task
    agree on one definition."""
    parts = [
        (20, has_summary),
        (20, officials > 0),
        (25, challenges > 0),
        (20, initiatives > 0),
        (10, has_coordinates),
        (5, has_languages),
    ]
    return sum(weight for weight, present in parts if present)


def city_completeness_refresh(*, city: City) -> int:
    """Recompute and store ``city.completeness``; returns the new value. Idempotent."""
    value = profile_completeness(
        has_summary=bool(city.summary.strip()),
        officials=city.officials.count(),
        challenges=city.challenges.count(),
        initiatives=city.initiatives.count(),
        has_coordinates=city.latitude is not None and city.longitude is not None,
        has_languages=bool(city.working_languages),
    )
    # A conditional UPDATE: concurrent refreshes converge without touching updated_at.
    City.objects.filter(pk=city.pk).exclude(completeness=value).update(completeness=value)
    city.completeness = value
    return value


def city_profile_changed(*, city: City) -> None:
    """Call inside the transaction that changed a profile: the completeness is refreshed after
    commit, and the ``profile_changed`` signal lets the apps above react (stored partner
    suggestions, for one)."""
    enqueue_on_commit("cities.tasks.refresh_profile_completeness", city.pk)
    profile_changed.send(sender=City, city=city)
