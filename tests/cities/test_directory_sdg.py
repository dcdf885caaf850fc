"""The directory's SDG filter and the SDG names on profiles."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from cities.models import Theme

from .factories import ChallengeFactory, CityFactory, InitiativeFactory

LIST = reverse("cities:list")


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request with a language cookie activates it for the thread: leave English behind."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def cities(db):
    water = CityFactory(name="Wetton", slug="wetton")
    ChallengeFactory(city=water, theme=Theme.objects.get(slug="water-sanitation"))  # SDG 6
    tagged = CityFactory(name="Tagford", slug="tagford")
    InitiativeFactory(city=tagged, sdgs=[5])
    themed = CityFactory(name="Themby", slug="themby")
    initiative = InitiativeFactory(city=themed, sdgs=[])
    initiative.themes.add(Theme.objects.get(slug="gender-equality"))  # SDG 5 and 10
    CityFactory(name="Plainville", slug="plainville")
    return water, tagged, themed


def names(response) -> set[str]:
    return {city.name for city in response.context["page"].object_list}


def test_it_finds_cities_by_the_goals_of_their_challenges_and_initiatives(client, cities):
    assert names(client.get(f"{LIST}?sdg=6")) == {"Wetton"}
    assert names(client.get(f"{LIST}?sdg=5")) == {"Tagford", "Themby"}
    assert names(client.get(f"{LIST}?sdg=10")) == {"Themby"}


@pytest.mark.parametrize("value", ["0", "18", "six", "-1", "6.0", "x" * 300])
def test_it_answers_an_invalid_goal_with_a_form_error_not_a_500(client, cities, value):
    response = client.get(f"{LIST}?sdg={value}")

    assert response.status_code == 200
    assert "sdg" in response.context["filter"].form.errors


def test_it_names_the_goals_in_the_visitors_language(client, cities):
    client.cookies["django_language"] = "fr"

    html = client.get(reverse("cities:detail", args=["wetton"])).content.decode()

    assert "Eau propre et assainissement" in html


def test_the_filter_offers_the_goals_in_the_visitors_language(client, cities):
    client.cookies["django_language"] = "es"

    html = client.get(LIST).content.decode()

    assert "13 — Acción por el Clima" in html
