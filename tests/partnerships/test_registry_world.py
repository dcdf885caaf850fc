"""The registry with the world's imported partnerships: filters by source, state, continent and
city, the map data for a filtered set, the profile's map and partners of partners."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from partnerships.models import Partnership
from tests.cities.factories import CityFactory

from .factories import PartnershipFactory

pytestmark = pytest.mark.django_db

LIST = reverse("partnerships:list")
MAP = reverse("partnerships:map_data")

IMPORTED = {"status": "unknown", "source": "imported", "confirmation": "unconfirmed",
            "provenance": "Wikidata", "since": None}  # fmt: skip


def city(name, country="DE", continent="EU", population=100_000, lat=51.0, lon=7.0):
    return CityFactory(
        name=name,
        slug=name.lower(),
        country=country,
        continent=continent,
        population=population,
        latitude=lat,
        longitude=lon,
    )


@pytest.fixture
def world():
    c = {
        "dusseldorf": city("Dusseldorf", population=620_000, lat=51.22, lon=6.78),
        "warsaw": city("Warsaw", "PL", population=1_700_000, lat=52.23, lon=21.01),
        "haifa": city("Haifa", "IL", "AS", lat=32.8, lon=35.0),
        "chiba": city("Chiba", "JP", "AS", lat=35.6, lon=140.1),
        "kyiv": city("Kyiv", "UA", population=2_900_000, lat=50.45, lon=30.52),
        "vilnius": city("Vilnius", "LT", population=540_000, lat=54.69, lon=25.28),
        "lyon": city("Lyon", "FR", population=500_000, lat=45.76, lon=4.84),
    }
    rows = {
        "dus-war": PartnershipFactory(first=c["dusseldorf"], second=c["warsaw"], **IMPORTED),
        "dus-hai": PartnershipFactory(
            first=c["dusseldorf"], second=c["haifa"], source="request", confirmation="city"
        ),
        "dus-chi": PartnershipFactory(
            first=c["dusseldorf"], second=c["chiba"], confirmation="curator"
        ),
        # Partners of Düsseldorf's partners: Kyiv (partner of Warsaw and Haifa), Vilnius (Warsaw).
        "war-kyi": PartnershipFactory(first=c["warsaw"], second=c["kyiv"], **IMPORTED),
        "hai-kyi": PartnershipFactory(first=c["haifa"], second=c["kyiv"], **IMPORTED),
        "war-vil": PartnershipFactory(first=c["warsaw"], second=c["vilnius"], **IMPORTED),
        "lyo-war-ended": PartnershipFactory(
            first=c["lyon"], second=c["haifa"], status="ended", confirmation="curator"
        ),
    }
    return c, rows


def listed(response):
    return {p.pk for p in response.context["page"].object_list}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"source": "imported"}, {"dus-war", "war-kyi", "hai-kyi", "war-vil"}),
        ({"source": "request"}, {"dus-hai"}),
        ({"state": "city"}, {"dus-hai"}),
        ({"state": "curator"}, {"dus-chi"}),
        ({"state": "unconfirmed"}, {"dus-war", "war-kyi", "hai-kyi", "war-vil"}),
        ({"continent": "AS"}, {"dus-hai", "dus-chi", "hai-kyi"}),
        ({"country": "PL", "source": "imported"}, {"dus-war", "war-kyi", "war-vil"}),
        ({"city": "dusseldorf"}, {"dus-war", "dus-hai", "dus-chi"}),
    ],
)
def test_the_registry_filters_by_source_state_continent_and_city(client, world, params, expected):
    _cities, rows = world
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert listed(response) == {rows[key].pk for key in expected}
    data = client.get(MAP, params).json()
    assert {line[0] for line in data["lines"]} == {rows[key].pk for key in expected}


def test_the_registry_marks_flagged_pairs(client, world):
    _cities, rows = world
    from django.utils import timezone

    Partnership.objects.filter(pk=rows["war-vil"].pk).update(missing_upstream_since=timezone.now())
    assert listed(client.get(LIST, {"state": "flagged"})) == {rows["war-vil"].pk}


@pytest.mark.parametrize(
    "params",
    [
        {"source": "wikipedia"},
        {"state": "maybe"},
        {"continent": "Atlantis"},
        {"city": "<script>alert(1)</script>"},
        {"city": "no-such-city"},
        {"kind": "x" * 5000},
    ],
)
def test_garbage_in_the_registry_filters_is_a_form_error_or_a_400_never_a_500(
    client, world, params
):
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert listed(response) == set()
    assert response.context["filter"].form.errors
    data = client.get(MAP, params)
    assert data.status_code == 400
    assert data.json()["errors"]


def test_the_map_draws_lines_only_for_a_set_small_enough_to_read(client, world, monkeypatch):
    monkeypatch.setattr("partnerships.selectors.MAP_LINES_MAX", 3)
    everything = client.get(MAP).json()
    assert (everything["count"], everything["lines"], everything["lines_drawn"]) == (6, [], False)
    assert len(everything["points"]) == 6  # the cities are still shown (Lyon's row is ended)
    narrow = client.get(MAP, {"city": "dusseldorf"}).json()
    assert (len(narrow["lines"]), narrow["lines_drawn"]) == (3, True)


def test_the_map_data_of_the_public_is_cached_but_insiders_always_get_it_fresh(
    client, world, settings, staff_kafue, kafue
):
    settings.FRAGMENT_CACHE_SECONDS = 60
    cache.clear()
    cities, _rows = world
    before = client.get(MAP).json()["count"]
    PartnershipFactory(first=cities["lyon"], second=cities["kyiv"], **IMPORTED)
    try:
        assert client.get(MAP).json()["count"] == before  # the same minute, the same answer
        client.force_login(staff_kafue)
        assert client.get(MAP).json()["count"] == Partnership.objects.count()  # also ended ones
    finally:
        cache.clear()


# --- the profile ----------------------------------------------------------------------------


def test_the_profile_lists_partners_with_kind_state_source_and_a_map(client, world):
    cities, rows = world
    response = client.get(cities["dusseldorf"].get_absolute_url())
    page = response.content.decode()

    for partner in ("Warsaw", "Haifa", "Chiba"):
        assert partner in page
    assert "From Wikidata, unconfirmed" in page
    assert "Confirmed by the city" in page and "Confirmed by a curator" in page
    assert "Partnership request" in page  # the source of Haifa's
    assert 'id="city-partnership-lines"' in page
    assert "partnerships/partnership-map.js" in page
    assert f"?city={cities['dusseldorf'].slug}" in page


def test_partners_of_partners_are_ranked_by_shared_partners(client, world):
    from django.contrib.auth.models import AnonymousUser

    from partnerships import selectors

    cities, _rows = world
    data = selectors.city_partnerships(city=cities["dusseldorf"], user=AnonymousUser())

    hops = [(hop.city.name, [c.name for c in hop.via]) for hop in data.two_hops]
    # Kyiv through Haifa and Warsaw first; Vilnius through Warsaw; Lyon's partnership with
    # Haifa ended, so Lyon is not a partner of a partner; no direct partner, not Düsseldorf.
    assert hops == [("Kyiv", ["Haifa", "Warsaw"]), ("Vilnius", ["Warsaw"])]
    page = client.get(cities["dusseldorf"].get_absolute_url()).content.decode()
    assert "Partners of partners" in page
    assert "partner of 2 of your partners" in page


def test_the_profile_shows_at_most_its_limit_and_links_to_the_rest(client, world):
    from django.contrib.auth.models import AnonymousUser

    from partnerships import selectors

    cities, _rows = world
    data = selectors.city_partnerships(city=cities["warsaw"], user=AnonymousUser(), limit=2)
    assert (len(data.partnerships), data.total) == (2, 3)


def test_the_public_profile_section_is_cached_but_the_cities_staff_see_it_fresh(
    client, world, settings
):
    from tests.cities.factories import CityStaffFactory, UserFactory

    settings.FRAGMENT_CACHE_SECONDS = 60
    cache.clear()
    cities, rows = world
    url = cities["dusseldorf"].get_absolute_url()
    try:
        assert "Chiba" in client.get(url).content.decode()
        Partnership.objects.filter(pk=rows["dus-chi"].pk).delete()
        assert "Chiba" in client.get(url).content.decode()  # the same minute, the same section
        staff = CityStaffFactory(user=UserFactory(), city=cities["dusseldorf"]).user
        client.force_login(staff)
        assert "Chiba" not in client.get(url).content.decode()
    finally:
        cache.clear()


def test_the_public_registry_list_is_cached_per_query_string_but_insiders_see_it_fresh(
    client, world, settings, staff_kafue
):
    settings.FRAGMENT_CACHE_SECONDS = 60
    cache.clear()
    cities, rows = world
    try:
        assert "Chiba" in client.get(LIST, {"continent": "AS"}).content.decode()
        Partnership.objects.filter(pk=rows["dus-chi"].pk).delete()
        assert "Chiba" in client.get(LIST, {"continent": "AS"}).content.decode()
        assert "Chiba" not in client.get(LIST, {"continent": "AS", "page": "1"}).content.decode()
        client.force_login(staff_kafue)
        assert "Chiba" not in client.get(LIST, {"continent": "AS"}).content.decode()
    finally:
        cache.clear()
