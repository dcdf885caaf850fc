"""Editing a city profile: who may, what the forms refuse, and the recorded history with
revert."""

import pytest
from django.urls import reverse

from cities.choices import ContactVisibility
from cities.models import (
    Challenge,
    City,
    Membership,
    Official,
    Organisation,
    Theme,
    VerificationStatus,
)

from .factories import ChallengeFactory, OfficialFactory, OrganisationFactory

PROFILE = {
    "summary": "A river city south of Lusaka.",
    "website": "https://kafue.example",
    "population": "71000",
    "working_languages": "en, bem",
    "open_to_partnerships": "on",
    "partnership_kinds_sought": ["climate", "peer_learning"],
    "looking_for": "Flood early warning.",
}


def edit_url(slug="kafue"):
    return reverse("cities:edit", kwargs={"slug": slug})


@pytest.mark.django_db
def test_it_lets_city_staff_edit_the_profile(client, staff_kafue, kafue):
    client.force_login(staff_kafue)

    response = client.post(edit_url(), PROFILE)

    assert response.status_code == 302
    kafue.refresh_from_db()
    assert kafue.summary == PROFILE["summary"]
    assert kafue.working_languages == ["en", "bem"]
    assert kafue.partnership_kinds_sought == ["climate", "peer_learning"]


@pytest.mark.django_db
def test_it_lets_a_curator_of_the_citys_organisation_edit(client, curator_dst, kafue):
    client.force_login(curator_dst)

    assert client.post(edit_url(), PROFILE).status_code == 302


@pytest.mark.django_db
def test_it_refuses_staff_of_another_city_swapping_the_slug(client, staff_recife, kafue):
    client.force_login(staff_recife)

    response = client.post(edit_url("kafue"), PROFILE)

    assert response.status_code == 403
    kafue.refresh_from_db()
    assert kafue.summary == ""


@pytest.mark.django_db
def test_it_ignores_hidden_fields_the_editor_may_not_set(client, staff_kafue, kafue):
    other = OrganisationFactory()
    client.force_login(staff_kafue)

    client.post(
        edit_url(),
        {
            **PROFILE,
            "verification_status": "verified",
            "verified_by": other.pk,
            "verified_at": "2026-01-01T00:00",
            "is_sample": "on",
            "is_published": "",
            "name": "Renamed",
            "slug": "renamed",
            "completeness": "100",
            "organisations": [other.pk],
            "memberships": [other.pk],
            "organisation": other.pk,
        },
    )

    kafue.refresh_from_db()
    assert kafue.summary == PROFILE["summary"]  # the allowed part was saved
    assert kafue.verification_status == VerificationStatus.UNVERIFIED
    assert kafue.verified_by is None and kafue.verified_at is None
    assert (kafue.is_sample, kafue.is_published) == (False, True)
    assert (kafue.name, kafue.slug) == ("Kafue", "kafue")
    assert not Membership.objects.filter(organisation=other).exists()


@pytest.mark.django_db
def test_it_adds_an_official_to_the_own_city_even_when_another_city_is_posted(
    client, staff_kafue, kafue, recife
):
    client.force_login(staff_kafue)

    client.post(
        reverse("cities:edit_officials", kwargs={"slug": "kafue"}),
        {
            "name": "Head of International Relations (sample)",
            "role": "international_relations",
            "email": "ir@kafue.example",
            "contact_visibility": "members",
            "city": recife.pk,
        },
    )

    official = Official.objects.get()
    assert official.city == kafue
    assert not recife.officials.exists()


@pytest.mark.django_db
def test_it_refuses_editing_another_citys_official_by_swapping_ids(
    client, staff_kafue, kafue, recife
):
    theirs = OfficialFactory(city=recife, name="Mayor (sample)")
    client.force_login(staff_kafue)

    # Their official's id under the own city's slug: not found.
    response = client.post(
        reverse("cities:edit_official", kwargs={"slug": "kafue", "pk": theirs.pk}),
        {"name": "Hijacked", "role": "mayor", "contact_visibility": "public"},
    )
    deleting = client.post(
        reverse("cities:delete_official", kwargs={"slug": "recife", "pk": theirs.pk})
    )

    assert response.status_code == 404
    assert deleting.status_code == 403
    theirs.refresh_from_db()
    assert theirs.name == "Mayor (sample)"


@pytest.mark.django_db
def test_it_shows_a_form_error_for_an_invalid_official(client, staff_kafue, kafue):
    client.force_login(staff_kafue)

    response = client.post(
        reverse("cities:edit_officials", kwargs={"slug": "kafue"}),
        {"name": "", "role": "pope", "email": "not-an-address", "contact_visibility": "public"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"name", "role", "email"}
    assert not Official.objects.exists()


@pytest.mark.django_db
def test_it_adds_a_challenge_that_seeks_and_refuses_one_that_does_neither(
    client, staff_kafue, kafue
):
    theme = Theme.objects.get(slug="flooding")
    client.force_login(staff_kafue)
    url = reverse("cities:edit_challenges", kwargs={"slug": "kafue"})

    refused = client.post(url, {"theme": theme.pk, "priority": "high"})
    added = client.post(url, {"theme": theme.pk, "priority": "high", "seeks_help": "on"})
    duplicate = client.post(url, {"theme": theme.pk, "priority": "low", "offers_expertise": "on"})

    assert refused.status_code == 200
    assert added.status_code == 302
    assert duplicate.status_code == 200
    assert "already has a challenge on this theme" in duplicate.content.decode()
    assert Challenge.objects.get(city=kafue).seeks_help


@pytest.mark.django_db
def test_it_adds_an_initiative_with_themes_and_refuses_one_ending_before_it_starts(
    client, staff_kafue, kafue
):
    theme = Theme.objects.get(slug="flooding")
    client.force_login(staff_kafue)
    url = reverse("cities:edit_initiatives", kwargs={"slug": "kafue"})
    data = {"title": "River gauges", "status": "ongoing", "themes": [theme.pk], "sdgs": "11, 13"}

    refused = client.post(url, {**data, "start_date": "2026-05-01", "end_date": "2026-01-01"})
    added = client.post(url, {**data, "start_date": "2026-01-01"})

    assert refused.status_code == 200
    assert added.status_code == 302
    initiative = kafue.initiatives.get()
    assert list(initiative.themes.all()) == [theme]
    assert initiative.sdgs == [11, 13]


@pytest.mark.django_db
def test_it_offers_only_organisations_the_curator_curates(client, curator_dst, recife, dst):
    other = OrganisationFactory(slug="other")
    client.force_login(curator_dst)
    url = reverse("cities:edit_memberships", kwargs={"slug": "kafue"})

    # A curator of dst may not add kafue to an organisation they do not curate.
    response = client.post(url, {"organisation": other.pk})

    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Membership.objects.filter(organisation=other).exists()


@pytest.mark.django_db
def test_it_does_not_let_city_staff_add_a_membership(client, staff_kafue, kafue):
    other = OrganisationFactory(slug="other")
    client.force_login(staff_kafue)

    response = client.post(
        reverse("cities:edit_memberships", kwargs={"slug": "kafue"}), {"organisation": other.pk}
    )

    assert response.status_code == 403
    assert not Membership.objects.filter(organisation=other).exists()


@pytest.mark.django_db
def test_it_lets_a_curator_add_a_city_they_may_edit_to_their_organisation(
    client, curator_dst, kafue, dst
):
    second = Organisation.objects.create(name="Second network", slug="second", kind="network")
    curator_dst.curator_roles.create(organisation=second)
    client.force_login(curator_dst)

    client.post(
        reverse("cities:edit_memberships", kwargs={"slug": "kafue"}),
        {"organisation": second.pk, "since": "2020-01-01"},
    )

    assert Membership.objects.filter(city=kafue, organisation=second).exists()


@pytest.mark.django_db
def test_it_schedules_completeness_and_matching_after_an_edit(
    client, staff_kafue, kafue, django_capture_on_commit_callbacks
):
    client.force_login(staff_kafue)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(edit_url(), PROFILE)

    assert callbacks  # completeness refresh (and the match refresh when matching exists)
    kafue.refresh_from_db()
    assert kafue.completeness > 0


# --- history and revert -----------------------------------------------------------------------


@pytest.mark.django_db
def test_it_records_who_changed_which_field_from_what_to_what(client, staff_kafue, kafue):
    client.force_login(staff_kafue)
    client.post(edit_url(), {**PROFILE, "summary": "First."})
    client.post(edit_url(), {**PROFILE, "summary": "Second."})

    response = client.get(reverse("cities:history", kwargs={"slug": "kafue"}))

    html = response.content.decode()
    newest = response.context["entries"][0]
    assert newest.user == staff_kafue
    assert [(c.field, c.old, c.new) for c in newest.changes] == [("summary", "First.", "Second.")]
    assert "staff_kafue" in html and "<del>First.</del>" in html


@pytest.mark.django_db
def test_it_lists_changes_to_officials_and_challenges_on_the_citys_history(
    client, staff_kafue, kafue, recife
):
    OfficialFactory(city=kafue, name="Mayor (sample)")
    ChallengeFactory(city=kafue)
    OfficialFactory(city=recife, name="Someone else (sample)")
    client.force_login(staff_kafue)

    entries = client.get(reverse("cities:history", kwargs={"slug": "kafue"})).context["entries"]

    labels = {(e.key, e.object_label) for e in entries}
    assert ("official", "Mayor (sample)") in labels
    assert any(key == "challenge" for key, _label in labels)
    assert all(label != "Someone else (sample)" for _key, label in labels)


@pytest.mark.django_db
def test_it_shows_the_history_page_in_a_bounded_number_of_queries(
    client, staff_kafue, kafue, django_assert_max_num_queries
):
    for n in range(15):
        OfficialFactory(city=kafue, name=f"Official {n} (sample)")
    client.force_login(staff_kafue)

    with django_assert_max_num_queries(30):
        response = client.get(reverse("cities:history", kwargs={"slug": "kafue"}))

    assert len(response.context["entries"]) >= 15


@pytest.mark.django_db
def test_it_lets_a_curator_revert_one_change(client, staff_kafue, curator_dst, kafue):
    client.force_login(staff_kafue)
    client.post(edit_url(), {**PROFILE, "summary": "Good."})
    client.post(edit_url(), {**PROFILE, "summary": "Vandalised.", "website": "https://x.example"})
    client.force_login(curator_dst)
    entry = client.get(reverse("cities:history", kwargs={"slug": "kafue"})).context["entries"][0]

    response = client.post(
        reverse("cities:history_revert", kwargs={"slug": "kafue"}),
        {"key": entry.key, "history_id": entry.history_id},
    )

    assert response.status_code == 302
    kafue.refresh_from_db()
    assert (kafue.summary, kafue.website) == ("Good.", PROFILE["website"])


@pytest.mark.django_db
def test_it_restores_a_deleted_official_and_undoes_a_creation(client, curator_dst, kafue):
    official = OfficialFactory(city=kafue, name="Mayor (sample)")
    client.force_login(curator_dst)
    client.post(reverse("cities:delete_official", kwargs={"slug": "kafue", "pk": official.pk}))
    deletion = Official.history.get(id=official.pk, history_type="-")
    url = reverse("cities:history_revert", kwargs={"slug": "kafue"})

    client.post(url, {"key": "official", "history_id": deletion.history_id})
    assert Official.objects.get(pk=official.pk).name == "Mayor (sample)"

    creation = Official.history.filter(id=official.pk, history_type="+").earliest("history_date")
    client.post(url, {"key": "official", "history_id": creation.history_id})
    assert not Official.objects.filter(pk=official.pk).exists()


@pytest.mark.django_db
def test_it_does_not_let_city_staff_revert(client, staff_kafue, kafue):
    OfficialFactory(city=kafue)
    record = Official.history.get()
    client.force_login(staff_kafue)

    response = client.post(
        reverse("cities:history_revert", kwargs={"slug": "kafue"}),
        {"key": "official", "history_id": record.history_id},
    )

    assert response.status_code == 403
    assert Official.objects.exists()


@pytest.mark.django_db
def test_it_refuses_reverting_another_citys_record_through_the_own_city(
    client, curator_dst, kafue, recife
):
    theirs = OfficialFactory(city=recife)
    record = Official.history.get(id=theirs.pk)
    client.force_login(curator_dst)

    response = client.post(
        reverse("cities:history_revert", kwargs={"slug": "kafue"}),
        {"key": "official", "history_id": record.history_id},
    )

    assert response.status_code == 404
    assert Official.objects.filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_it_keeps_contact_visibility_choices_on_the_official_form(client, staff_kafue, kafue):
    client.force_login(staff_kafue)

    client.post(
        reverse("cities:edit_officials", kwargs={"slug": "kafue"}),
        {
            "name": "Head of International Relations (sample)",
            "role": "international_relations",
            "email": "ir@kafue.example",
            "contact_visibility": "hidden",
        },
    )

    assert Official.objects.get().contact_visibility == ContactVisibility.HIDDEN
    assert City.objects.get(pk=kafue.pk).officials.count() == 1


@pytest.mark.django_db
def test_it_records_an_initiatives_themes_and_lets_a_curator_revert_them(
    client, curator_dst, kafue
):
    from cities.editing import services as edit_services
    from cities.models import Initiative, Theme

    heat, flooding = Theme.objects.get(slug="urban-heat"), Theme.objects.get(slug="flooding")
    initiative = edit_services.initiative_create(
        city=kafue, title="Cool roofs (sample)", themes=[heat]
    )
    edit_services.initiative_update(initiative=initiative, changes={}, themes=[flooding])
    client.force_login(curator_dst)

    entries = client.get(reverse("cities:history", kwargs={"slug": "kafue"})).context["entries"]
    # Replacing the set is recorded as Django performs it: the old theme removed, the new added.
    added, removed = (
        next(c for c in entry.changes if c.label == "themes") for entry in entries[:2]
    )
    assert (added.old, added.new) == (None, "Climate adaptation › Flooding")
    assert (removed.old, removed.new) == ("Climate adaptation › Heat", None)

    response = client.post(
        reverse("cities:history_revert", kwargs={"slug": "kafue"}),
        {"key": "initiative", "history_id": entries[1].history_id},
    )

    assert response.status_code == 302
    assert list(Initiative.objects.get(pk=initiative.pk).themes.all()) == [heat]
