"""Search that forgives, on every database: typos, "Did you mean …?", close spellings only
when nothing better matches, and the search box's suggestions."""

import pytest
from django.urls import reverse

from cities import fuzzy

from .factories import CityFactory

pytestmark = pytest.mark.django_db


def names(client, **params) -> list[str]:
    response = client.get(reverse("cities:list"), params)
    assert response.status_code == 200
    return [city.name for city in response.context["page"].object_list]


@pytest.fixture(autouse=True)
def fresh_index():
    fuzzy.clear_index()
    yield
    fuzzy.clear_index()


@pytest.fixture
def rhineland(db):
    """Cities whose alternate names trip a naive substring search for "Köln"."""
    return {
        "koeln": CityFactory(
            name="Köln",
            ascii_name="Koeln",
            alternate_names="Cologne,Colonia,Koeln",
            slug="koln",
            population=1_024_000,
        ),
        "dusseldorf": CityFactory(name="Düsseldorf", slug="dusseldorf", population=620_523),
        "stockholm": CityFactory(
            name="Stockholm",
            alternate_names="Stjokolna,Estocolmo",
            slug="stockholm",
            country="SE",
            population=1_515_000,
        ),
        "lincoln": CityFactory(
            name="Lincoln",
            alternate_names="Linkoln,Lin Koln",
            slug="lincoln",
            country="US",
            population=294_000,
        ),
        "lincoln-gb": CityFactory(
            name="Lincoln", alternate_names="Linkoln", slug="lincoln-gb", country="GB"
        ),
    }


def test_it_finds_koln_without_the_cities_whose_other_names_merely_contain_it(client, rhineland):
    assert names(client, q="Köln") == ["Köln"]
    assert names(client, q="koeln") == ["Köln"]


@pytest.mark.parametrize("typo", ["dusseldrof", "duseldorf", "dusseldorff", "Düseldorf"])
def test_it_forgives_a_typo_and_asks_did_you_mean(client, rhineland, typo):
    response = client.get(reverse("cities:list"), {"q": typo, "country": "DE"})

    assert [c.name for c in response.context["page"].object_list] == ["Düsseldorf"]
    assert response.context["search"].suggestion == "Düsseldorf"
    html = response.content.decode()
    assert "Did you mean" in html
    # The suggestion keeps the other filters.
    assert 'href="?q=D%C3%BCsseldorf&amp;country=DE"' in html


def test_it_shows_close_spellings_only_when_no_name_matches(client, rhineland):
    CityFactory(name="Dusseldorp", slug="dusseldorp", population=9_000_000)

    assert names(client, q="dusseldorf") == ["Düsseldorf"]
    response = client.get(reverse("cities:list"), {"q": "dusseldorf"})
    assert "Did you mean" not in response.content.decode()


def test_it_falls_back_to_names_containing_the_query_before_close_spellings(client, rhineland):
    assert names(client, q="seldorf") == ["Düsseldorf"]


def test_it_finds_a_later_word_of_a_citys_own_name(client):
    CityFactory(name="New York City", slug="nyc", population=8_800_000, country="US")
    CityFactory(name="York", slug="york", population=156_000, country="GB")

    assert names(client, q="york") == ["York", "New York City"]


def test_it_does_not_guess_for_very_short_queries(client, rhineland):
    CityFactory(name="Ulm", slug="ulm")

    assert names(client, q="ulmm") == ["Ulm"]  # four letters: one typo forgiven
    assert names(client, q="umm") == []  # three: nothing guessed


def test_it_says_nothing_matches_when_even_close_spellings_are_missing(client, rhineland):
    response = client.get(reverse("cities:list"), {"q": "qwertzuiop"})

    assert response.context["result_count"] == 0
    assert "Did you mean" not in response.content.decode()
    assert "No city matches these filters." in response.content.decode()


def test_close_spellings_obey_the_filters_and_visibility(client, rhineland):
    CityFactory(name="Dusseldorf Hidden", slug="hidden", is_published=False)

    assert names(client, q="dusseldrof", country="SE") == []
    assert names(client, q="dusseldrf hiden") == []


def test_the_index_learns_a_renamed_city(client, rhineland):
    assert names(client, q="dusseldrof") == ["Düsseldorf"]
    city = rhineland["stockholm"]
    city.name = "Gothenburg"
    city.alternate_names = ""
    city.save()

    assert names(client, q="gothenbrug") == ["Gothenburg"]


def test_map_and_export_use_the_same_tiers(client, rhineland):
    points = client.get(reverse("cities:map_data"), {"q": "Köln"}).json()["points"]
    rows = client.get(reverse("cities:export_csv"), {"q": "dusseldrof"})
    body = b"".join(rows.streaming_content).decode()

    assert [p[2] for p in points] == ["Köln"]
    assert "Düsseldorf" in body and "Stockholm" not in body


# --- the search box's suggestions -------------------------------------------------------------


def test_the_search_box_is_a_keyboard_combobox(client):
    html = client.get(reverse("cities:list")).content.decode()

    assert 'role="combobox"' in html
    assert 'aria-controls="city-suggestions"' in html
    assert 'role="listbox"' in html
    assert 'hx-trigger="input changed delay:250ms"' in html  # debounced
    assert "js/combobox.js" in html
    assert "<script>" not in html and "onkeydown" not in html


def test_it_suggests_cities_as_you_type(client, rhineland):
    response = client.get(reverse("cities:suggest"), {"q": "dus"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('role="option"') == 1
    assert 'data-href="/cities/dusseldorf/"' in html
    assert "Düsseldorf" in html and "Germany" in html


def test_suggestions_forgive_typos_too(client, rhineland):
    html = client.get(reverse("cities:suggest"), {"q": "dusseldrof"}).content.decode()

    assert "Düsseldorf" in html


@pytest.mark.parametrize("query", ["", "d", " ", "!!", "x" * 201])
def test_it_suggests_nothing_for_too_little_or_too_much(client, rhineland, query):
    response = client.get(reverse("cities:suggest"), {"q": query})

    assert response.status_code == 200
    assert 'role="option"' not in response.content.decode()


def test_it_never_suggests_a_city_the_public_may_not_see(client, rhineland, admin):
    CityFactory(name="Dushanbe Draft", slug="draft", is_published=False)
    client.force_login(admin)

    html = client.get(reverse("cities:suggest"), {"q": "dusha"}).content.decode()

    assert "Dushanbe Draft" not in html


def test_it_suggests_at_most_eight(client):
    for n in range(12):
        CityFactory(name=f"Springfield {n}", slug=f"springfield-{n}")

    html = client.get(reverse("cities:suggest"), {"q": "spring"}).content.decode()

    assert html.count('role="option"') == 8
