# ruff: noqa: F811 - pytest fixtures imported from matching_world are used as arguments
"""Every page that lists partners, suggestions, twins or search results asks the same
predicates: ``cities.permissions.cities_visible_to`` for cities and
``partnerships.permissions.partnerships_visible_to`` for partnerships. Each is tried with an
unpublished city and a proposed partnership, as an anonymous visitor would meet them.

The world (matching_world): Düsseldorf (published) has a *proposed* partnership with Toulouse
and an active one with "Hidden", an unpublished city that is as close to Düsseldorf as a city
can be.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cities.curation.services import city_publish
from cities.models import OutboxEmail
from partnerships.matching import services as matching
from partnerships.models import MatchSuggestion, PartnershipStatus
from partnerships.services import digest_send_weekly

from ..cities.factories import CityStaffFactory, CuratorFactory, MembershipFactory, UserFactory
from .factories import PartnershipFactory
from .matching_world import _fresh_snapshot, world  # noqa: F401


@pytest.fixture
def secrets(world):
    """A proposed partnership Düsseldorf–Toulouse and an active one with the unpublished city."""
    PartnershipFactory(
        first=world["dusseldorf"], second=world["toulouse"], status=PartnershipStatus.PROPOSED
    )
    PartnershipFactory(first=world["dusseldorf"], second=world["hidden"])
    return world


def matches(client, slug="dusseldorf", **extra):
    params = {"applied": "1", "shared": 35, "expertise": 30, "climate": 20, "context": 15}
    params.update({"exclude_partners": "on", "top": 20, **extra})
    return client.get(reverse("partnerships:matches", kwargs={"slug": slug}), params)


def existing_partners(html: str) -> str:
    return html.split('id="existing-partners"', 1)[1]


def suggested(html: str) -> str:
    return html.split('id="existing-partners"', 1)[0]


# --- /cities/<slug>/matches/ ----------------------------------------------------------------


def test_the_matches_page_hides_proposed_partnerships_and_unpublished_partners(client, secrets):
    response = matches(client)

    partners = existing_partners(response.content.decode())
    assert "Toulouse" not in partners  # proposed: only the two cities know of it
    assert "Hidden" not in partners  # the partner's profile is unpublished
    assert "No partnerships recorded yet." in partners


def test_the_matches_page_shows_a_signed_in_outsider_no_more(client, secrets):
    client.force_login(UserFactory())

    partners = existing_partners(matches(client).content.decode())

    assert "Toulouse" not in partners and "Hidden" not in partners


def test_the_matches_page_shows_the_citys_own_staff_every_partner(client, secrets):
    client.force_login(CityStaffFactory(city=secrets["dusseldorf"]).user)

    partners = existing_partners(matches(client).content.decode())

    assert "Toulouse" in partners and "Proposed" in partners
    assert "Hidden" in partners


def test_a_proposed_partnership_does_not_leave_a_gap_in_the_publics_suggestions(client, secrets):
    """Leaving Toulouse out of "hide existing partners" would tell the public it is one."""
    html = suggested(matches(client).content.decode())

    assert "Toulouse" in html
    assert "Hidden" not in html


def test_the_matches_page_leaves_out_a_proposed_partner_for_the_citys_own_staff(client, secrets):
    client.force_login(CityStaffFactory(city=secrets["dusseldorf"]).user)

    assert "Toulouse" not in suggested(matches(client).content.decode())


def test_a_city_unpublished_a_moment_ago_is_no_longer_suggested(client, world):
    essen = world["essen"]
    assert "Essen" in suggested(matches(client).content.decode())  # the snapshot knows Essen

    city_publish(city=essen, published=False)

    assert "Essen" not in suggested(matches(client).content.decode())
    assert "Essen" not in suggested(matches(client, country="DE").content.decode())


# --- the profile: partnerships and suggestions sections --------------------------------------


def render_partnerships_section(city, user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template('{% include "partnerships/_city_partnerships.html" %}')
    return template.render(Context({"city": city, "request": request, "user": user}))


def test_the_profiles_partnerships_section_hides_both(secrets):
    html = render_partnerships_section(secrets["dusseldorf"], AnonymousUser())

    assert "Toulouse" not in html and "Hidden" not in html


def test_the_profiles_suggestions_leave_out_an_unpublished_city(client, world):
    matching.matches_refresh_city(city_id=world["dusseldorf"].pk)
    city_publish(city=world["essen"], published=False)
    # A row stored while Essen was published, and one pointing at the unpublished city.
    assert MatchSuggestion.objects.filter(suggested_city=world["essen"]).exists()
    MatchSuggestion.objects.filter(city=world["dusseldorf"], rank=1).update(
        suggested_city=world["hidden"]
    )

    html = client.get(reverse("cities:detail", kwargs={"slug": "dusseldorf"})).content.decode()

    section = html.split('id="suggestions"', 1)[1].split("</section>", 1)[0]
    assert "Hidden" not in section and "Essen" not in section


def test_stored_suggestions_do_not_reveal_a_proposed_partnership(secrets):
    matching.matches_refresh_city(city_id=secrets["dusseldorf"].pk)

    stored = {
        s.suggested_city.slug for s in MatchSuggestion.objects.for_city(secrets["dusseldorf"])
    }
    assert "toulouse" in stored  # as if the proposal did not exist: the public cannot see it
    assert "hidden" not in stored


# --- climate twins ---------------------------------------------------------------------------


def test_climate_twins_leave_out_an_unpublished_city(client, world):
    html = client.get(reverse("cities:climate", kwargs={"slug": "dusseldorf"})).content.decode()

    assert "Essen" in html  # 30 km away: a twin in both directions
    assert reverse("cities:detail", args=["hidden"]) not in html


def test_climate_twins_show_the_citys_curator_their_own_unpublished_city(client, world):
    role = CuratorFactory()
    MembershipFactory(organisation=role.organisation, city=world["hidden"])
    client.force_login(role.user)

    html = client.get(reverse("cities:climate", kwargs={"slug": "dusseldorf"})).content.decode()

    assert reverse("cities:detail", args=["hidden"]) in html


# --- the directory: search, map, export ------------------------------------------------------


@pytest.mark.parametrize("name", ["cities:list", "cities:map_data", "cities:export_csv"])
def test_the_directory_never_lists_an_unpublished_city(client, world, name):
    for query in ({"q": "hidden"}, {"country": "DE"}, {}):
        response = client.get(reverse(name), query)
        body = b"".join(response.streaming_content) if response.streaming else response.content

        assert response.status_code == 200
        assert b"Hidden" not in body and b"/cities/hidden/" not in body


# --- the weekly digest ------------------------------------------------------------------------


def test_the_digest_leaves_out_an_unpublished_city(world):
    dusseldorf = world["dusseldorf"]
    staff = CityStaffFactory(city=dusseldorf, user=UserFactory(email="staff@dus.example")).user
    matching.matches_refresh_city(city_id=dusseldorf.pk)
    MatchSuggestion.objects.filter(city=dusseldorf, rank=1).update(suggested_city=world["hidden"])
    city_publish(city=world["essen"], published=False)

    assert digest_send_weekly(now=timezone.now() + datetime.timedelta(minutes=1)) == 1

    body = OutboxEmail.objects.get(to_email=staff.email).body_text
    assert "Tunis" in body
    assert "Hidden" not in body and "Essen" not in body


# --- the predicate itself --------------------------------------------------------------------


def test_the_predicate_answers_like_the_profile_page(world):
    from cities.permissions import cities_visible_to

    hidden = world["hidden"]
    staff = CityStaffFactory(city=hidden).user
    role = CuratorFactory()
    MembershipFactory(organisation=role.organisation, city=hidden)
    curator = role.user
    admin = UserFactory(is_superuser=True)

    for user, sees in [
        (AnonymousUser(), False),
        (UserFactory(), False),
        (staff, True),
        (curator, True),
        (admin, True),
    ]:
        assert cities_visible_to(user).filter(pk=hidden.pk).exists() is sees
        assert cities_visible_to(user).filter(pk=world["essen"].pk).exists()
