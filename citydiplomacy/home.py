"""What the public home page shows: the directory's figures and one story from the data.

The story is a climate twin (docs/climate.md): a city whose climate at the default warming
level will resemble another city's climate today. The city changes every day (a published
sample profile when the demo is loaded, else one of the largest cities); nothing is written
by hand, and a pairing the twin search does not call good is never shown.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

# Cities that may be featured when there are no sample profiles: the largest ones.
FEATURED_FROM_LARGEST = 100
# A featured city whose best twin is not good enough hands over to the next one.
FEATURED_TRIES = 5
TWIN_MIN_POPULATION = 100_000


def home_stats() -> dict:
    from cities.models import Organisation
    from cities.permissions import public_cities

    return {
        "cities": public_cities().count(),
        "open": public_cities().open_to_partnerships().count(),
        "organisations": Organisation.objects.count(),
    }


def _candidates() -> list[int]:
    from cities.permissions import public_cities

    with_climate = public_cities().filter(climate__isnull=False)
    sample = list(with_climate.filter(is_sample=True).order_by("pk").values_list("pk", flat=True))
    if sample:
        return sample
    return sorted(
        with_climate.order_by("-population", "pk").values_list("pk", flat=True)[
            :FEATURED_FROM_LARGEST
        ]
    )


def climate_story(*, today: datetime.date) -> dict | None:
    """Today's climate twin story as plain data (city, twin, scenario, reasons), or None when
    no city with climate data has a good twin. Cached per day and language for an hour."""
    key = f"home:climate-story:{today.isoformat()}:{get_language()}"
    seconds = 3600 if settings.FRAGMENT_CACHE_SECONDS else 0
    if seconds:
        cached = cache.get(key)
        if cached is not None:
            return cached or None
    story = _compute_story(today)
    if seconds:
        cache.set(key, story or {}, seconds)
    return story


def _compute_story(today: datetime.date) -> dict | None:
    from cities.climate import core, selectors
    from cities.models import City

    candidates = _candidates()
    if not candidates:
        return None
    scenario = core.scenario_for(None)
    start = today.toordinal() % len(candidates)
    for step in range(min(FEATURED_TRIES, len(candidates))):
        city = City.objects.get(pk=candidates[(start + step) % len(candidates)])
        found = selectors.city_climate_twins(
            city, scenario=scenario, top=1, min_population=TWIN_MIN_POPULATION
        )
        if found and found[0].is_good:
            twin = found[0]
            return {
                "city": {"name": city.name, "slug": city.slug, "country": city.country.name},
                "twin": {
                    "name": twin.city.name,
                    "slug": twin.city.slug,
                    "country": twin.city.country.name,
                },
                "scenario": str(scenario.label),
                "warming": scenario.global_warming_c,
                "reasons": twin.reasons[:2],
            }
    return None
