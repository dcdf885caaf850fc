"""Garbage in the directory's parameters: a 200 with a visible error or an empty result,
never a 500, and nothing echoed unescaped."""

import pytest
from django.urls import reverse

from .factories import CityFactory

LIST = reverse("cities:list")

pytestmark = pytest.mark.django_db


@pytest.fixture
def cities(db):
    CityFactory(name="Düsseldorf", slug="dusseldorf", population=620_000)
    CityFactory(name="Essen", slug="essen", population=580_000)


def get(client, params):
    response = client.get(LIST, params)
    assert response.status_code == 200
    return response, response.content.decode()


def test_it_refuses_a_very_long_query_with_a_message(client, cities):
    response, content = get(client, {"q": "x" * 10_000})
    assert "Ensure this value has at most 200 characters" in content
    assert list(response.context["page"].object_list) == []


@pytest.mark.parametrize(
    "query", ["' OR 1=1 --", "'; DROP TABLE cities_city; --", '" OR ""="1', "%", "_", "\\"]
)
def test_it_treats_sql_metacharacters_as_text(client, cities, query):
    response, _content = get(client, {"q": query})
    assert list(response.context["page"].object_list) == []
    # The table is still there and whole.
    assert len(get(client, {})[0].context["page"].object_list) == 2


def test_it_never_echoes_markup_unescaped(client, cities):
    payload = '<script>alert("x")</script>'
    _response, content = get(client, {"q": payload, "country": payload, "sort": payload})
    assert "<script>alert" not in content
    assert "&lt;script&gt;" in content


def test_it_reports_an_unknown_country(client, cities):
    response, content = get(client, {"country": "XX"})
    assert "Select a valid choice" in content
    assert list(response.context["page"].object_list) == []


def test_it_uses_one_value_of_a_repeated_parameter_and_checks_it(client, cities):
    # The last value counts (as everywhere in Django); an unknown one is reported.
    _response, content = get(client, {"country": ["DE", "XX"]})
    assert "Select a valid choice" in content
    response, _content = get(client, {"country": ["XX", "DE"]})
    assert len(response.context["page"].object_list) == 2


@pytest.mark.parametrize("field", ["min_population", "max_population"])
def test_it_reports_a_negative_population(client, cities, field):
    _response, content = get(client, {field: "-1"})
    assert "Ensure this value is greater than or equal to 0" in content


@pytest.mark.parametrize("value", ["many", "1e999", "99999999999999999999999", "1.5"])
def test_it_reports_a_population_that_is_not_a_sensible_whole_number(client, cities, value):
    _response, content = get(client, {"min_population": value})
    assert "Some filters could not be used" in content


def test_it_reports_a_minimum_above_the_maximum(client, cities):
    _response, content = get(client, {"min_population": "500000", "max_population": "1000"})
    assert "must not be below the minimum" in content


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("continent", "XX"),
        ("population", "huge"),
        ("theme", "no-such-theme"),
        ("stance", "maybe"),
        ("organisation", "no-such-organisation"),
        ("sort", "-password"),
        ("view", "globe"),
    ],
)
def test_it_reports_unknown_choices(client, cities, name, value):
    response, content = get(client, {name: value})
    assert "Select a valid choice" in content
    assert not response.context["page"] or not list(response.context["page"].object_list)


def test_it_shows_the_first_page_for_a_page_that_is_not_a_number(client, cities):
    response, content = get(client, {"page": "abc"})
    assert len(response.context["page"].object_list) == 2
    assert "The page number must be a whole number." in content


@pytest.mark.parametrize("page", ["99999", "0", "-1", "99999999999999999999999999"])
def test_it_shows_an_empty_result_for_a_page_beyond_the_results(client, cities, page):
    response, content = get(client, {"page": page})
    assert response.context["page"] is None
    assert "There is no such page in these results." in content


@pytest.mark.parametrize("query", ["\x00", "a\x00b"])
def test_it_refuses_null_characters_with_a_message(client, cities, query):
    # PostgreSQL cannot compare a NUL; every URL refuses it (citydiplomacy/middleware.py).
    response = client.get(LIST, {"q": query})
    assert response.status_code == 400
    assert "contains a control character" in response.content.decode()


def test_it_refuses_other_methods(client, cities):
    assert client.post(LIST, {"q": "x"}).status_code == 405


def test_it_escapes_names_in_the_filter_choices(client, cities):
    from .factories import OrganisationFactory

    OrganisationFactory(name='<img src=x onerror="alert(1)">', slug="evil")
    _response, content = get(client, {"organisation": "evil"})
    assert "<img src=x" not in content
    assert '<option value="evil" selected>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;' in content
