"""The city directory at /cities/: search in any spelling, filters, sorting, HTMX, map, CSV."""

import csv
import io

import pytest
from django.urls import reverse

from cities.choices import ContactVisibility
from cities.models import Theme, VerificationStatus
from cities.text import search_keys

from .factories import (
    ChallengeFactory,
    CityFactory,
    InitiativeFactory,
    MembershipFactory,
    OfficialFactory,
    OrganisationFactory,
)

LIST = reverse("cities:list")

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    """City names in the order the result list shows them."""
    return [city.name for city in response.context["page"].object_list]


def get(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200
    return response


@pytest.fixture
def dusseldorf(db):
    return CityFactory(
        name="Düsseldorf",
        ascii_name="Dusseldorf",
        alternate_names="Duesseldorf,Dusseldorp",
        slug="dusseldorf",
        country="DE",
        population=620_523,
    )


@pytest.fixture
def sao_paulo(db):
    return CityFactory(
        name="São Paulo",
        ascii_name="Sao Paulo",
        slug="sao-paulo",
        country="BR",
        continent="SA",
        population=10_021_295,
    )


# --- search ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Düsseldorf", "Dusseldorf", "duesseldorf", "DÜSSELDORF"])
def test_it_finds_dusseldorf_in_any_spelling(client, dusseldorf, query):
    CityFactory(name="Essen", slug="essen")
    assert names(get(client, q=query)) == ["Düsseldorf"]


def test_it_finds_sao_paulo_without_accents(client, sao_paulo):
    CityFactory(name="Recife", slug="recife-x")
    assert names(get(client, q="sao paulo")) == ["São Paulo"]


def test_it_lists_the_big_city_before_a_small_namesake(client, dusseldorf):
    CityFactory(name="Dusseldorf", slug="dusseldorf-us", country="US", population=1_200)
    CityFactory(name="Neu-Düsseldorf", slug="neu-dusseldorf", population=900_000)
    found = names(get(client, q="dusseldorf"))
    assert found[0] == "Düsseldorf"
    # A name that merely contains the query comes after both exact matches.
    assert found == ["Düsseldorf", "Dusseldorf", "Neu-Düsseldorf"]


def test_it_ranks_a_name_starting_with_the_query_before_one_containing_it(client):
    CityFactory(name="Port Berlin", slug="port-berlin", population=5_000_000)
    CityFactory(name="Berlingen", slug="berlingen", population=20_000)
    assert names(get(client, q="berlin")) == ["Berlingen", "Port Berlin"]


def test_it_finds_a_city_by_an_alternate_name(client, dusseldorf):
    assert names(get(client, q="dusseldorp")) == ["Düsseldorf"]


def test_it_keeps_search_keys_of_a_renamed_city_current(client):
    city = CityFactory(name="Old Name", slug="renamed")
    city.name = "Čačak"
    city.save()
    assert city.search_names == "|".join(search_keys("Čačak", "Old Name"))
    assert names(get(client, q="cacak")) == ["Čačak"]


def test_it_shows_nothing_for_a_query_without_letters_or_digits(client, dusseldorf):
    response = get(client, q="%%% ___")
    assert names(response) == []
    assert "No city matches these filters." in response.content.decode()


def test_it_sorts_search_results_by_name_when_asked(client):
    CityFactory(name="Santa Zeta", slug="sz", population=9_000_000)
    CityFactory(name="Santa Ana", slug="sa", population=10_000)
    assert names(get(client, q="santa", sort="name")) == ["Santa Ana", "Santa Zeta"]


# --- filters --------------------------------------------------------------------------------


def test_it_lists_only_published_cities(client):
    CityFactory(name="Visible", slug="visible")
    CityFactory(name="Draft", slug="draft", is_published=False)
    assert names(get(client)) == ["Visible"]


def test_it_filters_by_country(client, dusseldorf, sao_paulo):
    assert names(get(client, country="BR")) == ["São Paulo"]


def test_it_filters_by_continent(client, dusseldorf, sao_paulo):
    assert names(get(client, continent="EU")) == ["Düsseldorf"]


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        ("lt50k", ["Village"]),
        ("50k-250k", ["Town"]),
        ("250k-1m", ["City"]),
        ("1m-5m", ["Metropolis"]),
        ("gt5m", ["Megacity"]),
    ],
)
def test_it_filters_by_population_band(client, band, expected):
    for name, population in [
        ("Village", 49_999),
        ("Town", 50_000),
        ("City", 250_000),
        ("Metropolis", 1_000_000),
        ("Megacity", 5_000_000),
    ]:
        CityFactory(name=name, slug=name.lower(), population=population)
    assert names(get(client, population=band)) == expected


def test_it_filters_by_minimum_and_maximum_population(client):
    for name, population in [("Small", 10_000), ("Middle", 100_000), ("Large", 1_000_000)]:
        CityFactory(name=name, slug=name.lower(), population=population)
    assert names(get(client, min_population=50_000, max_population=200_000)) == ["Middle"]


def test_it_filters_by_theme_including_its_sub_themes(client):
    adaptation = Theme.objects.get(slug="climate-adaptation")
    flooding = Theme.objects.get(slug="flooding")
    ChallengeFactory(city=CityFactory(name="Floodtown", slug="ft"), theme=flooding)
    ChallengeFactory(city=CityFactory(name="Heatville", slug="hv"), theme=adaptation)
    ChallengeFactory(
        city=CityFactory(name="Busville", slug="bv"), theme=Theme.objects.get(slug="mobility")
    )
    assert sorted(names(get(client, theme="climate-adaptation"))) == ["Floodtown", "Heatville"]
    assert names(get(client, theme="flooding")) == ["Floodtown"]


def test_it_filters_by_theme_and_stance(client):
    funding = Theme.objects.get(slug="municipal-finance")
    ChallengeFactory(
        city=CityFactory(name="Seeker", slug="seeker"),
        theme=funding,
        seeks_help=True,
        offers_expertise=False,
    )
    ChallengeFactory(
        city=CityFactory(name="Expert", slug="expert"),
        theme=funding,
        seeks_help=False,
        offers_expertise=True,
    )
    assert names(get(client, theme="municipal-finance", stance="seeks")) == ["Seeker"]
    assert names(get(client, theme="municipal-finance", stance="offers")) == ["Expert"]
    assert sorted(names(get(client, theme="municipal-finance"))) == ["Expert", "Seeker"]
    # A stance alone means: on any theme.
    assert names(get(client, stance="offers")) == ["Expert"]


def test_it_filters_cities_open_to_partnerships(client):
    CityFactory(name="Open", slug="open", open_to_partnerships=True)
    CityFactory(name="Closed", slug="closed", open_to_partnerships=False)
    assert names(get(client, open="on")) == ["Open"]
    assert sorted(names(get(client))) == ["Closed", "Open"]


def test_it_filters_verified_cities(client):
    from django.utils import timezone

    CityFactory(
        name="Checked",
        slug="checked",
        verification_status=VerificationStatus.VERIFIED,
        verified_at=timezone.now(),
    )
    CityFactory(name="Unchecked", slug="unchecked")
    assert names(get(client, verified="on")) == ["Checked"]


def test_it_filters_cities_with_initiatives(client):
    InitiativeFactory(city=CityFactory(name="Active", slug="active"))
    CityFactory(name="Quiet", slug="quiet")
    assert names(get(client, has_initiatives="on")) == ["Active"]


def test_it_filters_members_of_an_organisation(client):
    network = OrganisationFactory(slug="sample-city-network")
    MembershipFactory(organisation=network, city=CityFactory(name="Member", slug="member"))
    MembershipFactory(city=CityFactory(name="Elsewhere", slug="elsewhere"))
    assert names(get(client, organisation="sample-city-network")) == ["Member"]


def test_it_combines_filters(client):
    theme = Theme.objects.get(slug="structural-change")
    wanted = CityFactory(name="Essen", slug="essen", population=580_000, open_to_partnerships=True)
    ChallengeFactory(city=wanted, theme=theme, seeks_help=False, offers_expertise=True)
    # Each of these fails exactly one of the conditions.
    ChallengeFactory(
        city=CityFactory(name="Closed Essen", slug="c", population=580_000),
        theme=theme,
        offers_expertise=True,
    )
    ChallengeFactory(
        city=CityFactory(name="Small", slug="s", population=20_000, open_to_partnerships=True),
        theme=theme,
        offers_expertise=True,
    )
    ChallengeFactory(
        city=CityFactory(name="French", slug="f", country="FR", open_to_partnerships=True),
        theme=theme,
        offers_expertise=True,
    )
    response = get(
        client,
        country="DE",
        population="250k-1m",
        theme="economic-development",
        stance="offers",
        open="on",
    )
    assert names(response) == ["Essen"]


# --- sorting, paging, count -----------------------------------------------------------------


def test_it_sorts_by_population_by_default_and_by_name_or_update_on_request(client):
    a = CityFactory(name="Alpha", slug="alpha", population=100)
    CityFactory(name="Beta", slug="beta", population=300)
    CityFactory(name="Gamma", slug="gamma", population=200)
    assert names(get(client)) == ["Beta", "Gamma", "Alpha"]
    assert names(get(client, sort="population")) == ["Beta", "Gamma", "Alpha"]
    assert names(get(client, sort="name")) == ["Alpha", "Beta", "Gamma"]
    a.summary = "Changed"
    a.save()
    assert names(get(client, sort="updated"))[0] == "Alpha"


def test_it_pages_results_and_shows_the_count(client):
    CityFactory.create_batch(27)
    first = get(client)
    assert len(names(first)) == 25
    assert "27 cities" in first.content.decode()
    assert len(names(get(client, page=2))) == 2


def test_it_keeps_the_filters_in_the_page_links(client):
    CityFactory.create_batch(30, country="FR")
    content = get(client, country="FR").content.decode()
    assert "?country=FR&amp;page=2" in content


# --- HTMX -----------------------------------------------------------------------------------


def test_it_answers_an_htmx_request_with_the_results_only(client, dusseldorf):
    partial = client.get(LIST, {"q": "dusseldorf"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    content = partial.content.decode()
    assert "<html" not in content
    assert "Düsseldorf" in content
    assert "1 city" in content
    assert "HX-Request" in partial["Vary"]
    full = get(client, q="dusseldorf").content.decode()
    assert "<html" in full
    assert 'hx-push-url="true"' in full  # the address bar follows the filters


def test_it_answers_an_htmx_history_restore_with_the_whole_page(client, dusseldorf):
    response = client.get(
        LIST, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_it_works_without_javascript_as_a_plain_get_form(client):
    content = get(client).content.decode()
    assert 'method="get"' in content
    assert f'action="{LIST}"' in content


# --- labels ---------------------------------------------------------------------------------


def test_it_labels_sample_profiles_in_the_list(client):
    CityFactory(name="Kafue", slug="kafue", is_sample=True)
    CityFactory(name="Lusaka", slug="lusaka", is_sample=False, population=1)
    content = get(client).content.decode()
    assert content.count("Sample profile") == 1


# --- map ------------------------------------------------------------------------------------


def test_it_gives_the_map_the_filtered_points(client, dusseldorf, sao_paulo):
    response = client.get(reverse("cities:map_data"), {"country": "DE"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert data["truncated"] is False
    lat, lon, name, slug = data["points"][0]
    assert (name, slug) == ("Düsseldorf", "dusseldorf")
    assert (lat, lon) == (pytest.approx(dusseldorf.latitude), pytest.approx(dusseldorf.longitude))


def test_it_caps_the_map_points_and_says_so(client, monkeypatch):
    from cities import selectors

    monkeypatch.setattr(selectors, "MAP_POINTS_MAX", 3)
    CityFactory.create_batch(5)
    CityFactory(name="Nowhere", slug="nowhere", latitude=None, longitude=None)
    data = client.get(reverse("cities:map_data")).json()
    assert len(data["points"]) == 3
    assert data["truncated"] is True
    assert data["count"] == 5  # located cities only


def test_it_refuses_invalid_map_filters_with_a_message(client):
    response = client.get(reverse("cities:map_data"), {"country": "XX"})
    assert response.status_code == 400
    assert "country" in response.json()["errors"]


def test_it_shows_the_map_view_with_the_same_filters(client, dusseldorf):
    content = get(client, view="map", country="DE").content.decode()
    assert "data-city-map" in content
    assert f"{reverse('cities:map_data')}?country=DE" in content
    assert "vendor/leaflet/leaflet.js" in content


# --- CSV export -----------------------------------------------------------------------------


def export(client, **params):
    response = client.get(reverse("cities:export_csv"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body))), body


def test_it_exports_the_filtered_cities_as_csv(client, dusseldorf, sao_paulo):
    ChallengeFactory(
        city=dusseldorf,
        theme=Theme.objects.get(slug="structural-change"),
        seeks_help=False,
        offers_expertise=True,
    )
    rows, _body = export(client, country="DE")
    assert [row["name"] for row in rows] == ["Düsseldorf"]
    row = rows[0]
    assert row["population"] == "620523"
    assert row["themes_offering_expertise"] == "Structural change (post-industrial transition)"
    assert row["profile_url"].endswith("/cities/dusseldorf/")


def test_it_never_exports_officials_contact_details(client, dusseldorf):
    OfficialFactory(
        city=dusseldorf,
        email="public.official@city.example",
        phone="+49 211 000000",
        contact_visibility=ContactVisibility.PUBLIC,
    )
    OfficialFactory(
        city=dusseldorf, email="secret@city.example", contact_visibility=ContactVisibility.HIDDEN
    )
    rows, body = export(client)
    assert "@city.example" not in body
    assert "+49 211" not in body
    assert not {"email", "phone", "officials"} & set(rows[0])


def test_it_defuses_spreadsheet_formulas_in_exported_text(client):
    CityFactory(name='=HYPERLINK("http://evil.example")', slug="evil", region="+SUM(A1)")
    rows, _body = export(client)
    assert rows[0]["name"].startswith("'=HYPERLINK")
    assert rows[0]["region"] == "'+SUM(A1)"
    # Numbers are numbers, not text: a negative longitude keeps its sign.
    assert rows[0]["longitude"] == "6.8"


def test_it_refuses_an_export_with_invalid_filters(client):
    response = client.get(reverse("cities:export_csv"), {"min_population": "-5"})
    assert response.status_code == 400
    assert "min_population" in response.content.decode()


# --- query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 25])
def test_it_lists_cities_in_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, size
):
    theme = Theme.objects.get(slug="housing")
    for city in CityFactory.create_batch(size):
        ChallengeFactory(city=city, theme=theme)
    with django_assert_max_num_queries(6):
        response = client.get(LIST, {"theme": "housing"})
    assert len(names(response)) == size


@pytest.mark.parametrize("size", [3, 40])
def test_it_exports_in_a_bounded_number_of_queries(client, django_assert_max_num_queries, size):
    for city in CityFactory.create_batch(size):
        ChallengeFactory(city=city)
    with django_assert_max_num_queries(4):
        rows, _body = export(client)
    assert len(rows) == size
