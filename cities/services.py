"""Writes to the directory. Every service validates, runs in one transaction and enqueues
follow-up tasks only after commit."""

from citydiplomacy.celery import enqueue_on_commit

from .models import City
from .signals import profile_changed

# What a useful profile has, with its weight in the completeness (0–100): one definition for
# the stored completeness, the curators' lists and the dashboard's "what to fill in next".
PROFILE_PARTS = (
    ("summary", 20),
    ("officials", 20),
    ("challenges", 25),
    ("initiatives", 20),
    ("coordinates", 10),
    ("languages", 5),
)


def profile_parts_present(
    *,
    has_summary: bool,
    officials: int,
    challenges: int,
    initiatives: int,
    has_coordinates: bool,
    has_languages: bool,
) -> dict[str, bool]:
    """Which of ``PROFILE_PARTS`` a profile has. Pure."""
    return {
        "summary": has_summary,
        "officials": officials > 0,
        "challenges": challenges > 0,
        "initiatives": initiatives > 0,
        "coordinates": has_coordinates,
        "languages": has_languages,
    }


def profile_completeness(**facts) -> int:
    """0–100: the share of what a useful profile has (``profile_parts_present`` takes the
    same keyword arguments). Pure, so curators' lists and the task agree on one definition."""
    present = profile_parts_present(**facts)
    return sum(weight for part, weight in PROFILE_PARTS if present[part])


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
