"""Visitors programmes: public pages for everyone, the organiser's pages for the organisers
of the programme who hold the programme organiser role (the ``organiser`` persona; ``staff_this``
is also listed as an organiser but holds no role, so is refused) and site admins, a
participant's private page for whoever holds its link, "new programme" for role holders, and
an organisation's organisers and hosting pages for its curators."""

from tests.partnerships.programmes.factories import (
    AgendaItemFactory,
    HostFactory,
    MeetingSlotFactory,
    ParticipantFactory,
    ProgrammeFactory,
)

from .matrix import ADMIN, EVERYONE, ORG_CURATORS, ORGANISER, STAFF_THIS, Entry

ORGANISERS = frozenset({ORGANISER, ADMIN})


def _programme(world):
    """A published programme organised by ``organiser`` and by ``staff_this``, who holds no
    organiser role (made once per check)."""
    from partnerships.models import Programme

    programme = Programme.objects.filter(slug="matrix-week").first()
    if programme is None:
        programme = ProgrammeFactory(slug="matrix-week", title="Matrix week")
        programme.organisers.add(world.users[ORGANISER], world.users[STAFF_THIS])
    return programme


def _org(world):
    return {"org_slug": world.organisation.slug}


def _organiser_role(world):
    from partnerships.models import ProgrammeOrganiserRole

    role = ProgrammeOrganiserRole.objects.get(user=world.users[ORGANISER])
    return {"org_slug": world.organisation.slug, "pk": role.pk}


def _host_link(world):
    """The matrix programme asks this organisation to host it (pending)."""
    from partnerships.models import ProgrammeHostOrganisation

    link = ProgrammeHostOrganisation.objects.create(
        programme=_programme(world), organisation=world.organisation
    )
    return {"org_slug": world.organisation.slug, "pk": link.pk}


def _slug(world):
    return {"slug": _programme(world).slug}


def _with(factory, **extra):
    def kwargs(world):
        programme = _programme(world)
        return {"slug": programme.slug, "pk": factory(programme=programme, **extra).pk}

    return kwargs


def _participant_token(world):
    programme = _programme(world)
    return {"slug": programme.slug, "token": ParticipantFactory(programme=programme).token}


def _meeting(world):
    from partnerships.models import Meeting

    programme = _programme(world)
    meeting = Meeting.objects.create(
        programme=programme,
        slot=MeetingSlotFactory(programme=programme),
        participant=ParticipantFactory(programme=programme),
        host=HostFactory(programme=programme),
    )
    return {"slug": programme.slug, "pk": meeting.pk}


def _wish(world):
    from partnerships.models import MeetingWish

    programme = _programme(world)
    wish = MeetingWish.objects.create(
        programme=programme,
        participant=ParticipantFactory(programme=programme),
        host=HostFactory(programme=programme),
    )
    return {"slug": programme.slug, "pk": wish.pk}


def _organiser_get(name, reason):
    return Entry(f"partnerships:{name}", kwargs=_slug, methods={"GET": ORGANISERS}, reason=reason)


def _organiser_post(name, kwargs=_slug, reason="An organiser's action on their own programme."):
    return Entry(f"partnerships:{name}", kwargs=kwargs, methods={"POST": ORGANISERS}, reason=reason)


ENTRIES = [
    Entry(
        "partnerships:programme_list",
        methods={"GET": EVERYONE},
        reason="Published programmes are a public directory.",
    ),
    Entry(
        "partnerships:programme_create",
        methods={"GET": ORGANISERS, "POST": ORGANISERS},
        reason="Only holders of the programme organiser role (and site admins) start one.",
    ),
    Entry(
        "partnerships:programme_organisers",
        kwargs=_org,
        methods={"GET": ORG_CURATORS, "POST": ORG_CURATORS},
        data=lambda w, kwargs: {"account": "member"},
        reason="An organisation's curators grant the organiser role for it.",
    ),
    Entry(
        "partnerships:programme_organiser_revoke",
        kwargs=_organiser_role,
        methods={"POST": ORG_CURATORS},
        reason="An organisation's curators revoke the role they granted for it.",
    ),
    Entry(
        "partnerships:programme_hosting",
        kwargs=_org,
        methods={"GET": ORG_CURATORS},
        reason="The programmes naming the organisation as host, for its curators.",
    ),
    Entry(
        "partnerships:programme_hosting_decide",
        kwargs=_host_link,
        methods={"POST": ORG_CURATORS},
        data=lambda w, kwargs: {"decision": "confirm"},
        reason="Only the organisation's curators confirm or decline hosting.",
    ),
    Entry(
        "partnerships:programme_detail",
        kwargs=_slug,
        methods={"GET": EVERYONE},
        reason="A published programme is public (without contact data).",
    ),
    Entry(
        "partnerships:programme_print",
        kwargs=_slug,
        methods={"GET": EVERYONE},
        reason="The printable programme is public; personal schedules only for organisers.",
    ),
    Entry(
        "partnerships:programme_ical",
        kwargs=_slug,
        methods={"GET": EVERYONE},
        reason="The public agenda as an iCalendar feed.",
    ),
    Entry(
        "partnerships:participant_schedule",
        kwargs=_participant_token,
        methods={"GET": EVERYONE, "POST": EVERYONE},
        reason="Whoever holds a participant's private link sees and edits that one schedule.",
    ),
    Entry(
        "partnerships:participant_ical",
        kwargs=_participant_token,
        methods={"GET": EVERYONE},
        reason="The participant's own schedule feed, behind the same private link.",
    ),
    Entry(
        "partnerships:programme_edit",
        kwargs=_slug,
        methods={"GET": ORGANISERS, "POST": ORGANISERS},
        reason="Only the programme's organisers change its details.",
    ),
    _organiser_post("programme_status"),
    _organiser_get("programme_organise", "Participants with their contacts and private links."),
    _organiser_post("programme_delegation_create"),
    _organiser_post("programme_participant_add"),
    _organiser_post("programme_participant_remove", kwargs=_with(ParticipantFactory)),
    _organiser_get("programme_agenda", "The organiser's agenda with everyone's overlaps."),
    Entry(
        "partnerships:programme_agenda_item_create",
        kwargs=_slug,
        methods={"GET": ORGANISERS, "POST": ORGANISERS},
        reason="Only organisers edit the agenda.",
    ),
    Entry(
        "partnerships:programme_agenda_item_edit",
        kwargs=_with(AgendaItemFactory),
        methods={"GET": ORGANISERS, "POST": ORGANISERS},
        reason="Only organisers edit the agenda.",
    ),
    _organiser_post("programme_agenda_item_delete", kwargs=_with(AgendaItemFactory)),
    _organiser_get("programme_matchmaking", "Suggested hosts for the organisers to invite."),
    _organiser_post("programme_host_invite"),
    _organiser_get("programme_meetings", "Slots, wishes and the bilateral meeting schedule."),
    _organiser_post("programme_slots_create"),
    _organiser_post("programme_slot_delete", kwargs=_with(MeetingSlotFactory)),
    _organiser_post("programme_wish_add"),
    _organiser_post("programme_wish_delete", kwargs=_wish),
    _organiser_post("programme_schedule"),
    _organiser_post("programme_meeting_create"),
    _organiser_post("programme_meeting_move", kwargs=_meeting),
    _organiser_post("programme_meeting_lock", kwargs=_meeting),
    _organiser_post("programme_meeting_delete", kwargs=_meeting),
]
