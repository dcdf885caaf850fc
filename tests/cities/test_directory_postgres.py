"""Search features that only PostgreSQL has: trigram similarity (typos) and unaccent."""

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from .factories import CityFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="trigram and unaccent search need PostgreSQL (SQLite has the substring fallback)",
    ),
]


def names(client, **params) -> list[str]:
    response = client.get(reverse("cities:list"), params)
    assert response.status_code == 200
    return [city.name for city in response.context["page"].object_list]


@pytest.fixture
def dusseldorf(db):
    return CityFactory(name="Düsseldorf", slug="dusseldorf", population=620_523)


def test_it_has_the_search_extensions_and_the_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        extensions = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'cities_city'")
        indexes = " ".join(row[0] for row in cursor.fetchall())
    assert {"unaccent", "pg_trgm"} <= extensions
    assert "gin_trgm_ops" in indexes


@pytest.mark.parametrize("typo", ["dusseldrof", "duseldorf", "dusseldorff"])
def test_it_forgives_typos(client, dusseldorf, typo):
    CityFactory(name="Dortmund", slug="dortmund", population=590_000)
    assert names(client, q=typo) == ["Düsseldorf"]


def test_it_shows_no_fuzzy_matches_when_a_name_matches_whatever_their_size(client, dusseldorf):
    CityFactory(name="Dusseldorp", slug="dusseldorp", population=9_000_000)
    assert names(client, q="dusseldorf") == ["Düsseldorf"]


def test_it_ranks_the_closest_name_first_among_prefix_matches(client):
    CityFactory(name="São Paulo de Olivença", slug="olivenca", population=30_000)
    CityFactory(name="São Paulo", slug="sao-paulo", population=10_000_000)
    CityFactory(name="São Paulo do Potengi", slug="potengi", population=17_000)
    assert names(client, q="Sao Paulo")[0] == "São Paulo"


def test_it_does_not_fuzz_very_short_queries(client, dusseldorf):
    CityFactory(name="Ulm", slug="ulm", population=126_000)
    assert names(client, q="ulm") == ["Ulm"]
    assert names(client, q="ulx") == []


def test_it_combines_search_with_filters(client, dusseldorf):
    CityFactory(name="Düsseldorf", slug="dusseldorf-us", country="US", population=1_000)
    assert names(client, q="duesseldorf", country="US") == ["Düsseldorf"]
    assert names(client, q="dusseldrof", country="DE") == ["Düsseldorf"]
