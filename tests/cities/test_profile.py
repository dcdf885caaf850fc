"""The city profile at /cities/<slug>/: facts, badges, officials' contact details by
visibility, challenges by stance, initiatives, organisations, hooks, and bounded queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cities.choices import ContactVisibility, Priority
from cities.models import InitiativeStatus, Theme, VerificationStatus

from .factories import (
    ChallengeFactory,
    CityFactory,
    InitiativeFactory,
    MembershipFactory,
    OfficialFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def profile(client, city):
    response = client.get(reverse("cities:detail", kwargs={"slug": city.slug}))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def officials(kafue):
    return {
        level: OfficialFactory(
            city=kafue,
            name=f"Officer ({level})",
            email=f"{level}.contact@kafue.example",
            phone=f"+260 {len(level)}00 000",
            contact_visibility=level,
        )
        for level in (
            ContactVisibility.PUBLIC,
            ContactVisibility.MEMBERS,
            ContactVisibility.HIDDEN,
        )
    }


def test_it_shows_a_404_page_for_an_unknown_city(client, db):
    response = client.get(reverse("cities:detail", kwargs={"slug": "atlantis"}))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_it_hides_an_unpublished_city_from_visitors_but_not_from_its_staff(
    client, kafue, staff_kafue, member
):
    kafue.is_published = False
    kafue.save()
    url = reverse("cities:detail", kwargs={"slug": "kafue"})
    assert client.get(url).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code == 404
    client.force_login(staff_kafue)
    assert client.get(url).status_code == 200


def test_it_shows_the_key_facts(client, kafue):
    kafue.region = "Lusaka Province"
    kafue.population_source = "GeoNames"
    kafue.population_year = 2023
    kafue.timezone = "Africa/Lusaka"
    kafue.website = "https://kafue.example/"
    kafue.geonames_id = 909_299
    kafue.working_languages = ["en", "ny"]
    kafue.summary = "A town on the Kafue river."
    kafue.save()
    content = profile(client, kafue)
    for text in [
        "Zambia",
        "Lusaka Province",
        "71,000",
        "GeoNames, 2023",
        "-15.7700, 28.1800",
        "Africa/Lusaka",
        "English",
        "https://kafue.example/",
        "geonames.org/909299",
        "A town on the Kafue river.",
    ]:
        assert text in content, text


def test_it_labels_a_sample_profile(client, kafue):
    kafue.is_sample = True
    kafue.save()
    assert "Sample profile" in profile(client, kafue)


def test_it_does_not_label_an_imported_city_as_sample(client, recife):
    assert "Sample profile" not in profile(client, recife)


def test_it_says_who_verified_the_city_and_when(client, kafue, dst):
    kafue.verification_status = VerificationStatus.VERIFIED
    kafue.verified_by = dst
    kafue.verified_at = timezone.make_aware(dt.datetime(2026, 3, 14, 12))
    kafue.save()
    assert "Verified by Sample Association of Cities on March 14, 2026" in profile(client, kafue)


def test_it_shows_what_an_open_city_looks_for(client, kafue):
    kafue.open_to_partnerships = True
    kafue.partnership_kinds_sought = ["climate", "peer_learning"]
    kafue.looking_for = "A partner with experience in flood-plain management."
    kafue.save()
    content = profile(client, kafue)
    assert "Open to partnerships" in content
    assert "Climate partnership, Peer-learning exchange" in content
    assert "flood-plain management" in content


# --- officials ------------------------------------------------------------------------------


def test_it_shows_a_visitor_only_public_contact_details(client, officials):
    content = profile(client, officials["public"].city)
    assert "public.contact@kafue.example" in content
    assert "members.contact@kafue.example" not in content
    assert "hidden.contact@kafue.example" not in content
    assert "+260 500 000" not in content  # the members' phone
    # The officials themselves are listed, with a hint how to see more.
    assert "Officer (members)" in content and "Officer (hidden)" in content
    assert "Visible to signed-in members" in content
    assert "Sign in</a> to see the contact details" in content


def test_it_shows_a_signed_in_member_public_and_members_contacts(client, officials, member):
    client.force_login(member)
    content = profile(client, officials["public"].city)
    assert "public.contact@kafue.example" in content
    assert "members.contact@kafue.example" in content
    assert "+260 700 000" in content
    assert "hidden.contact@kafue.example" not in content


def test_it_shows_the_city_staff_even_hidden_contacts(client, officials, staff_kafue):
    client.force_login(staff_kafue)
    assert "hidden.contact@kafue.example" in profile(client, officials["public"].city)


def test_it_shows_the_curator_of_the_citys_organisation_hidden_contacts(
    client, officials, curator_dst
):
    client.force_login(curator_dst)
    assert "hidden.contact@kafue.example" in profile(client, officials["public"].city)


def test_it_does_not_show_hidden_contacts_to_staff_of_another_city(client, officials, staff_recife):
    client.force_login(staff_recife)
    content = profile(client, officials["public"].city)
    assert "members.contact@kafue.example" in content
    assert "hidden.contact@kafue.example" not in content


# --- challenges, initiatives, organisations -------------------------------------------------


def test_it_groups_challenges_by_stance_with_their_priority(client, kafue):
    ChallengeFactory(
        city=kafue,
        theme=Theme.objects.get(slug="flooding"),
        priority=Priority.HIGH,
        seeks_help=True,
        offers_expertise=False,
        description="River floods every rainy season.",
    )
    ChallengeFactory(
        city=kafue,
        theme=Theme.objects.get(slug="food-security"),
        priority=Priority.LOW,
        seeks_help=False,
        offers_expertise=True,
    )
    content = profile(client, kafue)
    seeks, offers = content.split("Offers expertise</span></h3>", 1)
    seeks = seeks.split("Seeks help</span></h3>", 1)[1]
    assert "Climate adaptation › Flooding" in seeks and "High priority" in seeks
    assert "River floods every rainy season." in seeks
    assert "Food security" in offers and "Low priority" in offers
    assert "Food security" not in seeks


def test_it_shows_initiatives_with_their_details(client, kafue, recife):
    initiative = InitiativeFactory(
        city=kafue,
        title="Flood early warning",
        status=InitiativeStatus.COMPLETED,
        start_date=dt.date(2022, 1, 1),
        end_date=dt.date(2024, 6, 30),
        budget=Decimal("1250000"),
        budget_currency="ZMW",
        funding_sources="Municipal budget and a sample grant",
        results="Warnings reach 20,000 households.",
        lessons_learned="Involve ward committees early.",
    )
    initiative.partner_cities.add(recife)
    initiative.themes.add(Theme.objects.get(slug="flooding"))
    content = profile(client, kafue)
    for text in [
        "Flood early warning",
        "Completed",
        "Jan 2022 – Jun 2024",
        "1,250,000 ZMW",
        "Municipal budget and a sample grant",
        "Warnings reach 20,000 households.",
        "Involve ward committees early.",
        f'href="{recife.get_absolute_url()}">Recife</a>',
    ]:
        assert text in content, text


def test_it_lists_the_organisations_the_city_belongs_to(client, kafue, dst):
    assert "Sample Association of Cities" in profile(client, kafue)


def test_it_includes_the_location_map_and_the_hook_sections(client, kafue):
    content = profile(client, kafue)
    assert 'data-lat="-15.770000"' in content
    assert "vendor/leaflet/leaflet.js" in content
    for section_id in ('id="climate"', 'id="partnerships"', 'id="suggestions"'):
        assert section_id in content


# --- query counts ---------------------------------------------------------------------------


def _fill(city, first, last):
    """Give ``city`` officials, challenges, initiatives and memberships numbered first..last."""
    themes = list(Theme.objects.order_by("pk")[first:last])
    for index, theme in enumerate(themes, start=first):
        OfficialFactory(city=city, contact_visibility=list(ContactVisibility)[index % 3])
        ChallengeFactory(city=city, theme=theme, offers_expertise=index % 2 == 0)
        initiative = InitiativeFactory(city=city)
        initiative.themes.add(theme)
        initiative.partner_cities.add(CityFactory())
        MembershipFactory(city=city, organisation=OrganisationFactory())


def _queries_for_profile(client, city) -> int:
    # A city without stored suggestions is ranked on the fly (its matches page's ranking);
    # the first view after a change rebuilds the matching snapshot. Count a warm view.
    profile(client, city)
    with CaptureQueriesContext(connection) as captured:
        profile(client, city)
    return len(captured)


# The whole page, hook sections and header included: the profile itself takes 7 queries
# (city, officials, challenges, initiatives, their themes and partner cities, memberships);
# the rest is the session, the user menu and the sections of other parts of the portal.
PROFILE_MAX_QUERIES = 26


@pytest.mark.parametrize("persona", ["visitor", "member", "staff_kafue"])
def test_it_renders_a_profile_in_the_same_number_of_queries_however_full_it_is(
    client, kafue, request, persona
):
    if persona != "visitor":
        client.force_login(request.getfixturevalue(persona))
    _fill(kafue, 0, 3)  # one official of each contact visibility
    small = _queries_for_profile(client, kafue)
    _fill(kafue, 3, 12)
    assert kafue.officials.count() == kafue.initiatives.count() == 12
    large = _queries_for_profile(client, kafue)
    assert large == small
    assert large <= PROFILE_MAX_QUERIES


def test_it_refuses_other_methods(client, kafue):
    url = reverse("cities:detail", kwargs={"slug": kafue.slug})
    assert client.post(url).status_code == 405
