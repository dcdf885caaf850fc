"""Who may organise a programme, whose name it may carry, and how invitations reach a city.

A self-registered account could create a programme, name any umbrella organisation as host
and have the portal e-mail a city's first official — even one whose contact is hidden — with a
subject of its choosing. Now: organisers hold a role that a site admin or an organisation's
curators grant; a host organisation is shown only once its curators confirm; invitations reach
a city through its staff accounts, in the portal's own words."""

import pytest
from django.urls import reverse

from cities.choices import ContactVisibility
from cities.curation.services import city_publish
from cities.models import City, Notification, OutboxEmail
from partnerships.models import (
    HostStatus,
    ProgrammeOrganiserRole,
    ProgrammeStatus,
)
from partnerships.programmes import services
from tests.cities.factories import (
    CityStaffFactory,
    CuratorFactory,
    OfficialFactory,
    OrganisationFactory,
    UserFactory,
)

from .factories import AgendaItemFactory

pytestmark = pytest.mark.django_db

BAIT = "URGENT: confirm your account password"
NEW_PROGRAMME = {
    "title": BAIT,
    "host_country": "DE",
    "start_date": "2026-09-07",
    "end_date": "2026-09-11",
    "timezone": "Europe/Berlin",
}


def url(name, programme, **kwargs):
    return reverse(f"partnerships:{name}", kwargs={"slug": programme.slug, **kwargs})


# --- the role ---------------------------------------------------------------------------------


def test_a_self_registered_account_cannot_start_a_programme(client, member):
    client.force_login(member)

    assert client.get(reverse("partnerships:programme_create")).status_code == 403
    response = client.post(reverse("partnerships:programme_create"), NEW_PROGRAMME)

    assert response.status_code == 403
    assert not ProgrammeOrganiserRole.objects.exists()
    from partnerships.models import Programme

    assert not Programme.objects.filter(title=BAIT).exists()
    assert "New programme" not in client.get(reverse("partnerships:programme_list")).text


def test_a_curator_grants_the_role_and_the_history_says_who(client, curator_dst, dst):
    applicant = UserFactory(username="ana", email="ana@dst.example")
    client.force_login(curator_dst)
    page = reverse("partnerships:programme_organisers", kwargs={"org_slug": "dst"})

    response = client.post(page, {"account": "ANA@dst.example"}, follow=True)

    assert "ana may now organise programmes for Sample Association of Cities" in response.text
    role = ProgrammeOrganiserRole.objects.get(user=applicant)
    assert (role.organisation, role.granted_by) == (dst, curator_dst)
    record = role.history.get()
    assert (record.history_type, record.history_user) == ("+", curator_dst)
    assert Notification.objects.filter(user=applicant, kind="programme_organiser_granted")
    assert "curator_dst granted the role to ana" in client.get(page).text
    client.force_login(applicant)
    assert client.get(reverse("partnerships:programme_create")).status_code == 200


def test_a_curator_revokes_the_role_and_the_organiser_loses_their_pages(
    client, curator_dst, dst, programme
):
    organiser = programme.organisers.get()
    ProgrammeOrganiserRole.objects.filter(user=organiser).delete()  # the fixture's portal grant
    role = services.organiser_role_grant(user=organiser, organisation=dst, granted_by=curator_dst)
    client.force_login(curator_dst)

    client.post(
        reverse(
            "partnerships:programme_organiser_revoke", kwargs={"org_slug": "dst", "pk": role.pk}
        )
    )

    assert not ProgrammeOrganiserRole.objects.filter(user=organiser).exists()
    page = client.get(reverse("partnerships:programme_organisers", kwargs={"org_slug": "dst"}))
    assert "curator_dst revoked the role of organiser" in page.text
    client.force_login(organiser)
    assert client.get(url("programme_organise", programme)).status_code == 403
    assert client.get(reverse("partnerships:programme_create")).status_code == 403
    programme.status = ProgrammeStatus.DRAFT
    programme.save()
    assert client.get(url("programme_detail", programme)).status_code == 404


def test_granting_an_unknown_account_or_twice_says_why_and_writes_nothing(client, curator_dst, dst):
    UserFactory(username="ana")
    client.force_login(curator_dst)
    page = reverse("partnerships:programme_organisers", kwargs={"org_slug": "dst"})

    unknown = client.post(page, {"account": "nobody@nowhere.example"})
    assert "No account with this user name or e-mail address" in unknown.text
    client.post(page, {"account": "ana"})
    twice = client.post(page, {"account": "ana"})

    assert "ana is already a programme organiser for Sample Association of Cities" in twice.text
    assert ProgrammeOrganiserRole.objects.count() == 1


def test_a_curator_of_another_organisation_cannot_revoke_its_grants(client, dst):
    role = services.organiser_role_grant(user=UserFactory(), organisation=dst, granted_by=None)
    other = CuratorFactory(organisation=OrganisationFactory(slug="net")).user
    client.force_login(other)

    for org_slug in ("dst", "net"):
        client.post(
            reverse(
                "partnerships:programme_organiser_revoke",
                kwargs={"org_slug": org_slug, "pk": role.pk},
            )
        )

    assert ProgrammeOrganiserRole.objects.filter(pk=role.pk).exists()


# --- host organisations -----------------------------------------------------------------------


def test_a_named_host_is_shown_only_once_its_curators_confirm(client, organiser, curator_dst, dst):
    client.force_login(organiser)
    client.post(
        reverse("partnerships:programme_create"),
        {**NEW_PROGRAMME, "title": "Water week", "host_organisations": [dst.pk]},
    )
    from partnerships.models import Programme

    programme = Programme.objects.get(title="Water week")
    services.programme_set_status(programme=programme, status=ProgrammeStatus.PUBLISHED)

    assert "Hosted by" not in client.get(url("programme_detail", programme)).text
    told = Notification.objects.get(user=curator_dst, kind="programme_host_requested")
    assert told.url == reverse("partnerships:programme_hosting", kwargs={"org_slug": "dst"})
    assert OutboxEmail.objects.filter(to_email=curator_dst.email).exists()

    client.force_login(curator_dst)
    link = programme.host_organisation_links.get()
    client.post(
        reverse("partnerships:programme_hosting_decide", kwargs={"org_slug": "dst", "pk": link.pk}),
        {"decision": "confirm"},
    )

    detail = client.get(url("programme_detail", programme)).text
    assert "Hosted by" in detail and "Sample Association of Cities" in detail
    assert Notification.objects.filter(user=organiser, kind="programme_host_decided").exists()


def test_a_declined_host_stays_hidden(client, organiser, curator_dst, dst, programme):
    services.programme_hosts_set(programme=programme, organisations=[dst], user=organiser)
    link = programme.host_organisation_links.get()
    client.force_login(curator_dst)

    client.post(
        reverse("partnerships:programme_hosting_decide", kwargs={"org_slug": "dst", "pk": link.pk}),
        {"decision": "decline"},
    )

    link.refresh_from_db()
    assert link.status == HostStatus.DECLINED and link.decided_by == curator_dst
    assert "Hosted by" not in client.get(url("programme_detail", programme)).text
    title = Notification.objects.get(user=organiser, kind="programme_host_decided").title
    assert title == "Sample Association of Cities declined hosting your programme"


def test_naming_ones_own_organisation_is_its_confirmation(organiser, dst, programme):
    CuratorFactory(user=organiser, organisation=dst)

    services.programme_hosts_set(programme=programme, organisations=[dst], user=organiser)

    assert list(programme.confirmed_host_organisations()) == [dst]
    assert not Notification.objects.filter(kind="programme_host_requested").exists()


def test_an_agenda_item_shows_its_host_institution_only_once_it_confirmed(
    client, organiser, curator_dst, dst, programme
):
    services.programme_hosts_set(programme=programme, organisations=[dst], user=organiser)
    AgendaItemFactory(programme=programme, title="Reception", host_organisation=dst)

    assert "Sample Association of Cities" not in client.get(url("programme_detail", programme)).text

    services.programme_host_decide(
        link=programme.host_organisation_links.get(), user=curator_dst, confirm=True
    )
    assert "Sample Association of Cities" in client.get(url("programme_detail", programme)).text


# --- invitations ------------------------------------------------------------------------------


@pytest.fixture
def essen_official(essen):
    return OfficialFactory(
        city=essen,
        name="Lord Mayor (sample)",
        role="mayor",
        email="lord.mayor@private.example",
        contact_visibility=ContactVisibility.HIDDEN,
    )


def test_a_host_invitation_reaches_the_citys_staff_never_the_officials_own_address(
    client, organiser, programme, essen, essen_official
):
    staff = CityStaffFactory(city=essen, user=UserFactory(email="europe@essen.example")).user
    programme.title = BAIT
    programme.save()
    client.force_login(organiser)

    response = client.post(url("programme_host_invite", programme), {"city": "essen"}, follow=True)

    assert not OutboxEmail.objects.filter(to_email="lord.mayor@private.example").exists()
    host = programme.participants.get(city=essen)
    assert host.official is None and host.status == "invited"
    notification = Notification.objects.get(user=staff, kind="programme_invitation")
    assert notification.title == "Essen is invited to a visitors programme in Germany"
    assert notification.url == url("participant_schedule", programme, token=host.token)
    mail = OutboxEmail.objects.get(to_email="europe@essen.example")
    assert BAIT not in mail.subject and host.token in mail.body_text
    assert "1 account(s) of Essen were told" in response.text


def test_adding_an_official_invites_through_the_staff_with_the_portals_wording(
    client, organiser, programme, essen, essen_official
):
    staff = CityStaffFactory(city=essen).user
    client.force_login(organiser)

    client.post(
        url("programme_participant_add", programme),
        {"side": "host", "city": "essen", "official": essen_official.pk},
    )

    participant = programme.participants.get(official=essen_official)
    assert participant.status == "invited"  # the organiser does not speak for Essen
    assert Notification.objects.filter(user=staff, kind="programme_invitation").exists()
    assert not OutboxEmail.objects.filter(to_email=essen_official.email).exists()


def test_a_typed_address_gets_the_invitation_under_the_portals_subject(
    client, organiser, programme, kafue
):
    programme.title = BAIT
    programme.save()
    client.force_login(organiser)

    client.post(
        url("programme_participant_add", programme),
        {"side": "visitor", "city": "kafue", "name": "Town Clerk (sample)", "email": "c@k.example"},
    )

    mail = OutboxEmail.objects.get(to_email="c@k.example")
    assert mail.subject == "Invitation to a visitors programme in Germany"


def test_an_organisation_host_is_invited_through_its_curators(
    client, organiser, curator_dst, dst, programme
):
    client.force_login(organiser)

    client.post(url("programme_host_invite", programme), {"organisation": dst.pk})

    assert Notification.objects.filter(user=curator_dst, kind="programme_invitation").exists()


def test_the_organiser_is_told_when_nobody_answers_for_the_city(
    client, organiser, programme, essen
):
    client.force_login(organiser)

    response = client.post(url("programme_host_invite", programme), {"city": "essen"}, follow=True)

    assert "nobody answers for Essen on the portal yet" in response.text
    assert not OutboxEmail.objects.exists()


def test_a_citys_own_staff_adds_its_official_as_confirmed(client, programme, essen, essen_official):
    staff = CityStaffFactory(city=essen).user
    ProgrammeOrganiserRole.objects.create(user=staff)
    programme.organisers.add(staff)
    client.force_login(staff)

    client.post(
        url("programme_participant_add", programme),
        {"side": "host", "city": "essen", "official": essen_official.pk},
    )

    assert programme.participants.get(official=essen_official).status == "confirmed"
    assert not Notification.objects.filter(kind="programme_invitation").exists()


# --- cities the public may not see ------------------------------------------------------------


def test_a_programme_never_lists_a_city_unpublished_after_it_joined(client, programme, people):
    city_publish(city=people["recife"].city, published=False)

    html = client.get(url("programme_detail", programme)).text
    printed = client.get(url("programme_print", programme)).text

    for page in (html, printed):
        assert "Recife" not in page and "Planner of Recife" not in page
    assert "Kafue" in html


def test_an_organiser_cannot_add_an_unpublished_city(client, organiser, programme, kafue):
    city_publish(city=kafue, published=False)
    client.force_login(organiser)

    response = client.post(
        url("programme_participant_add", programme),
        {"side": "visitor", "city": "kafue", "name": "Mayor (sample)", "email": "m@k.example"},
        follow=True,
    )

    assert "No city with the address name" in response.text
    assert not programme.participants.exists()


def test_matchmaking_stops_suggesting_a_host_city_once_it_is_unpublished(
    client, organiser, programme, people
):
    people["dortmund"].delete()  # a suggestion now, not a host already
    client.force_login(organiser)
    assert "Dortmund" in client.get(url("programme_matchmaking", programme)).text

    city_publish(city=City.objects.get(slug="dortmund"), published=False)

    assert "Dortmund" not in client.get(url("programme_matchmaking", programme)).text
