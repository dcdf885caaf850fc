"""The partnership registry: the public list with filters and map, who sees what, the detail
page with its activity log, partnership health, and each city profile's partnerships."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cities.choices import PartnershipKind
from cities.models import Notification
from partnerships import services
from partnerships.models import Partnership, PartnershipStatus
from partnerships.models.registry import dormant_cutoff

from ..cities.factories import CityFactory, CityStaffFactory, UserFactory
from .factories import PartnershipActivityFactory, PartnershipFactory, top_themes

pytestmark = pytest.mark.django_db

LIST = reverse("partnerships:list")


@pytest.fixture
def toulouse(db):
    return CityFactory(
        name="Toulouse", slug="toulouse", country="FR", latitude=43.6, longitude=1.44
    )


@pytest.fixture
def registry(kafue, recife, toulouse):
    water = top_themes(1)[0]
    active = PartnershipFactory(first=kafue, second=recife, kind=PartnershipKind.CLIMATE)
    active.themes.add(water)
    return {
        "water": water,
        "active": active,
        "dormant": PartnershipFactory(
            first=kafue, second=toulouse, status=PartnershipStatus.DORMANT
        ),
        "ended": PartnershipFactory(first=recife, second=toulouse, status=PartnershipStatus.ENDED),
        "proposed": PartnershipFactory(
            first=kafue,
            second=toulouse,
            kind=PartnershipKind.PROJECT,
            status=PartnershipStatus.PROPOSED,
        ),
    }


def _listed(response):
    return set(response.context["page"].object_list)


# --- list and visibility ------------------------------------------------------------------


def test_it_shows_anonymous_visitors_active_partnerships_only(client, registry):
    response = client.get(LIST)

    assert response.status_code == 200
    assert _listed(response) == {registry["active"]}
    assert [line["id"] for line in response.context["map_lines"]] == [registry["active"].pk]


def test_it_shows_signed_in_members_dormant_and_ended_partnerships_too(client, member, registry):
    client.force_login(member)

    response = client.get(LIST)

    assert _listed(response) == {registry["active"], registry["dormant"], registry["ended"]}


def test_it_shows_a_proposed_partnership_to_its_cities_staff_and_curators_only(
    client, member, staff_kafue, curator_dst, staff_recife, registry
):
    proposed = registry["proposed"]
    for user, sees in ((member, False), (staff_recife, False), (staff_kafue, True)):
        client.force_login(user)
        assert (proposed in _listed(client.get(LIST))) is sees, user
    client.force_login(curator_dst)
    assert proposed in _listed(client.get(LIST))
    assert client.get(proposed.get_absolute_url()).status_code == 200
    client.force_login(member)
    assert client.get(proposed.get_absolute_url()).status_code == 404


def test_it_hides_partnerships_of_unpublished_cities_from_the_public(client, kafue):
    hidden = CityFactory(is_published=False)
    partnership = PartnershipFactory(first=kafue, second=hidden)

    assert partnership not in _listed(client.get(LIST))
    assert client.get(partnership.get_absolute_url()).status_code == 404


def test_it_filters_by_kind_status_theme_and_country(client, member, registry):
    client.force_login(member)

    assert _listed(client.get(LIST, {"kind": "climate"})) == {registry["active"]}
    assert _listed(client.get(LIST, {"status": "ended"})) == {registry["ended"]}
    assert _listed(client.get(LIST, {"theme": registry["water"].slug})) == {registry["active"]}
    assert _listed(client.get(LIST, {"country": "FR"})) == {registry["dormant"], registry["ended"]}


def test_it_answers_an_invalid_filter_with_a_form_error_not_a_500(client, registry):
    response = client.get(LIST, {"kind": "alliance", "country": "XX"})

    assert response.status_code == 200
    assert _listed(response) == set()
    assert response.context["filter"].form.errors.keys() == {"kind", "country"}


def test_it_lists_many_partnerships_with_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    for _ in range(30):
        PartnershipFactory().themes.add(*top_themes(2))

    with django_assert_max_num_queries(8):
        response = client.get(LIST)

    assert len(response.context["page"].object_list) == 25
    assert len(response.context["map_lines"]) == 30


def test_it_draws_the_map_from_local_assets_only(client, registry):
    content = client.get(LIST).content.decode()

    assert "vendor/leaflet/leaflet.js" in content
    assert "partnerships/partnership-map.js" in content
    assert "tile" not in content.lower()
    assert '"a": [-15.77, 28.18, "Kafue"]' in content


# --- detail and activity log -------------------------------------------------------------


def test_it_shows_the_activity_log_on_the_detail_page(
    client, registry, django_assert_max_num_queries
):
    partnership = registry["active"]
    PartnershipActivityFactory(partnership=partnership, description="Mayors met in Kafue")

    with django_assert_max_num_queries(8):
        response = client.get(partnership.get_absolute_url())

    assert "Mayors met in Kafue" in response.content.decode()
    assert response.context["can_add_activity"] is False


def test_it_lets_staff_of_either_city_record_an_activity(client, staff_recife, registry):
    partnership = registry["active"]
    client.force_login(staff_recife)
    day = timezone.localdate() - datetime.timedelta(days=3)

    response = client.post(
        reverse("partnerships:activity_add", kwargs={"pk": partnership.pk}),
        {"kind": "visit", "date": day.isoformat(), "description": "A delegation visited."},
    )

    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.last_activity_on == day
    assert partnership.activities.get().created_by == staff_recife


def test_it_refuses_activities_from_others_and_in_the_future(client, member, staff_kafue, registry):
    partnership = registry["active"]
    url = reverse("partnerships:activity_add", kwargs={"pk": partnership.pk})
    client.force_login(member)
    assert client.post(url, {"kind": "visit", "date": "2025-01-01"}).status_code == 403

    client.force_login(staff_kafue)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url, {"kind": "visit", "date": tomorrow.isoformat()})

    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert not partnership.activities.exists()


def test_it_keeps_the_latest_activity_date_when_an_older_one_is_recorded(staff_kafue, registry):
    partnership = registry["active"]
    recent = timezone.localdate() - datetime.timedelta(days=10)
    services.partnership_activity_add(
        partnership=partnership, user=staff_kafue, kind="meeting", date=recent
    )
    services.partnership_activity_add(
        partnership=partnership, user=staff_kafue, kind="meeting", date=datetime.date(2020, 1, 1)
    )

    partnership.refresh_from_db()
    assert partnership.last_activity_on == recent


# --- health -------------------------------------------------------------------------------


def test_it_computes_the_cutoff_24_months_back_even_at_month_ends():
    assert dormant_cutoff(datetime.date(2026, 5, 31)) == datetime.date(2024, 5, 31)
    assert dormant_cutoff(datetime.date(2026, 2, 28)) == datetime.date(2024, 2, 28)
    assert dormant_cutoff(datetime.date(2028, 2, 29)) == datetime.date(2026, 2, 28)


def test_it_flags_an_active_partnership_without_activity_for_24_months(kafue, recife, toulouse):
    today = datetime.date(2026, 6, 1)
    silent = PartnershipFactory(first=kafue, second=recife, since=datetime.date(2019, 1, 1))
    PartnershipActivityFactory(partnership=silent, date=datetime.date(2024, 5, 31))
    Partnership.objects.filter(pk=silent.pk).update(last_activity_on=datetime.date(2024, 5, 31))
    alive = PartnershipFactory(first=kafue, second=toulouse, since=datetime.date(2019, 1, 1))
    Partnership.objects.filter(pk=alive.pk).update(last_activity_on=datetime.date(2024, 6, 1))
    never = PartnershipFactory(first=recife, second=toulouse, since=datetime.date(2020, 1, 1))

    flagged = set(Partnership.objects.possibly_dormant(today=today))

    assert flagged == {silent, never}
    silent.refresh_from_db()
    assert silent.is_possibly_dormant(today=today)


def test_it_notifies_staff_and_curators_of_a_possibly_dormant_partnership_once(
    kafue, recife, staff_kafue, staff_recife, curator_dst, member, mailoutbox
):
    PartnershipFactory(first=kafue, second=recife, since=datetime.date(2018, 1, 1))
    today = timezone.localdate()

    assert services.partnerships_flag_dormant(today=today) == 1
    assert services.partnerships_flag_dormant(today=today) == 0

    notified = set(
        Notification.objects.filter(kind="partnership_dormant").values_list("user", flat=True)
    )
    assert notified == {staff_kafue.pk, staff_recife.pk, curator_dst.pk}


def test_it_reports_a_partnership_again_after_new_activity_and_a_new_silence(
    kafue, recife, staff_kafue
):
    partnership = PartnershipFactory(first=kafue, second=recife, since=datetime.date(2018, 1, 1))
    services.partnerships_flag_dormant(today=datetime.date(2026, 1, 1))
    services.partnership_activity_add(
        partnership=partnership,
        user=staff_kafue,
        kind="visit",
        date=datetime.date(2026, 1, 10),
        today=datetime.date(2026, 1, 10),
    )

    assert services.partnerships_flag_dormant(today=datetime.date(2027, 1, 1)) == 0
    assert services.partnerships_flag_dormant(today=datetime.date(2028, 2, 1)) == 1


def test_it_marks_possibly_dormant_partnerships_in_the_list(client, kafue, recife):
    PartnershipFactory(first=kafue, second=recife, since=datetime.date(2018, 1, 1))

    response = client.get(LIST)

    assert "possibly dormant" in response.content.decode()
    assert len(_listed(client.get(LIST, {"health": "dormant"}))) == 1
    assert len(_listed(client.get(LIST, {"health": "alive"}))) == 0


# --- city profile --------------------------------------------------------------------------


def test_it_lists_a_citys_partnerships_on_its_profile_with_bounded_queries(
    client, kafue, registry, django_assert_max_num_queries
):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    for _ in range(10):
        PartnershipFactory(first=kafue)
    template = Template('{% include "partnerships/_city_partnerships.html" %}')

    with django_assert_max_num_queries(3):
        html = template.render(Context({"city": kafue, "user": AnonymousUser()}))

    assert "Recife" in html
    assert html.count('class="badge badge-status-active"') == 11
    assert "Toulouse" not in html  # dormant and proposed stay hidden from visitors


def test_it_tells_a_citys_staff_about_possibly_dormant_partnerships_on_the_profile(
    kafue, recife, staff_kafue
):
    from django.template import Context, Template

    PartnershipFactory(first=kafue, second=recife, since=datetime.date(2018, 1, 1))
    other = CityStaffFactory(user=UserFactory(username="staff_essen"), city=CityFactory()).user
    template = Template('{% include "partnerships/_city_partnerships.html" %}')

    html = template.render(Context({"city": kafue, "user": staff_kafue}))
    proposing = template.render(Context({"city": kafue, "user": other}))

    assert "possibly dormant" in html
    assert "Propose a partnership" not in html  # not to the own city
    assert "Propose a partnership" in proposing
