"""Accounts, profile editing, history, staff, join requests, problem reports and curation."""

from cities.models import ContentFlag, ImportJob, ImportKind, Invitation, JoinRequest, Official
from cities.models.accounts import token_hash
from tests.cities.factories import (
    ChallengeFactory,
    InitiativeFactory,
    OfficialFactory,
    UserFactory,
)

from .matrix import (
    ADMIN,
    ADMIN_ONLY,
    CITY_EDITORS,
    CURATOR_OTHER,
    CURATOR_THIS,
    CURATORS,
    EVERYONE,
    ORG_CURATORS,
    SIGNED_IN,
    Entry,
)

STAFF_MANAGERS = frozenset({CURATOR_THIS, ADMIN})  # the world's staff_this is an editor


def city(w):
    return {"slug": w.city.slug}


def org(w):
    return {"org_slug": w.organisation.slug}


def org_city(w):
    return {"org_slug": w.organisation.slug, "slug": w.city.slug}


def invitation_token(w):
    from django.utils import timezone

    token = Invitation.new_token()
    Invitation.objects.create(
        email="new.person@city.example",
        city=w.city,
        token_hash=token_hash(token),
        expires_at=timezone.now() + Invitation.VALID_FOR,
    )
    return {"token": token}


def item(factory):
    return lambda w: {"slug": w.city.slug, "pk": factory(city=w.city).pk}


def revert_data(w, kwargs):
    official = OfficialFactory(city=w.city)
    record = Official.history.filter(id=official.pk).latest("history_date")
    return {"key": "official", "history_id": record.history_id}


def revert_other_membership(w, kwargs):
    """This city also joined the other organisation; revert (= end) that membership."""
    from cities.editing.services import membership_create
    from cities.models import Membership

    membership_create(city=w.city, organisation=w.other_organisation)
    record = Membership.history.filter(
        city_id=w.city.pk, organisation_id=w.other_organisation.pk
    ).latest("history_date")
    return {"key": "membership", "history_id": record.history_id}


def revert_other_verification(w, kwargs):
    """This city, also a member of the other organisation, was verified by it; undo that."""
    from cities.curation.services import city_verify
    from cities.editing.services import membership_create
    from cities.models import City

    membership_create(city=w.city, organisation=w.other_organisation)
    city_verify(city=w.city, organisation=w.other_organisation)
    record = City.history.filter(id=w.city.pk).latest("history_date", "history_id")
    return {"key": "city", "history_id": record.history_id}


def join_request(w):
    request = JoinRequest.objects.create(user=UserFactory(username="applicant"), city=w.city)
    return {"slug": w.city.slug, "pk": request.pk}


def form_views(names, allowed, **extra):
    return [Entry(name, methods={"GET": allowed, "POST": allowed}, **extra) for name in names]


ENTRIES = [
    # --- sign-in, sign-up, passwords (Django's auth views) ---
    Entry("login", methods={"GET": EVERYONE, "POST": EVERYONE}, reason="Public sign-in form."),
    Entry("logout", methods={"POST": EVERYONE}, reason="Signing out is a POST; anyone may."),
    *form_views(["password_change"], SIGNED_IN, reason="Only for a signed-in person."),
    Entry("password_change_done", methods={"GET": SIGNED_IN}),
    *form_views(["password_reset", "signup"], EVERYONE, reason="Public forms."),
    Entry("password_reset_done", methods={"GET": EVERYONE}),
    Entry(
        "password_reset_confirm",
        kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"},
        methods=dict.fromkeys(("GET", "POST", "PUT", "PATCH", "DELETE"), EVERYONE),
        reason="Public; Django's view answers an invalid link with an explanation on any method.",
    ),
    Entry("password_reset_complete", methods={"GET": EVERYONE}),
    *form_views(["profile"], SIGNED_IN, reason="A person's own settings."),
    Entry(
        "invitation_accept",
        kwargs=invitation_token,
        methods={"GET": EVERYONE, "POST": EVERYONE},
        reason="The link is the secret: anyone holding a valid one may accept it.",
    ),
    # --- profile editing ---
    *form_views(
        [
            "cities:edit",
            "cities:edit_officials",
            "cities:edit_challenges",
            "cities:edit_initiatives",
        ],
        CITY_EDITORS,
        kwargs=city,
        reason="The city's staff, curators of its organisations, site admins.",
    ),
    Entry(
        "cities:edit_official",
        kwargs=item(OfficialFactory),
        methods={"GET": CITY_EDITORS, "POST": CITY_EDITORS},
    ),
    Entry(
        "cities:edit_challenge",
        kwargs=item(ChallengeFactory),
        methods={"GET": CITY_EDITORS, "POST": CITY_EDITORS},
    ),
    Entry(
        "cities:edit_initiative",
        kwargs=item(InitiativeFactory),
        methods={"GET": CITY_EDITORS, "POST": CITY_EDITORS},
    ),
    Entry("cities:delete_official", kwargs=item(OfficialFactory), methods={"POST": CITY_EDITORS}),
    Entry("cities:delete_challenge", kwargs=item(ChallengeFactory), methods={"POST": CITY_EDITORS}),
    Entry(
        "cities:delete_initiative", kwargs=item(InitiativeFactory), methods={"POST": CITY_EDITORS}
    ),
    Entry(
        "cities:edit_memberships",
        kwargs=city,
        methods={"GET": CITY_EDITORS, "POST": STAFF_MANAGERS},
        reason="Staff see memberships; only curators (and admins) add their organisation's.",
    ),
    Entry(
        "cities:delete_membership",
        kwargs=lambda w: {"slug": w.city.slug, "pk": w.city.memberships.get().pk},
        methods={"POST": CITY_EDITORS},
        reason="Staff may leave an organisation; its curators may remove the city.",
    ),
    # --- staff, invitations, join requests ---
    Entry(
        "cities:edit_staff",
        kwargs=city,
        methods={"GET": STAFF_MANAGERS},
        reason="The city's admins and curators (staff_this is an editor).",
    ),
    Entry(
        "cities:invite",
        kwargs=city,
        methods={"POST": STAFF_MANAGERS},
        data=lambda w, kw: {"email": "someone@city.example", "role": "editor"},
    ),
    Entry(
        "cities:invitation_revoke",
        kwargs=lambda w: {
            "slug": w.city.slug,
            "pk": Invitation.objects.get(token_hash=token_hash(invitation_token(w)["token"])).pk,
        },
        methods={"POST": STAFF_MANAGERS},
    ),
    Entry(
        "cities:staff_remove",
        kwargs=lambda w: {"slug": w.city.slug, "pk": w.city.staff.get().pk},
        methods={"POST": STAFF_MANAGERS},
    ),
    Entry(
        "cities:join_request_decide",
        kwargs=join_request,
        methods={"POST": STAFF_MANAGERS},
        data=lambda w, kw: {"decision": "approve"},
    ),
    Entry(
        "cities:join",
        kwargs=city,
        methods={"GET": SIGNED_IN, "POST": SIGNED_IN},
        reason="Any signed-in person may ask to join a published city.",
    ),
    Entry(
        "cities:report",
        kwargs=city,
        methods={"GET": EVERYONE, "POST": EVERYONE},
        data=lambda w, kw: {"reason": "outdated", "message": "The mayor changed."},
        reason="Anyone who can see a profile may report a problem (rate-limited).",
    ),
    # --- history ---
    Entry("cities:history", kwargs=city, methods={"GET": CITY_EDITORS}),
    Entry(
        "cities:history_revert",
        kwargs=city,
        methods={"POST": STAFF_MANAGERS},
        data=revert_data,
        reason="Reverting is for curators of the city's organisations and site admins.",
    ),
    Entry(
        "cities:history_revert",
        kwargs=city,
        methods={"POST": {CURATOR_OTHER, ADMIN}},
        data=revert_other_membership,
        reason="A membership in the other organisation: only its curators (and site admins) "
        "may end it, through the history as directly.",
    ),
    Entry(
        "cities:history_revert",
        kwargs=city,
        methods={"POST": {CURATOR_OTHER, ADMIN}},
        data=revert_other_verification,
        reason="Only the verifying organisation's curators (and site admins) undo its "
        "verification.",
    ),
    # --- curation ---
    Entry("curation:home", methods={"GET": CURATORS}, reason="Anyone who curates something."),
    Entry("curation:queue", kwargs=org, methods={"GET": ORG_CURATORS}),
    Entry("curation:members", kwargs=org, methods={"GET": ORG_CURATORS}),
    Entry("curation:verify", kwargs=org_city, methods={"POST": ORG_CURATORS}),
    Entry(
        "curation:publish",
        kwargs=org_city,
        methods={"POST": ORG_CURATORS},
        data=lambda w, kw: {"published": "0"},
    ),
    Entry(
        "curation:request_update",
        kwargs=org_city,
        methods={"POST": ORG_CURATORS},
        data=lambda w, kw: {"message": "Please add your new mayor."},
    ),
    Entry(
        "curation:flag_resolve",
        kwargs=lambda w: {
            "org_slug": w.organisation.slug,
            "pk": ContentFlag.objects.create(city=w.city, reason="outdated").pk,
        },
        methods={"POST": ORG_CURATORS},
    ),
    Entry(
        "curation:export",
        kwargs=lambda w: {"org_slug": w.organisation.slug, "kind": "officials", "fmt": "csv"},
        methods={"GET": ORG_CURATORS},
    ),
    Entry("curation:import", kwargs=org, methods={"GET": ORG_CURATORS, "POST": ORG_CURATORS}),
    Entry(
        "curation:import_job",
        kwargs=lambda w: {
            "org_slug": w.organisation.slug,
            "pk": ImportJob.objects.create(
                organisation=w.organisation, kind=ImportKind.OFFICIALS, filename="x.csv"
            ).pk,
        },
        methods={"GET": ORG_CURATORS},
    ),
    Entry(
        "curation:official_data",
        kwargs=lambda w: {"pk": OfficialFactory(city=w.city).pk},
        methods={"GET": ADMIN_ONLY},
        reason="Personal-data requests are handled by site admins only.",
    ),
    Entry(
        "curation:official_erase",
        kwargs=lambda w: {"pk": OfficialFactory(city=w.city).pk},
        methods={"POST": ADMIN_ONLY},
        data=lambda w, kw: {"confirm": "erase"},
    ),
]
