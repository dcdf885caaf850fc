"""Review of imported partnerships: staff and curators of a city confirm, correct or reject
them; their work survives the next import; the public sees the state."""

import datetime

import pytest
from django.urls import reverse

from cities.importers.wikidata import parse_links
from partnerships.imports import partnerships_import
from partnerships.models import Partnership, PartnershipConfirmation, PartnershipEventKind
from tests.cities.factories import CityFactory

from .factories import PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lusaka(db):
    return CityFactory(name="Lusaka", slug="lusaka", country="ZM", wikidata_id="Q3881")


@pytest.fixture
def imported(kafue, recife, lusaka):
    """Kafue's two twinnings from Wikidata, and one between two other cities."""
    kafue.wikidata_id, recife.wikidata_id = "Q1024394", "Q48344"
    kafue.save(update_fields=["wikidata_id"])
    recife.save(update_fields=["wikidata_id"])
    elsewhere = CityFactory(name="Porto", slug="porto", country="PT", wikidata_id="Q36433")
    partnerships_import(
        links=_links(("Q1024394", "Q48344"), ("Q1024394", "Q3881"), ("Q48344", "Q36433"))
    )
    pair = {p.other(kafue).slug: p for p in Partnership.objects.involving(kafue)}
    pair["porto"] = Partnership.objects.involving(elsewhere).get()
    return pair


def _links(*pairs):
    return parse_links(
        {"format": 1, "cities": {}, "twinnings": [[a, b, "2026-04"] for a, b in pairs]}
    )


def reimport():
    return partnerships_import(
        links=_links(("Q1024394", "Q48344"), ("Q1024394", "Q3881"), ("Q48344", "Q36433"))
    )


def post(client, user, name, partnership, data=None):
    client.force_login(user)
    return client.post(reverse(f"partnerships:{name}", kwargs={"pk": partnership.pk}), data or {})


# --- confirm ------------------------------------------------------------------------------


def test_city_staff_confirm_with_kind_start_and_status(client, staff_kafue, imported):
    row = imported["recife"]
    response = post(
        client,
        staff_kafue,
        "confirm",
        row,
        {"kind": "friendship", "since": "1998-06-01", "status": "active"},
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.confirmation == PartnershipConfirmation.CITY
    assert (row.kind, row.since, row.status) == ("friendship", datetime.date(1998, 6, 1), "active")
    assert row.confirmed_by == staff_kafue
    event = row.events.get()
    assert (event.kind, event.actor, event.role) == ("confirmed", staff_kafue, "city")
    assert event.changes["kind"] == ["twinning", "friendship"]
    assert event.changes["confirmation"] == ["unconfirmed", "city"]


def test_a_curator_confirms_as_curator(client, curator_dst, imported):
    row = imported["lusaka"]
    post(client, curator_dst, "confirm", row)
    row.refresh_from_db()
    assert row.confirmation == PartnershipConfirmation.CURATOR
    assert row.status == "unknown"  # confirmed to exist; nobody said it is alive


def test_confirmed_corrected_and_rejected_rows_survive_the_next_import(
    client, staff_kafue, curator_dst, imported
):
    post(client, staff_kafue, "confirm", imported["recife"], {"kind": "friendship"})
    post(
        client,
        curator_dst,
        "correct",
        imported["lusaka"],
        {"kind": "twinning", "status": "ended", "since": "1990-01-01", "until": "2010-12-31"},
    )
    post(client, staff_kafue, "reject", imported["lusaka"])  # then marked not a partnership
    before = sorted(
        Partnership.objects.values_list("pk", "kind", "status", "until", "confirmation")
    )

    result = reimport()

    assert (result.created, result.updated, result.reviewed_kept) == (0, 0, 2)
    after = sorted(Partnership.objects.values_list("pk", "kind", "status", "until", "confirmation"))
    assert after == before


def test_confirming_a_kind_the_pair_already_has_is_refused_with_a_message(
    client, staff_kafue, kafue, recife, imported
):
    PartnershipFactory(first=kafue, second=recife, kind="friendship", source="request")

    response = post(client, staff_kafue, "confirm", imported["recife"], {"kind": "friendship"})

    assert response.status_code == 400
    assert "already have a partnership of this kind" in response.content.decode()
    imported["recife"].refresh_from_db()
    assert imported["recife"].confirmation == PartnershipConfirmation.UNCONFIRMED


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "marriage"},
        {"status": "proposed"},
        {"status": "<script>"},
        {"since": "yesterday"},
        {"since": "2999-01-01"},
        {"since": "1066-10-14"},
    ],
)
def test_garbage_in_the_confirm_form_is_a_400_and_changes_nothing(
    client, staff_kafue, imported, data
):
    response = post(client, staff_kafue, "confirm", imported["recife"], data)
    assert response.status_code == 400
    imported["recife"].refresh_from_db()
    assert imported["recife"].confirmation == PartnershipConfirmation.UNCONFIRMED
    assert not imported["recife"].events.exists()


# --- correct ------------------------------------------------------------------------------


def test_correcting_sets_the_facts_and_confirms(client, staff_recife, imported):
    row = imported["recife"]
    response = post(
        client,
        staff_recife,
        "correct",
        row,
        {
            "kind": "climate",
            "status": "ended",
            "since": "2005-03-01",
            "until": "2015-03-01",
            "description": "Mangroves.",
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.kind, row.status, row.until, row.description) == (
        "climate",
        "ended",
        datetime.date(2015, 3, 1),
        "Mangroves.",
    )
    assert row.confirmation == PartnershipConfirmation.CITY
    assert row.events.get().kind == PartnershipEventKind.CORRECTED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"kind": "twinning", "status": "ended", "since": "2010-01-01", "until": "2000-01-01"},
            "cannot end before it starts",
        ),
        ({"kind": "twinning", "status": "active", "until": "2000-01-01"}, "has ended"),
        ({"kind": "", "status": "active"}, "This field is required"),
        ({"kind": "twinning", "status": "active", "description": "x" * 2001}, "at most 2000"),
    ],
)
def test_a_bad_correction_is_a_400_naming_the_problem(client, staff_kafue, imported, data, message):
    response = post(client, staff_kafue, "correct", imported["recife"], data)
    assert response.status_code == 400
    assert message in response.content.decode()
    imported["recife"].refresh_from_db()
    assert imported["recife"].confirmation == PartnershipConfirmation.UNCONFIRMED


# --- reject -------------------------------------------------------------------------------


def test_a_rejected_partnership_is_hidden_from_the_public_but_kept_for_the_reviewers(
    client, staff_kafue, kafue, imported
):
    post(client, staff_kafue, "reject", imported["lusaka"], {"note": "Only a school exchange."})
    client.logout()

    profile = client.get(kafue.get_absolute_url()).content.decode()
    # The partnerships section only: once "not a partnership", Lusaka may well be suggested.
    partners = profile[profile.index('id="partnerships"') :]
    partners = partners[: partners.index("</section>")]
    registry = client.get(reverse("partnerships:list")).content.decode()
    detail = client.get(imported["lusaka"].get_absolute_url())

    assert "Lusaka" not in partners and "Recife" in partners
    assert "Lusaka" not in registry
    assert detail.status_code == 404
    client.force_login(staff_kafue)
    review = client.get(reverse("partnerships:review"), {"state": "rejected"}).content.decode()
    assert "Lusaka" in review
    assert imported["lusaka"].events.get().note == "Only a school exchange."


def test_only_staff_and_curators_of_a_city_may_review_its_partnerships(
    client, staff_recife, member, imported
):
    # Kafue–Lusaka: Recife's staff see it (it is public) but may not touch it.
    assert post(client, staff_recife, "confirm", imported["lusaka"]).status_code == 403
    assert post(client, staff_recife, "reject", imported["lusaka"]).status_code == 403
    assert post(client, member, "confirm", imported["recife"]).status_code == 403
    client.logout()
    response = client.post(reverse("partnerships:confirm", kwargs={"pk": imported["recife"].pk}))
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not Partnership.objects.exclude(confirmation="unconfirmed").exists()


# --- the review list ------------------------------------------------------------------------


def rows(response):
    return {(p.city_a.name, p.city_b.name) for p in response.context["page"].object_list}


def test_the_review_list_shows_the_imported_partnerships_of_the_reviewers_cities(
    client, staff_kafue, imported
):
    client.force_login(staff_kafue)
    response = client.get(reverse("partnerships:review"))
    assert response.status_code == 200
    names = {name for pair in rows(response) for name in pair}
    assert names == {"Kafue", "Recife", "Lusaka"}  # not Recife–Porto: not Kafue's


def test_the_review_list_puts_pairs_gone_from_wikidata_first(client, staff_kafue, imported):
    partnerships_import(links=_links(("Q1024394", "Q48344"), ("Q48344", "Q36433")))  # Lusaka gone
    client.force_login(staff_kafue)

    response = client.get(reverse("partnerships:review"))

    first = response.context["page"].object_list[0]
    assert first.pk == imported["lusaka"].pk
    assert "no longer in Wikidata" in response.content.decode()
    flagged = client.get(reverse("partnerships:review"), {"state": "flagged"})
    assert [p.pk for p in flagged.context["page"].object_list] == [imported["lusaka"].pk]


def test_confirming_from_the_list_comes_back_to_the_list(client, staff_kafue, imported):
    client.force_login(staff_kafue)
    back = reverse("partnerships:review") + "?state=unconfirmed"
    response = client.post(
        reverse("partnerships:confirm", kwargs={"pk": imported["recife"].pk}), {"next": back}
    )
    assert response["Location"] == back
    # Somewhere else is not followed.
    response = client.post(
        reverse("partnerships:confirm", kwargs={"pk": imported["lusaka"].pk}),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == imported["lusaka"].get_absolute_url()


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"state": "everything"}, 400),
        ({"city": "<script>"}, 400),
        ({"city": "no-such-city"}, 404),
        ({"city": "porto"}, 403),
        ({"page": "last-but-one"}, 200),
    ],
)
def test_garbage_in_the_review_filters_is_a_clear_4xx(
    client, staff_kafue, imported, params, status
):
    client.force_login(staff_kafue)
    response = client.get(reverse("partnerships:review"), params)
    assert response.status_code == status


def test_a_member_without_a_city_has_no_review_list(client, member):
    client.force_login(member)
    assert client.get(reverse("partnerships:review")).status_code == 403


# --- what the public sees ---------------------------------------------------------------------


def test_visitors_see_imported_partnerships_labelled_with_source_and_state(client, kafue, imported):
    page = client.get(kafue.get_absolute_url()).content.decode()
    assert "Recife" in page and "Lusaka" in page
    assert "From Wikidata, unconfirmed" in page
    assert "https://www.wikidata.org/wiki/Q48344" in page
    assert "Twinnings: Wikidata (CC0)" in page  # the footer credits the source
    detail = client.get(imported["recife"].get_absolute_url()).content.decode()
    assert "From Wikidata, unconfirmed" in detail
    assert "Status unknown" in detail


def test_the_profile_says_who_confirmed(client, staff_kafue, curator_dst, kafue, imported):
    post(client, staff_kafue, "confirm", imported["recife"])
    post(client, curator_dst, "confirm", imported["lusaka"])
    client.logout()
    page = client.get(kafue.get_absolute_url()).content.decode()
    assert "Confirmed by the city" in page
    assert "Confirmed by a curator" in page
