"""A small world of cities with profiles and real ERA5 normals for the matching tests."""

import pytest

from cities.choices import PartnershipKind, Priority
from cities.climate.services import climate_assign_missing
from cities.models import InitiativeStatus, Theme
from partnerships.matching import adapter

from ..cities.factories import ChallengeFactory, CityFactory, InitiativeFactory


def theme(slug: str) -> Theme:
    return Theme.objects.get(slug=slug)


def challenge(city, slug, priority=Priority.HIGH, *, seeks=True, offers=False):
    return ChallengeFactory(
        city=city, theme=theme(slug), priority=priority, seeks_help=seeks, offers_expertise=offers
    )


@pytest.fixture(autouse=True)
def _fresh_snapshot():
    adapter.clear_snapshot()
    yield
    adapter.clear_snapshot()


@pytest.fixture
def world(db):
    """Düsseldorf seeks help with heat; Toulouse offers it; Essen shares challenges; Tunis
    has a completed initiative on drought; Nowhere has no coordinates and no challenges."""
    kinds = [PartnershipKind.CLIMATE]
    cities = {
        "dusseldorf": CityFactory(
            name="Düsseldorf",
            slug="dusseldorf",
            country="DE",
            continent="EU",
            latitude=51.22,
            longitude=6.78,
            population=620_000,
            open_to_partnerships=True,
            working_languages=["de", "en"],
            partnership_kinds_sought=kinds,
        ),
        "toulouse": CityFactory(
            name="Toulouse",
            slug="toulouse",
            country="FR",
            continent="EU",
            latitude=43.60,
            longitude=1.44,
            population=490_000,
            open_to_partnerships=True,
            working_languages=["fr", "en"],
            partnership_kinds_sought=kinds,
        ),
        "essen": CityFactory(
            name="Essen",
            slug="essen",
            country="DE",
            continent="EU",
            latitude=51.45,
            longitude=7.01,
            population=580_000,
            working_languages=["de"],
        ),
        "tunis": CityFactory(
            name="Tunis",
            slug="tunis",
            country="TN",
            continent="AF",
            latitude=36.80,
            longitude=10.18,
            population=690_000,
            open_to_partnerships=True,
            working_languages=["ar", "fr"],
            geonames_id=2464470,
        ),
        "nowhere": CityFactory(
            name="Nowhere",
            slug="nowhere",
            country="DE",
            continent="EU",
            latitude=None,
            longitude=None,
            population=None,
            working_languages=[],
        ),
        "hidden": CityFactory(
            name="Hidden",
            slug="hidden",
            country="DE",
            continent="EU",
            is_published=False,
            latitude=51.2,
            longitude=6.8,
        ),
    }
    d, t, e, tn, h = (cities[k] for k in ("dusseldorf", "toulouse", "essen", "tunis", "hidden"))
    challenge(d, "urban-heat", seeks=True)
    challenge(d, "structural-change", Priority.MEDIUM, seeks=False, offers=True)
    challenge(t, "urban-heat", offers=True, seeks=False)
    challenge(t, "structural-change", Priority.MEDIUM, seeks=True)
    challenge(e, "urban-heat", Priority.MEDIUM)
    challenge(e, "structural-change", Priority.HIGH)
    challenge(tn, "water-scarcity")
    challenge(h, "urban-heat", offers=True, seeks=False)
    initiative = InitiativeFactory(
        city=tn, title="Drought plan (sample)", status=InitiativeStatus.COMPLETED
    )
    initiative.themes.add(theme("drought"))
    challenge(d, "drought", Priority.LOW, seeks=True)
    climate_assign_missing()
    return cities
