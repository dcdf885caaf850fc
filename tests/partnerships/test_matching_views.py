# ruff: noqa: F811 - pytest fixtures imported from matching_world are used as arguments
"""The matches page and the profile's suggestions section, as visitors and staff see them."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from partnerships.matching import services
from partnerships.models import MatchSuggestion

from ..cities.factories import CityStaffFactory, UserFactory
from .factories import PartnershipFactory
from .matching_world import _fresh_snapshot, world  # noqa: F401


def url(slug="dusseldorf", **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("partnerships:matches", kwargs={"slug": slug}) + (f"?{query}" if query else "")


def applied(**overrides):
    params = {"applied": "1", "shared": 35, "expertise": 30, "climate": 20, "context": 15}
    params["exclude_partners"] = "on"
    params.update(overrides)
    return {k: v for k, v in params.items() if v is not None}


def test_it_shows_anyone_the_suggestions_with_score_bars_and_reasons(client, world):
    response = client.get(url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="score-bar"' in html
    assert "Toulouse offers expertise in heat; Düsseldorf seeks help with it" in html
    assert 'type="range"' in html
    assert "Request partnership" not in html  # visitors cannot send requests


def test_it_is_a_404_for_an_unknown_or_unpublished_city(client, world):
    assert client.get(url("atlantis")).status_code == 404
    assert client.get(url("hidden")).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"shared": -5}, "greater than or equal to 0"),
        ({"shared": "lots"}, "Enter a number"),
        ({"shared": 0, "expertise": 0, "climate": 0, "context": 0}, "At least one weight"),
        ({"country": "XX"}, "Select a valid choice"),
        ({"top": 7}, "Select a valid choice"),
    ],
)
def test_it_shows_a_form_error_for_bad_weights_or_filters(client, world, overrides, message):
    response = client.get(url(**applied(**overrides)))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Toulouse offers expertise" not in html


def test_it_filters_by_country_region_and_openness(client, world):
    html = client.get(url(**applied(country="FR"))).content.decode()
    assert "Toulouse" in html and "Essen" not in html
    html = client.get(url(**applied(continent="AF"))).content.decode()
    assert "Tunis" in html and "Toulouse</a>" not in html
    html = client.get(url(**applied(open_only="on"))).content.decode()
    assert "Toulouse</a>" in html and "Essen</a>" not in html


def test_it_lists_existing_partners_separately_and_can_include_them(client, world):
    PartnershipFactory(first=world["dusseldorf"], second=world["toulouse"])
    response = client.get(url())
    suggested = [s.city.slug for s in response.context["result"].suggestions]
    assert "toulouse" not in suggested
    assert [other.slug for _p, other in response.context["partnerships"]] == ["toulouse"]
    response = client.get(url(**applied(exclude_partners=None)))
    assert "toulouse" in [s.city.slug for s in response.context["result"].suggestions]


def test_it_lets_staff_request_a_partnership_with_a_suggested_city(client, world):
    staff = CityStaffFactory(
        user=UserFactory(username="staff_dusseldorf"), city=world["dusseldorf"]
    )
    client.force_login(staff.user)
    html = client.get(url()).content.decode()
    target = reverse("partnerships:request_new") + "?from=dusseldorf&amp;to=toulouse"
    assert target in html


def test_it_weights_components_as_the_user_asks(client, world):
    response = client.get(url(**applied(shared=0, expertise=0, climate=100, context=0)))
    result = response.context["result"]
    assert result.weights["climate"] == pytest.approx(1)
    assert result.suggestions[0].city.slug == "essen"


def test_it_runs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    PartnershipFactory(first=world["dusseldorf"], second=world["tunis"])
    services.suggestions_for_city(world["dusseldorf"])  # the feature snapshot is warm
    with django_assert_max_num_queries(8):
        assert client.get(url(**applied(country="FR", top=50))).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(url("essen")).status_code == 200


def test_it_shows_the_top_stored_suggestions_on_the_profile(world, django_assert_num_queries):
    services.matches_refresh_city(city_id=world["dusseldorf"].pk)
    context = {"city": world["dusseldorf"]}
    # The first rendering in a process also reads the theme names the reasons are worded
    # with (cities.taxonomy.theme_names); every later one costs the suggestions' query alone.
    with django_assert_num_queries(2):
        render_to_string("partnerships/_city_suggestions.html", context)
    with django_assert_num_queries(1):
        html = render_to_string("partnerships/_city_suggestions.html", context)
    stored = MatchSuggestion.objects.for_city(world["dusseldorf"])
    assert stored.count() == 4
    for suggestion in stored:
        assert suggestion.suggested_city.name in html
    assert 'class="score-bar"' in html
    assert url() in html


def test_the_profile_lists_the_matches_pages_suggestions_when_none_are_stored(client, world):
    """A city without stored rows (nothing to match on, or not yet recomputed) used to say
    "no stored suggestions" while its matches page listed some: both now rank the same way."""
    essen = world["essen"]
    assert not MatchSuggestion.objects.filter(city=essen).exists()

    profile = client.get(reverse("cities:detail", args=["essen"])).content.decode()
    matches = client.get(url("essen")).content.decode()

    assert "No stored suggestions" not in profile
    on_the_fly = services.suggestions_for_city(essen, top=5)
    assert on_the_fly
    section = profile[profile.index('id="suggestions"') :]
    for suggestion in on_the_fly:
        assert suggestion.city.name in section
        assert suggestion.city.name in matches
