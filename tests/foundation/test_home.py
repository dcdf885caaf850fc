"""The public home page: a search box, cards that lead somewhere, numbers in the visitor's
format, and a climate-twin story computed from the data."""

import datetime

import pytest
from django.urls import reverse

from cities.climate import selectors as climate_selectors
from cities.climate import services as climate_services
from cities.models import City
from citydiplomacy import home

from ..cities.factories import CityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_climate_cache():
    climate_selectors.clear_cache()
    yield
    climate_selectors.clear_cache()


def test_it_has_a_city_search_box_with_suggestions(client):
    html = client.get(reverse("home")).content.decode()

    assert f'action="{reverse("cities:list")}"' in html
    assert 'role="combobox"' in html and reverse("cities:suggest") in html


def test_its_cards_lead_to_the_directory(client):
    html = client.get(reverse("home")).content.decode()

    assert f'<h2><a href="{reverse("cities:list")}">Browse the directory</a></h2>' in html
    assert f'href="{reverse("cities:list")}?open=on"' in html


def test_it_formats_numbers_for_the_visitors_language(client):
    City.objects.bulk_create(
        City(name=f"Place {i}", slug=f"place-{i}", country="DE") for i in range(1234)
    )

    english = client.get(reverse("home"), headers={"accept-language": "en"}).content.decode()
    german = client.get(reverse("home"), headers={"accept-language": "de"}).content.decode()

    assert "1,234 cities" in english
    assert "1.234" in german and "1,234" not in german


@pytest.fixture
def places(db):
    for slug, name, lat, lon in [
        ("dusseldorf", "Düsseldorf", 51.22, 6.78),
        ("toulouse", "Toulouse", 43.60, 1.44),
        ("lyon", "Lyon", 45.76, 4.84),
        ("bordeaux", "Bordeaux", 44.84, -0.58),
        ("tunis", "Tunis", 36.82, 10.17),
        ("moscow", "Moscow", 55.75, 37.62),
        ("essen", "Essen", 51.45, 7.01),
        ("koln", "Köln", 50.94, 6.96),
        ("marseille", "Marseille", 43.30, 5.37),
        ("montpellier", "Montpellier", 43.61, 3.88),
        ("sfax", "Sfax", 34.74, 10.76),
        ("nizhny", "Nizhny Novgorod", 56.33, 44.0),
    ]:
        CityFactory(name=name, slug=slug, latitude=lat, longitude=lon, population=500_000)
    climate_services.climate_assign_missing()


def test_its_story_is_a_climate_twin_computed_from_the_data(client, places):
    story = home.climate_story(today=datetime.date(2026, 11, 29))

    assert story is not None
    city, twin = story["city"]["slug"], story["twin"]["slug"]
    # The same answer as the city's own climate twins, best first.
    from cities.climate import core

    expected = climate_selectors.city_climate_twins(
        City.objects.get(slug=city),
        scenario=core.scenario_for(None),
        top=1,
        min_population=home.TWIN_MIN_POPULATION,
    )[0]
    assert expected.city.slug == twin and expected.is_good
    html = client.get(reverse("home")).content.decode()
    assert "Climate twin of the day" in html
    assert "ERA5" in html and "CMIP6" in html


def test_the_featured_city_changes_from_day_to_day(places):
    days = [datetime.date(2026, 11, 29) + datetime.timedelta(days=n) for n in range(6)]

    stories = [home.climate_story(today=day) for day in days]
    featured = {story["city"]["slug"] for story in stories if story}

    assert len(featured) > 1


def test_there_is_no_story_without_climate_data(client):
    CityFactory(name="Nowhere", slug="nowhere", latitude=None, longitude=None)

    assert home.climate_story(today=datetime.date(2026, 11, 29)) is None
    assert "Climate twin of the day" not in client.get(reverse("home")).content.decode()
