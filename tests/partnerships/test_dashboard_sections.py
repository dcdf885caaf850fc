# ruff: noqa: F811 - pytest fixtures imported from matching_world are used as arguments
"""The registry's and programmes' dashboard sections: requests to answer, new suggested
partners since the last visit, programmes one organises — and the dashboard's query budget."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cities.dashboard.services import DASHBOARD_VISIT_GAP
from partnerships.matching import services as matching
from partnerships.models import (
    MatchSuggestion,
    ProgrammeOrganiserRole,
    ProgrammeStatus,
    RequestStatus,
)

from ..cities.factories import CityFactory, CityStaffFactory, CuratorFactory, UserFactory
from .factories import PartnershipRequestFactory
from .matching_world import _fresh_snapshot, world  # noqa: F401
from .programmes.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def dashboard_html(client) -> str:
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_staff_see_the_requests_waiting_for_their_answer_oldest_deadline_first(
    client, staff_kafue, kafue, recife
):
    now = timezone.now()
    lusaka = CityFactory(name="Lusaka", slug="lusaka")
    PartnershipRequestFactory(from_city=lusaka, to_city=kafue, created_at=now)
    PartnershipRequestFactory(
        from_city=recife, to_city=kafue, created_at=now - datetime.timedelta(days=30)
    )
    PartnershipRequestFactory(
        from_city=CityFactory(name="Ndola"), to_city=kafue, status=RequestStatus.DECLINED
    )
    PartnershipRequestFactory(from_city=kafue, to_city=CityFactory(name="Accra"))
    PartnershipRequestFactory(from_city=lusaka, to_city=recife)  # not Kafue's
    client.force_login(staff_kafue)

    html = dashboard_html(client)

    assert "2 requests wait for your answer." in html
    assert html.index("Recife to Kafue") < html.index("Lusaka to Kafue")
    assert "Ndola" not in html and "Lusaka to Recife" not in html
    assert "1 of your requests waits for the other city." in html


def test_the_header_counts_the_requests_to_answer(client, staff_kafue, kafue, recife):
    PartnershipRequestFactory(from_city=recife, to_city=kafue)
    client.force_login(staff_kafue)

    html = client.get(reverse("home")).content.decode()

    assert 'class="nav-count">1<' in html


def test_a_recompute_keeps_when_a_partner_was_first_suggested(world):
    dusseldorf = world["dusseldorf"]
    matching.matches_refresh_city(city_id=dusseldorf.pk)
    first = dict(
        MatchSuggestion.objects.filter(city=dusseldorf).values_list(
            "suggested_city_id", "first_suggested_at"
        )
    )
    MatchSuggestion.objects.filter(city=dusseldorf).update(
        first_suggested_at=timezone.now() - datetime.timedelta(days=3)
    )
    kept = dict(
        MatchSuggestion.objects.filter(city=dusseldorf).values_list(
            "suggested_city_id", "first_suggested_at"
        )
    )

    matching.matches_refresh_city(city_id=dusseldorf.pk)

    again = dict(
        MatchSuggestion.objects.filter(city=dusseldorf).values_list(
            "suggested_city_id", "first_suggested_at"
        )
    )
    assert first and again == kept


def test_only_partners_suggested_since_the_last_visit_count_as_new(client, world):
    dusseldorf = world["dusseldorf"]
    user = CityStaffFactory(user=UserFactory(username="staff_dus"), city=dusseldorf).user
    matching.matches_refresh_city(city_id=dusseldorf.pk)
    rows = list(MatchSuggestion.objects.filter(city=dusseldorf).order_by("rank"))
    assert len(rows) >= 2
    long_ago = timezone.now() - datetime.timedelta(days=10)
    MatchSuggestion.objects.filter(city=dusseldorf).update(first_suggested_at=long_ago)
    client.force_login(user)

    first_visit = dashboard_html(client)  # everything is shown on the first visit
    assert "Suggested partners" in first_visit
    assert rows[0].suggested_city.name in first_visit

    # The next visit, after the gap: one partner entered the list in between.
    profile = user.profile
    profile.dashboard_seen_at = timezone.now() - DASHBOARD_VISIT_GAP * 3
    profile.save()
    MatchSuggestion.objects.filter(pk=rows[1].pk).update(first_suggested_at=timezone.now())
    html = dashboard_html(client)

    assert "New suggested partners since your last visit" in html
    section = html[html.index('id="new-suggestions"') :]
    section = section[: section.index("</section>")]
    assert rows[1].suggested_city.name in section
    assert rows[0].suggested_city.name not in section


def test_organisers_see_their_current_programmes_only(client, kafue, curator_dst, dst):
    organiser = UserFactory(username="organiser")
    ProgrammeOrganiserRole.objects.create(user=organiser, organisation=dst, granted_by=curator_dst)
    soon = timezone.localdate() + datetime.timedelta(days=30)
    mine = ProgrammeFactory(
        title="Water week", start_date=soon, end_date=soon, status=ProgrammeStatus.DRAFT
    )
    mine.organisers.add(organiser)
    past = ProgrammeFactory(
        title="Old week",
        start_date=soon.replace(year=soon.year - 2),
        end_date=soon.replace(year=soon.year - 2),
    )
    past.organisers.add(organiser)
    ProgrammeFactory(title="Someone else's week", start_date=soon, end_date=soon)
    client.force_login(organiser)

    html = dashboard_html(client)

    assert "Water week" in html
    assert reverse("partnerships:programme_organise", args=[mine.slug]) in html
    assert "Old week" not in html and "Someone else's week" not in html
    assert reverse("partnerships:programme_create") in html


def test_people_without_a_city_or_role_see_no_request_or_programme_section(client, member):
    client.force_login(member)

    html = dashboard_html(client)

    assert 'id="requests-to-answer"' not in html
    assert 'id="my-programmes"' not in html


def _busy_person(n: int):
    """Staff of ``n`` cities, each with requests and suggestions, curator of ``n``
    organisations and organiser of ``n`` programmes."""
    from cities.models import Organisation

    user = UserFactory(username=f"busy{n}")
    soon = timezone.localdate() + datetime.timedelta(days=10)
    ProgrammeOrganiserRole.objects.create(user=user, granted_by=None)
    for i in range(n):
        city = CityFactory(name=f"Home {n}-{i}")
        CityStaffFactory(user=user, city=city)
        for j in range(3):
            other = CityFactory(name=f"Other {n}-{i}-{j}")
            PartnershipRequestFactory(from_city=other, to_city=city)
            MatchSuggestion.objects.create(
                city=city,
                suggested_city=other,
                rank=j + 1,
                score=0.5,
                reasons=[{"code": "both_open"}],
                computed_at=timezone.now(),
            )
        organisation = Organisation.objects.create(
            name=f"Org {n}-{i}", slug=f"org-{n}-{i}", kind="network"
        )
        CuratorFactory(user=user, organisation=organisation)
        ProgrammeFactory(start_date=soon, end_date=soon).organisers.add(user)
    return user


@pytest.mark.parametrize("size", [1, 6])
def test_the_dashboard_costs_the_same_number_of_queries_however_busy(
    client, size, django_assert_max_num_queries
):
    user = _busy_person(size)
    client.force_login(user)
    client.get(reverse("dashboard"))  # the first visit creates the profile row

    with django_assert_max_num_queries(18):
        html = dashboard_html(client)

    assert html.count("wait for your answer") + html.count("waits for your answer") == 1
    assert f"Home {size}-0" in html
