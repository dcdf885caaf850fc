"""The directory and the profile in the visitor's language: theme names, SDG names, country
names, numbers and units — none of them left in English on a German or French page."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cities.choices import Priority
from cities.climate import selectors as climate_selectors
from cities.climate import services as climate_services
from cities.models import InitiativeStatus, Theme

from .factories import ChallengeFactory, CityFactory, InitiativeFactory

LIST = reverse("cities:list")


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request with a language cookie activates it for the thread: leave English behind."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def english_theme_names(language: str) -> set[str]:
    """Every theme's English name, read from the database (where curators may have changed
    it), except one that reads the same in ``language``."""
    return {
        theme.name_en
        for theme in Theme.objects.all()
        if theme.name_en != getattr(theme, f"name_{language}")
    }


def assert_no_english_theme_names(html: str, language: str) -> None:
    left = sorted(name for name in english_theme_names(language) if name in html)
    assert not left, f"English theme names on a {language} page: {left}"


def get(client, url, language, **params):
    client.cookies["django_language"] = language
    response = client.get(url, params)
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()
    return response.content.decode()


@pytest.fixture
def profiled(db):
    """Düsseldorf seeks help with heat and flooding, offers structural change, and has a
    completed initiative on renewable energy (SDG 7); it has a climate."""
    city = CityFactory(
        name="Düsseldorf",
        slug="dusseldorf",
        latitude=51.22,
        longitude=6.78,
        population=620_000,
        open_to_partnerships=True,
    )
    for slug, seeks, offers in [
        ("urban-heat", True, False),
        ("flooding", True, False),
        ("structural-change", False, True),
    ]:
        ChallengeFactory(
            city=city,
            theme=Theme.objects.get(slug=slug),
            priority=Priority.HIGH,
            seeks_help=seeks,
            offers_expertise=offers,
        )
    initiative = InitiativeFactory(
        city=city, title="Solar roofs", status=InitiativeStatus.COMPLETED, sdgs=[7]
    )
    initiative.themes.add(Theme.objects.get(slug="renewable-energy"))
    climate_selectors.clear_cache()
    climate_services.climate_assign_missing()
    yield city
    climate_selectors.clear_cache()


@pytest.mark.parametrize("language", ["de", "fr", "es", "pt"])
def test_the_directory_names_themes_in_the_visitors_language(client, profiled, language):
    html = get(client, LIST, language)
    assert_no_english_theme_names(html, language)
    heat = Theme.objects.get(slug="urban-heat")
    assert f"– {getattr(heat, f'name_{language}')}</option>" in html  # the filter
    assert getattr(heat, f"name_{language}") in html.split('class="city-list"')[1]  # a row


def test_the_directory_filters_list_themes_and_countries_sorted_in_german(client, profiled):
    response = client.get(LIST, HTTP_ACCEPT_LANGUAGE="de")
    form = response.context["filter"].form
    top = [label for value, label in form.fields["theme"].choices if value and label[0] != "–"]
    assert top[:3] == [
        "Abfall und Kreislaufwirtschaft",
        "Bildung und Jugend",
        "Biodiversität und Grünflächen",
    ]
    countries = [label for value, label in form.fields["country"].choices if value]
    assert countries.index("Deutschland") < countries.index("Frankreich")
    assert "Germany" not in countries
    sdgs = dict(form.fields["sdg"].choices)
    assert sdgs["11"] == "11 — Nachhaltige Städte und Gemeinden"


def test_the_directory_filters_by_a_theme_whatever_the_language(client, profiled):
    CityFactory(name="Dryton", slug="dryton")
    client.cookies["django_language"] = "fr"
    response = client.get(LIST, {"theme": "urban-heat"})
    assert [c.name for c in response.context["page"].object_list] == ["Düsseldorf"]
    assert 'value="urban-heat" selected>– Chaleur</option>' in response.content.decode()


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_profile_names_themes_and_goals_in_the_visitors_language(client, profiled, language):
    html = get(client, profiled.get_absolute_url(), language)
    assert_no_english_theme_names(html, language)
    for slug in ("urban-heat", "flooding", "structural-change", "renewable-energy"):
        assert getattr(Theme.objects.get(slug=slug), f"name_{language}") in html
    goal = {"de": "Bezahlbare und saubere Energie", "fr": "Energies propres et d&#x27;un coût"}
    assert goal[language] in html  # SDG 7, from cities/data/sdg_goals.json
    assert "Affordable and clean energy" not in html


def test_the_profile_formats_numbers_and_units_for_the_visitors_language(client, profiled):
    german = get(client, profiled.get_absolute_url(), "de")
    assert "620.000" in german and "620,000" not in german
    assert "+2,8 °C" in german and "+2.8 °C" not in german
    english = get(client, profiled.get_absolute_url(), "en")
    assert "620,000" in english
    assert "+2.8 °C" in english and "+2,8 °C" not in english


def test_the_climate_page_never_mixes_decimal_separators(client, profiled):
    url = reverse("cities:climate", args=[profiled.slug])
    for key, german, english in (("ssp245-2085", "2,8", "2.8"), ("1.5", "1,5", "1.5")):
        html = get(client, url, "de", warming=key)
        assert f"+{german} °C" in html and f"+{english} °C" not in html
        # Every choice's label too: "+2,2 °C ≈ SSP2-4.5 …", "+3,5 °C …".
        assert "+2,2 °C" in html and "+3,5 °C" in html
        assert "+2.2 °C" not in html and "+3.5 °C" not in html
    html = get(client, url, "en", warming="1.5")
    assert "+1.5 °C" in html and "+2.2 °C" in html and "+1,5 °C" not in html


# --- query counts stay as in English ----------------------------------------------------------


def _queries(client, url, language, **params) -> int:
    client.cookies["django_language"] = language
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("size", [3, 25])
def test_the_directory_costs_as_many_queries_in_german_as_in_english(client, db, size):
    theme = Theme.objects.get(slug="housing")
    for city in CityFactory.create_batch(size):
        ChallengeFactory(city=city, theme=theme)
    english = _queries(client, LIST, "en", theme="housing")
    german = _queries(client, LIST, "de", theme="housing")
    assert german == english <= 6


def test_the_profile_costs_as_many_queries_in_german_as_in_english(client, profiled):
    _queries(client, profiled.get_absolute_url(), "en")  # warm the per-process caches
    english = _queries(client, profiled.get_absolute_url(), "en")
    german = _queries(client, profiled.get_absolute_url(), "de")
    assert german == english <= 26
