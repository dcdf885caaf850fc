"""The signed-in dashboard: where a person lands, what each role sees, the header links, the
extension point for the apps above ``cities``, and its query budget."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cities.dashboard import registry, services
from cities.models import (
    ContentFlag,
    FlagReason,
    JoinRequest,
    Official,
    OfficialRole,
    UserProfile,
)

from .factories import (
    ChallengeFactory,
    CityFactory,
    CityStaffFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def dashboard(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response


def test_signing_in_lands_on_the_dashboard_and_home_stays_public(client, staff_kafue):
    response = client.post(
        reverse("login"), {"username": "staff_kafue", "password": "a-long-test-password"}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("dashboard")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert reverse("dashboard") in home.content.decode()


def test_visitors_are_asked_to_sign_in(client):
    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))


def test_staff_see_completeness_and_what_to_fill_in_next_most_valuable_first(
    client, staff_kafue, kafue
):
    client.force_login(staff_kafue)

    html = dashboard(client).content.decode()

    # Kafue has coordinates (10 of 100) and working languages (5) only.
    assert 'value="15"' in html
    challenges = html.index("Say what the city seeks help with")
    summary = html.index("Write a short summary")
    assert challenges < summary  # 25 points before 20
    assert reverse("cities:edit_challenges", args=["kafue"]) in html


def test_what_was_filled_in_disappears_from_the_next_steps_at_once(client, staff_kafue, kafue):
    Official.objects.create(city=kafue, name="Mwansa", role=OfficialRole.MAYOR)
    ChallengeFactory(city=kafue)
    client.force_login(staff_kafue)

    html = dashboard(client).content.decode()

    assert 'value="60"' in html
    assert "Add an official" not in html
    assert "Say what the city seeks help with" not in html


def test_someone_without_a_role_gets_a_welcome_with_a_search_box(client, member):
    client.force_login(member)

    html = dashboard(client).content.decode()

    assert "You do not act for a city yet" in html
    assert 'role="combobox"' in html
    assert 'id="my-cities"' not in html


def test_curators_see_their_queue_in_numbers(client, curator_dst, dst, kafue):
    other = CityFactory(name="Lusaka", slug="lusaka")
    MembershipFactory(organisation=dst, city=other)
    ContentFlag.objects.create(city=kafue, reason=FlagReason.OUTDATED)
    JoinRequest.objects.create(user=UserFactory(), city=kafue)
    client.force_login(curator_dst)

    html = dashboard(client).content.decode()

    assert reverse("curation:queue", args=["dst"]) in html
    assert "2 member cities need attention" in html  # both unverified
    assert "1 open problem report" in html
    assert "1 request to join a city" in html


def test_the_header_has_my_city_and_requests_for_staff_only(client, staff_kafue, member):
    client.force_login(staff_kafue)
    html = client.get(reverse("cities:list")).content.decode()
    assert f'href="{reverse("cities:detail", args=["kafue"])}">My city</a>' in html
    assert reverse("partnerships:inbox") in html

    client.force_login(member)
    html = client.get(reverse("cities:list")).content.decode()
    assert "My city" not in html
    assert reverse("partnerships:inbox") not in html


def test_someone_keeping_two_cities_gets_my_cities_on_the_dashboard(client, staff_kafue, recife):
    CityStaffFactory(user=staff_kafue, city=recife)
    client.force_login(staff_kafue)

    html = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("dashboard")}#my-cities">My cities</a>' in html


# --- last visit ---------------------------------------------------------------------------------


def test_a_visit_ends_after_half_an_hour_without_a_view(staff_kafue):
    start = timezone.now()

    assert services.dashboard_visit_record(user=staff_kafue, now=start) is None
    later = start + datetime.timedelta(minutes=10)
    assert services.dashboard_visit_record(user=staff_kafue, now=later) is None  # same visit
    next_day = start + datetime.timedelta(days=1)
    assert services.dashboard_visit_record(user=staff_kafue, now=next_day) == later
    # Reloading on the next day keeps the same boundary.
    reload = next_day + datetime.timedelta(minutes=5)
    assert services.dashboard_visit_record(user=staff_kafue, now=reload) == later
    assert UserProfile.objects.get(user=staff_kafue).dashboard_since == later


# --- the extension point ----------------------------------------------------------------------


@pytest.fixture
def extra_section():
    seen = []

    def build(viewer):
        seen.append(viewer)
        return {"cities": viewer.cities} if viewer.cities else None

    registry.register_section(
        key="test-extra", order=15, template="cities/dashboard/_test_extra.html", build=build
    )
    yield seen
    registry._sections.pop("test-extra")


def test_an_app_above_adds_a_section_that_is_left_out_when_it_has_nothing(
    client, staff_kafue, member, extra_section, settings, tmp_path
):
    template_dir = tmp_path / "cities" / "dashboard"
    template_dir.mkdir(parents=True)
    (template_dir / "_test_extra.html").write_text(
        '<section id="test-extra">{{ data.cities|length }} cities</section>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    client.force_login(staff_kafue)

    html = dashboard(client).content.decode()

    assert '<section id="test-extra">1 cities</section>' in html
    assert html.index('id="my-cities"') < html.index('id="test-extra"')  # order 10 < 15
    client.force_login(member)
    assert 'id="test-extra"' not in dashboard(client).content.decode()


def test_sections_come_in_their_order():
    keys = [section.key for section in registry.sections()]

    assert keys.index("cities") < keys.index("requests") < keys.index("curation")
