"""Reverting a history record needs the same permission as making that change directly: a
curator of one organisation cannot add, end or alter a membership in another, nor undo
another organisation's verification, by reverting the other organisation's records.

Kafue is a member of "dst" (curated by curator_dst) and of "net" (curated by curator_net)."""

import pytest
from django.urls import reverse

from cities.curation.services import city_verify
from cities.editing import services as edit_services
from cities.models import City, Membership, VerificationStatus

from .factories import CuratorFactory, OrganisationFactory, UserFactory

REVERT = reverse("cities:history_revert", kwargs={"slug": "kafue"})
HISTORY = reverse("cities:history", kwargs={"slug": "kafue"})


@pytest.fixture
def net(db, kafue):
    organisation = OrganisationFactory(name="Sample City Network", slug="net")
    edit_services.membership_create(city=kafue, organisation=organisation)
    return organisation


@pytest.fixture
def curator_net(net):
    return CuratorFactory(user=UserFactory(username="curator_net"), organisation=net).user


def last_record(model, **lookup):
    return model.history.filter(**lookup).latest("history_date", "history_id")


def revert(client, key, record):
    return client.post(REVERT, {"key": key, "history_id": record.history_id})


def test_a_curator_cannot_end_another_organisations_membership_by_reverting_it(
    client, curator_dst, net, kafue
):
    creation = last_record(Membership, organisation_id=net.pk, history_type="+")
    client.force_login(curator_dst)

    response = revert(client, "membership", creation)

    assert response.status_code == 403
    assert Membership.objects.filter(city=kafue, organisation=net).exists()


def test_a_curator_cannot_restore_another_organisations_membership_by_reverting_it(
    client, curator_dst, net, kafue
):
    edit_services.membership_delete(membership=Membership.objects.get(city=kafue, organisation=net))
    deletion = last_record(Membership, organisation_id=net.pk, history_type="-")
    client.force_login(curator_dst)

    response = revert(client, "membership", deletion)

    assert response.status_code == 403
    assert not Membership.objects.filter(city=kafue, organisation=net).exists()


def test_a_curator_cannot_undo_another_organisations_verification(client, curator_dst, net, kafue):
    city_verify(city=kafue, organisation=net)
    verification = last_record(City, id=kafue.pk)
    client.force_login(curator_dst)

    response = revert(client, "city", verification)

    assert response.status_code == 403
    kafue.refresh_from_db()
    assert (kafue.verification_status, kafue.verified_by) == (VerificationStatus.VERIFIED, net)


def test_a_curator_cannot_revert_a_field_only_site_admins_change(client, curator_dst, kafue):
    kafue.name = "Kafue District"
    kafue.save()
    client.force_login(curator_dst)

    response = revert(client, "city", last_record(City, id=kafue.pk))

    assert response.status_code == 403
    assert City.objects.get(pk=kafue.pk).name == "Kafue District"


def test_the_organisations_own_curator_may_undo_its_membership_and_verification(
    client, curator_net, net, kafue
):
    city_verify(city=kafue, organisation=net)
    client.force_login(curator_net)

    assert revert(client, "city", last_record(City, id=kafue.pk)).status_code == 302
    kafue.refresh_from_db()
    assert kafue.verification_status == VerificationStatus.UNVERIFIED

    creation = last_record(Membership, organisation_id=net.pk, history_type="+")
    assert revert(client, "membership", creation).status_code == 302
    assert not Membership.objects.filter(city=kafue, organisation=net).exists()


def test_a_curator_still_reverts_their_own_organisations_verification_and_profile_edits(
    client, curator_dst, dst, kafue
):
    edit_services.city_update(city=kafue, changes={"summary": "Vandalised."})
    client.force_login(curator_dst)
    assert revert(client, "city", last_record(City, id=kafue.pk)).status_code == 302
    assert City.objects.get(pk=kafue.pk).summary != "Vandalised."

    city_verify(city=kafue, organisation=dst)
    assert revert(client, "city", last_record(City, id=kafue.pk)).status_code == 302
    assert not City.objects.get(pk=kafue.pk).is_verified


def test_the_history_page_offers_revert_only_where_it_is_allowed(
    client, curator_dst, dst, net, kafue
):
    city_verify(city=kafue, organisation=net)
    client.force_login(curator_dst)

    response = client.get(HISTORY)

    entries = response.context["entries"]
    memberships = {e.object_label: e.may_revert for e in entries if e.key == "membership"}
    assert memberships == {dst.name: True, net.name: False}
    assert [e.may_revert for e in entries if e.key == "city"] == [False, False]  # verify, create
    assert response.content.decode().count('name="history_id"') == sum(
        e.may_revert for e in entries
    )


def test_a_site_admin_may_revert_any_of_them(client, admin, net, kafue):
    city_verify(city=kafue, organisation=net)
    client.force_login(admin)

    assert revert(client, "city", last_record(City, id=kafue.pk)).status_code == 302
    creation = last_record(Membership, organisation_id=net.pk, history_type="+")
    assert revert(client, "membership", creation).status_code == 302
