"""Curation by an organisation's curators: the queue, verification with the public badge,
asking staff to update, publishing, member completeness, problem reports, and a site admin's
handling of an official's personal data."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cities.models import (
    City,
    ContentFlag,
    FlagStatus,
    JoinRequest,
    Official,
    VerificationStatus,
)

from .factories import (
    CityFactory,
    CityStaffFactory,
    CuratorFactory,
    InitiativeFactory,
    MembershipFactory,
    OfficialFactory,
    OrganisationFactory,
    UserFactory,
)


def queue_url(org="dst"):
    return reverse("curation:queue", kwargs={"org_slug": org})


def verify_url(city="kafue", org="dst"):
    return reverse("curation:verify", kwargs={"org_slug": org, "slug": city})


@pytest.mark.django_db
def test_it_queues_member_cities_never_verified_stale_flagged_or_with_join_requests(
    client, curator_dst, dst, kafue, member
):
    fresh = CityFactory(name="Fresh", verification_status="verified", verified_at=timezone.now())
    stale = CityFactory(name="Stale", verification_status="verified", verified_at=timezone.now())
    flagged = CityFactory(
        name="Flagged", verification_status="verified", verified_at=timezone.now()
    )
    joining = CityFactory(
        name="Joining", verification_status="verified", verified_at=timezone.now()
    )
    for city in (fresh, stale, flagged, joining):
        MembershipFactory(organisation=dst, city=city)
    long_ago = timezone.now() - timedelta(days=400)
    City.objects.filter(pk=stale.pk).update(updated_at=long_ago, verified_at=long_ago)
    ContentFlag.objects.create(city=flagged, reason="outdated")
    JoinRequest.objects.create(city=joining, user=member)
    outsider = CityFactory(name="Outsider")  # not a member: never in this queue
    client.force_login(curator_dst)

    response = client.get(queue_url())

    names = {c.name for c in response.context["cities"]}
    assert names == {"Kafue", "Stale", "Flagged", "Joining"}
    assert outsider.name not in response.content.decode()


@pytest.mark.django_db
def test_it_shows_the_queue_in_a_bounded_number_of_queries(
    client, curator_dst, dst, django_assert_max_num_queries
):
    for _n in range(20):
        city = CityFactory()
        MembershipFactory(organisation=dst, city=city)
        ContentFlag.objects.create(city=city, reason="other")
    client.force_login(curator_dst)

    with django_assert_max_num_queries(20):
        response = client.get(queue_url())

    assert len(response.context["cities"]) == 21


@pytest.mark.django_db
def test_it_verifies_a_member_city_and_the_profile_shows_who_verified_it(
    client, curator_dst, dst, kafue
):
    client.force_login(curator_dst)

    response = client.post(verify_url())

    assert response.status_code == 302
    kafue.refresh_from_db()
    assert kafue.verification_status == VerificationStatus.VERIFIED
    assert kafue.verified_by == dst
    client.logout()
    profile = client.get(kafue.get_absolute_url()).content.decode()
    assert f"Verified by {dst.name} on" in profile


@pytest.mark.django_db
def test_it_refuses_verifying_a_city_that_is_not_a_member(client, curator_dst, dst, recife):
    client.force_login(curator_dst)

    response = client.post(verify_url("recife"))

    assert response.status_code == 403
    recife.refresh_from_db()
    assert recife.verification_status == VerificationStatus.UNVERIFIED


@pytest.mark.django_db
def test_it_refuses_a_curator_of_another_organisation(client, dst, kafue):
    stranger = CuratorFactory(organisation=OrganisationFactory(slug="net")).user
    client.force_login(stranger)

    as_own_org = client.post(verify_url("kafue", org="net"))
    as_their_org = client.post(verify_url("kafue", org="dst"))

    assert (as_own_org.status_code, as_their_org.status_code) == (403, 403)
    kafue.refresh_from_db()
    assert not kafue.is_verified


@pytest.mark.django_db
def test_it_refuses_city_staff_verifying_their_own_city(client, staff_kafue, dst, kafue):
    client.force_login(staff_kafue)

    assert client.post(verify_url()).status_code == 403
    kafue.refresh_from_db()
    assert not kafue.is_verified


@pytest.mark.django_db
def test_it_unpublishes_and_republishes_a_member_city(client, curator_dst, dst, kafue):
    url = reverse("curation:publish", kwargs={"org_slug": "dst", "slug": "kafue"})
    client.force_login(curator_dst)

    client.post(url, {"published": "0"})
    hidden_from_visitors = client.__class__().get(kafue.get_absolute_url()).status_code
    client.post(url, {"published": "1"})
    shown_again = client.__class__().get(kafue.get_absolute_url()).status_code

    assert (hidden_from_visitors, shown_again) == (404, 200)


@pytest.mark.django_db
def test_it_asks_the_citys_staff_to_update_by_e_mail(
    client, curator_dst, dst, kafue, staff_kafue, django_capture_on_commit_callbacks
):
    client.force_login(curator_dst)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("curation:request_update", kwargs={"org_slug": "dst", "slug": "kafue"}),
            {"message": "Please add your new mayor."},
        )

    assert response.status_code == 302
    sent = [m for m in mail.outbox if staff_kafue.email in m.to]
    assert len(sent) == 1
    assert "Please add your new mayor." in sent[0].body
    assert "/cities/kafue/edit/" in sent[0].body


@pytest.mark.django_db
def test_it_lists_members_with_completeness_and_counts(
    client, curator_dst, dst, kafue, django_assert_max_num_queries
):
    OfficialFactory(city=kafue)
    InitiativeFactory(city=kafue)
    City.objects.filter(pk=kafue.pk).update(completeness=40)
    for _n in range(10):
        MembershipFactory(organisation=dst, city=CityFactory())
    client.force_login(curator_dst)

    with django_assert_max_num_queries(15):
        response = client.get(reverse("curation:members", kwargs={"org_slug": "dst"}))

    row = next(c for c in response.context["cities"] if c.slug == "kafue")
    assert (row.completeness, row.official_count, row.challenge_count, row.initiative_count) == (
        40,
        1,
        0,
        1,
    )


@pytest.mark.django_db
def test_it_resolves_a_problem_report(client, curator_dst, dst, kafue):
    flag = ContentFlag.objects.create(city=kafue, reason="wrong")
    client.force_login(curator_dst)

    client.post(reverse("curation:flag_resolve", kwargs={"org_slug": "dst", "pk": flag.pk}))

    flag.refresh_from_db()
    assert (flag.status, flag.resolved_by) == (FlagStatus.RESOLVED, curator_dst)


@pytest.mark.django_db
def test_it_does_not_resolve_a_report_on_a_city_outside_the_organisation(
    client, curator_dst, dst, recife
):
    flag = ContentFlag.objects.create(city=recife, reason="wrong")
    client.force_login(curator_dst)

    response = client.post(
        reverse("curation:flag_resolve", kwargs={"org_slug": "dst", "pk": flag.pk})
    )

    assert response.status_code == 404
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


@pytest.mark.django_db
def test_it_shows_the_curation_link_only_to_curators(client, curator_dst, member):
    client.force_login(member)
    assert "Curation" not in client.get("/").content.decode()

    client.force_login(curator_dst)
    assert "Curation" in client.get("/").content.decode()


# --- personal data of an official ------------------------------------------------------------


@pytest.mark.django_db
def test_it_lets_a_site_admin_export_an_officials_data_with_its_history(client, admin, kafue):
    official = OfficialFactory(city=kafue, name="Mayor (sample)", email="mayor@kafue.example")
    official.email = "new.mayor@kafue.example"
    official.save()
    client.force_login(admin)

    response = client.get(
        reverse("curation:official_data", kwargs={"pk": official.pk}), {"format": "json"}
    )

    data = json.loads(response.content)
    assert data["current"]["email"] == "new.mayor@kafue.example"
    assert [v["email"] for v in data["history"]] == [
        "mayor@kafue.example",
        "new.mayor@kafue.example",
    ]


@pytest.mark.django_db
def test_it_erases_an_officials_personal_data_including_the_history(client, admin, kafue):
    official = OfficialFactory(
        city=kafue, name="Mayor (sample)", email="mayor@kafue.example", phone="+00 1"
    )
    official.phone = "+00 2"
    official.save()
    client.force_login(admin)

    client.post(
        reverse("curation:official_erase", kwargs={"pk": official.pk}), {"confirm": "erase"}
    )

    official.refresh_from_db()
    assert official.name == "International-relations officer (name removed)"
    assert (official.email, official.phone) == ("", "")
    leftovers = Official.history.filter(id=official.pk).values_list("name", "email", "phone")
    assert all(row == (official.name, "", "") for row in leftovers)
    assert Official.history.filter(id=official.pk).count() == 2  # no new row with the data


@pytest.mark.django_db
def test_it_does_not_erase_without_the_confirmation(client, admin, kafue):
    official = OfficialFactory(city=kafue, name="Mayor (sample)")
    client.force_login(admin)

    client.post(reverse("curation:official_erase", kwargs={"pk": official.pk}))

    official.refresh_from_db()
    assert official.name == "Mayor (sample)"


@pytest.mark.django_db
def test_it_keeps_personal_data_requests_for_site_admins(client, curator_dst, kafue):
    official = OfficialFactory(city=kafue, name="Mayor (sample)")
    client.force_login(curator_dst)

    exported = client.get(reverse("curation:official_data", kwargs={"pk": official.pk}))
    erased = client.post(
        reverse("curation:official_erase", kwargs={"pk": official.pk}), {"confirm": "erase"}
    )

    assert (exported.status_code, erased.status_code) == (403, 403)
    official.refresh_from_db()
    assert official.name == "Mayor (sample)"


@pytest.mark.django_db
def test_it_lets_a_city_admin_see_the_staff_page_but_not_an_editor(client, kafue, staff_kafue):
    city_admin = CityStaffFactory(city=kafue, role="admin", user=UserFactory()).user
    url = reverse("cities:edit_staff", kwargs={"slug": "kafue"})

    client.force_login(city_admin)
    as_admin = client.get(url).status_code
    client.force_login(staff_kafue)
    as_editor = client.get(url).status_code

    assert (as_admin, as_editor) == (200, 403)
