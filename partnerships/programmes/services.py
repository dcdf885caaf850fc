"""Writes for visitors programmes. Every service validates, checks invariants and runs in one
transaction: either everything is saved or nothing is. Callers check permissions first
(``partnerships.programmes.permissions``); services trust their arguments' access."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cities.models import City, CityStaff, Official, Organisation, OrganisationCurator, Theme
from cities.notifications.services import email_address, notify, notify_many
from partnerships.models import (
    AgendaItem,
    Delegation,
    HostStatus,
    Meeting,
    MeetingSlot,
    MeetingWish,
    Participant,
    ParticipantSide,
    ParticipantStatus,
    Programme,
    ProgrammeHostOrganisation,
    ProgrammeOrganiserRole,
    ProgrammeStatus,
    WishSource,
)

from . import scheduler
from .permissions import can_decide_hosting
from .selectors import pair_scores


class ScheduleConflict(ValidationError):
    """The scheduler found the problem infeasible; ``messages`` say what conflicts."""


SLUG_ATTEMPTS = 5


def _unique_slug(title: str, instance_pk: int | None = None) -> str:
    base = slugify(title)[:100] or "programme"
    slug, n = base, 2
    while Programme.objects.filter(slug=slug).exclude(pk=instance_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- programmes ----------------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    user,
    title: str,
    host_country: str,
    start_date: date,
    end_date: date,
    timezone_name: str = "Europe/Berlin",
    description: str = "",
    themes: list[Theme] | None = None,
    host_organisations: list[Organisation] | None = None,
    is_sample: bool = False,
    slug: str = "",
) -> Programme:
    """A new draft programme with ``user`` (if any) as its first organiser. Its slug comes
    from the title (``-2``, ``-3``… when taken), unless ``slug`` is given."""
    programme = Programme(
        title=title,
        slug=slug or _unique_slug(title),
        host_country=host_country,
        start_date=start_date,
        end_date=end_date,
        timezone=timezone_name,
        description=description,
        is_sample=is_sample,
    )
    # A generated slug is free when computed, but another programme of the same title can
    # take it before this INSERT (a double submit): then the next free one is taken.
    programme.full_clean(exclude=[] if slug else ["slug"])
    for attempt in range(SLUG_ATTEMPTS):
        try:
            with transaction.atomic():
                programme.save()
            break
        except IntegrityError:
            if slug or attempt == SLUG_ATTEMPTS - 1:
                programme.validate_unique()
                raise
            programme.slug = _unique_slug(title)
    programme.themes.set(themes or [])
    if user is not None:
        programme.organisers.add(user)
    programme_hosts_set(programme=programme, organisations=host_organisations or [], user=user)
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, user=None, **fields) -> Programme:
    """Change a programme's details; the days may not shrink below what is already planned.
    ``host_organisations`` goes through :func:`programme_hosts_set` on behalf of ``user``."""
    themes = fields.pop("themes", None)
    hosts = fields.pop("host_organisations", None)
    for name, value in fields.items():
        setattr(programme, name, value)
    programme.full_clean()
    outside = [
        str(slot) for slot in programme.meeting_slots.all() if not _within(programme, slot)
    ] + [item.title for item in programme.agenda.all() if not _within(programme, item)]
    if outside:
        raise ValidationError(
            _("These fall outside the new dates: %(items)s. Move them first.")
            % {"items": "; ".join(outside)}
        )
    programme.save()
    if themes is not None:
        programme.themes.set(themes)
    if hosts is not None:
        programme_hosts_set(programme=programme, organisations=hosts, user=user)
    return programme


# --- host organisations ----------------------------------------------------------------------


def _curators(organisation: Organisation) -> list:
    return [
        c.user
        for c in OrganisationCurator.objects.filter(organisation=organisation).select_related(
            "user"
        )
    ]


@transaction.atomic
def programme_hosts_set(
    *, programme: Programme, organisations: list[Organisation], user=None
) -> list[ProgrammeHostOrganisation]:
    """Name ``organisations`` as the hosts of ``programme`` on behalf of ``user``.

    Organisations no longer named are dropped. A newly named one waits for its curators to
    confirm (they are told in the app and by e-mail, in their language) and is not shown as
    host until then — except when ``user`` curates it: naming one's own organisation is its
    confirmation. Organisations already asked keep their answer (naming them again sends
    nothing). Returns the programme's host links."""
    wanted = {organisation.pk: organisation for organisation in organisations}
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    programme.host_organisation_links.exclude(organisation_id__in=list(wanted)).delete()
    asked = set(programme.host_organisation_links.values_list("organisation_id", flat=True))
    now = timezone.now()
    for organisation in wanted.values():
        if organisation.pk in asked:
            continue
        own = user is not None and can_decide_hosting(user, organisation)
        link = ProgrammeHostOrganisation(
            programme=programme,
            organisation=organisation,
            status=HostStatus.CONFIRMED if own else HostStatus.PENDING,
            requested_by=user,
            requested_at=now,
            decided_by=user if own else None,
            decided_at=now if own else None,
        )
        link.full_clean()
        link.save()
        if not own:
            notify_many(
                users=_curators(organisation),
                kind="programme_host_requested",
                context={"programme": programme, "organisation": organisation},
                url=reverse(
                    "partnerships:programme_hosting", kwargs={"org_slug": organisation.slug}
                ),
            )
    return list(programme.host_organisation_links.select_related("organisation"))


@transaction.atomic
def programme_host_decide(
    *, link: ProgrammeHostOrganisation, user, confirm: bool
) -> ProgrammeHostOrganisation:
    """The organisation's answer (``user``: one of its curators; None for demo data):
    confirmed hosts are shown on the programme, declined ones are not. Curators may change
    their answer later. The programme's organisers are told. Returns the link as stored."""
    link = (
        ProgrammeHostOrganisation.objects.select_for_update()
        .select_related("programme", "organisation")
        .get(pk=link.pk)
    )
    status = HostStatus.CONFIRMED if confirm else HostStatus.DECLINED
    if link.status == status:
        return link
    link.status = status
    link.decided_by = user
    link.decided_at = timezone.now()
    link.full_clean()
    link.save(update_fields=["status", "decided_by", "decided_at"])
    notify_many(
        users=link.programme.organisers.all(),
        kind="programme_host_decided",
        context={
            "programme": link.programme,
            "organisation": link.organisation,
            "confirmed": confirm,
        },
        url=reverse("partnerships:programme_edit", kwargs={"slug": link.programme.slug}),
    )
    return link


# --- the programme organiser role ------------------------------------------------------------


class RoleRefused(ValidationError):
    """The role cannot be granted as asked; the message says why."""


def find_account(identifier: str):
    """The active account with this user name or e-mail address (case-insensitive), or None
    when there is none or the address is shared by several accounts."""
    from django.contrib.auth import get_user_model

    identifier = identifier.strip()
    if not identifier:
        return None
    users = get_user_model().objects.filter(is_active=True)
    found = list(users.filter(username__iexact=identifier)[:2])
    if not found and "@" in identifier:
        found = list(users.filter(email__iexact=identifier)[:2])
    return found[0] if len(found) == 1 else None


@transaction.atomic
def organiser_role_grant(
    *, user, organisation: Organisation | None, granted_by
) -> ProgrammeOrganiserRole:
    """Let ``user`` create and run programmes, for ``organisation`` (None: a site admin's
    grant on the portal's behalf). Recorded in the role's history with ``granted_by``; the
    person is told in the app and by e-mail. Raises ``RoleRefused`` if they already hold it
    for this organisation."""
    if ProgrammeOrganiserRole.objects.filter(user=user, organisation=organisation).exists():
        raise RoleRefused(
            _("%(user)s is already a programme organiser for %(organisation)s.")
            % {"user": user.get_username(), "organisation": organisation or _("the portal")}
        )
    role = ProgrammeOrganiserRole(user=user, organisation=organisation, granted_by=granted_by)
    role._history_user = granted_by
    role.full_clean(validate_constraints=False)  # the unique rules: checked above and below
    try:
        with transaction.atomic():
            role.save()
    except IntegrityError as exc:  # granted at the same moment by another curator
        raise RoleRefused(
            _("%(user)s is already a programme organiser for %(organisation)s.")
            % {"user": user.get_username(), "organisation": organisation or _("the portal")}
        ) from exc
    notify(
        user=user,
        kind="programme_organiser_granted",
        context={"organisation": organisation},
        url=reverse("partnerships:programme_create"),
    )
    return role


@transaction.atomic
def organiser_role_revoke(*, role: ProgrammeOrganiserRole, revoked_by) -> None:
    """Withdraw one grant of the role (recorded in its history with ``revoked_by``). Someone
    without any other grant can no longer create programmes or use their organiser pages."""
    role._history_user = revoked_by
    user, organisation = role.user, role.organisation
    role.delete()
    notify(
        user=user,
        kind="programme_organiser_revoked",
        context={"organisation": organisation},
        url=reverse("partnerships:programme_list"),
    )


def programme_set_status(*, programme: Programme, status: str) -> Programme:
    if status not in ProgrammeStatus.values:
        raise ValidationError(_("Unknown status."))
    programme.status = status
    programme.save(update_fields=["status", "updated_at"])
    return programme


def programmes_complete_past(*, today: date) -> int:
    """Published programmes whose last day is before ``today`` become completed. A conditional
    UPDATE, so running it twice (or alongside an organiser's change) changes nothing more."""
    return Programme.objects.filter(status=ProgrammeStatus.PUBLISHED, end_date__lt=today).update(
        status=ProgrammeStatus.COMPLETED, updated_at=timezone.now()
    )


# --- delegations and participants ------------------------------------------------------------


def delegation_create(*, programme: Programme, name: str, description: str = "") -> Delegation:
    delegation = Delegation(
        programme=programme,
        name=name.strip(),
        description=description,
        position=programme.delegations.count(),
    )
    delegation.full_clean()
    delegation.save()
    return delegation


@transaction.atomic
def participant_add(
    *,
    programme: Programme,
    side: str = ParticipantSide.VISITOR,
    official: Official | None = None,
    city: City | None = None,
    organisation: Organisation | None = None,
    name: str = "",
    role: str = "",
    email: str = "",
    languages: list[str] | None = None,
    delegation: Delegation | None = None,
    max_meetings: int | None = None,
    invite: bool = False,
) -> Participant:
    """Add a participant. With ``official`` the name, role, city and languages come from the
    official's profile. With ``invite`` the participant is *invited* (they accept or decline
    on their private page) and :func:`participant_invite` tells those who answer for them;
    ``participant.accounts_told`` is then how many accounts were told."""
    if official is not None:
        city = city or official.city
        name = name or official.name
        role = role or official.title or official.get_role_display()
        languages = languages if languages is not None else list(official.languages)
    if official is None and not name:
        raise ValidationError({"name": _("Give the participant's name or role.")})
    if side == ParticipantSide.VISITOR and city is None:
        raise ValidationError({"city": _("A visiting participant represents a city.")})
    participant = Participant(
        programme=programme,
        side=side,
        official=official,
        city=city,
        organisation=organisation,
        name=name,
        role=role,
        email=email,
        languages=languages or [],
        delegation=delegation,
        max_meetings=max_meetings,
        status=ParticipantStatus.INVITED if invite else ParticipantStatus.CONFIRMED,
    )
    participant.full_clean()
    participant.save()
    participant.accounts_told = participant_invite(participant=participant) if invite else 0
    return participant


def invitation_recipients(participant: Participant) -> list:
    """The accounts that answer for ``participant``: the staff of the city they represent,
    else the curators of their organisation."""
    if participant.city_id:
        return [
            staff.user
            for staff in CityStaff.objects.filter(city_id=participant.city_id).select_related(
                "user"
            )
        ]
    if participant.organisation_id:
        return _curators(participant.organisation)
    return []


def participant_invite(*, participant: Participant) -> int:
    """Tell whoever answers for ``participant`` about their invitation, in the portal's own
    words (the subject names no organiser text). A city is reached through its staff accounts
    — in the app and at the address of each account, in its holder's language — and an
    organisation through its curators; an official's own address from a city profile is
    never used. An address the organiser typed for this participant (someone without a
    profile) gets the invitation with the private link too. Call inside the transaction that
    added the participant; e-mails leave through the outbox after commit. Returns how many
    accounts were told."""
    programme = participant.programme
    path = reverse(
        "partnerships:participant_schedule",
        kwargs={"slug": programme.slug, "token": participant.token},
    )
    context = {"participant": participant, "programme": programme}
    told = notify_many(
        users=invitation_recipients(participant),
        kind="programme_invitation",
        context=context,
        url=path,
    )
    if participant.email:
        # Someone without a profile: their own invitation, in the first of their languages
        # the site speaks.
        email_address(
            to_email=participant.email,
            kind="programme_personal_invitation",
            language=next(
                (code for code in participant.languages if code in dict(settings.LANGUAGES)),
                settings.LANGUAGE_CODE,
            ),
            url=path,
            context={"participant": participant, "programme": programme},
            dedupe_key=f"programme-invitation-{participant.pk}",
        )
    return told


def host_invite(
    *,
    programme: Programme,
    city: City | None = None,
    organisation: Organisation | None = None,
    official: Official | None = None,
    name: str = "",
    role: str = "",
    email: str = "",
) -> Participant:
    """Invite a host-side city or organisation (matchmaking's "invite" button): a host
    participant with status *invited* and a private link; the city's staff (or the
    organisation's curators) are told (:func:`participant_invite`)."""
    if city is None and organisation is None and official is None:
        raise ValidationError(_("Choose a city or an organisation to invite."))
    if city is not None and city.country != programme.host_country:
        raise ValidationError(_("Hosts come from the host country."))
    default_name = _("Representative of %(name)s") % {"name": (city or organisation).name}
    return participant_add(
        programme=programme,
        side=ParticipantSide.HOST,
        official=official,
        city=city or (official.city if official else None),
        organisation=organisation,
        name=name or (official.name if official else default_name),
        role=role,
        email=email,
        invite=True,
    )


def participant_respond(*, participant: Participant, accept: bool) -> Participant:
    participant.status = ParticipantStatus.CONFIRMED if accept else ParticipantStatus.DECLINED
    participant.save(update_fields=["status"])
    return participant


@transaction.atomic
def participant_remove(*, participant: Participant) -> None:
    participant.delete()


@transaction.atomic
def participant_set_availability(
    *, participant: Participant, unavailable: list[MeetingSlot], max_meetings: int | None
) -> Participant:
    _require_in_programme(participant.programme, slots=unavailable)
    participant.max_meetings = max_meetings
    participant.full_clean()
    participant.save(update_fields=["max_meetings"])
    participant.unavailable_slots.set(unavailable)
    return participant


# --- agenda --------------------------------------------------------------------------------


def _programme_days(programme: Programme) -> dict[str, str]:
    """The programme's first and last day for a message, in the reader's date format."""
    return {
        "start": date_format(programme.start_date, "DATE_FORMAT"),
        "end": date_format(programme.end_date, "DATE_FORMAT"),
    }


def _within(programme: Programme, item) -> bool:
    return programme.covers(item.start) and programme.covers(item.end - timedelta(seconds=1))


def _require_in_programme(programme, *, participants=(), slots=()) -> None:
    strangers = [p.name for p in participants if p.programme_id != programme.pk]
    if strangers:
        raise ValidationError(
            _("Not in this programme: %(names)s.") % {"names": ", ".join(strangers)}
        )
    if any(s.programme_id != programme.pk for s in slots):
        raise ValidationError(_("That meeting slot belongs to another programme."))


@transaction.atomic
def agenda_item_save(
    *,
    programme: Programme,
    item: AgendaItem | None = None,
    attendees: list[Participant] | None = None,
    themes: list[Theme] | None = None,
    **fields,
) -> AgendaItem:
    """Create or change an agenda item. It must lie within the programme's days; its
    attendees must be participants of the programme. Overlaps are allowed (and reported)."""
    item = item or AgendaItem(programme=programme)
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    if not _within(programme, item):
        raise ValidationError(
            _("“%(title)s” is outside the programme's days (%(start)s – %(end)s).")
            % {"title": item.title, **_programme_days(programme)}
        )
    _require_in_programme(programme, participants=attendees or [])
    item.save()
    item.attendees.set(attendees or [])
    if themes is not None:
        item.themes.set(themes)
    return item


def agenda_item_delete(*, item: AgendaItem) -> None:
    item.delete()


# --- meeting slots, wishes, meetings ----------------------------------------------------------


@transaction.atomic
def meeting_slots_create(
    *,
    programme: Programme,
    day: date,
    first_start: time,
    last_end: time,
    minutes: int,
    room: str,
    tables: int,
) -> list[MeetingSlot]:
    """A run of back-to-back slots of ``minutes`` on ``day`` from ``first_start`` until
    ``last_end`` (host time zone). All or nothing: rejected if any falls outside the
    programme's days or overlaps another slot in the same room."""
    if minutes < 5 or minutes > 240:
        raise ValidationError(_("A slot lasts between 5 and 240 minutes."))
    if not programme.start_date <= day <= programme.end_date:
        raise ValidationError(
            _("%(day)s is outside the programme's days (%(start)s – %(end)s).")
            % {"day": date_format(day, "DATE_FORMAT"), **_programme_days(programme)}
        )
    tz = programme.tz
    start = datetime.combine(day, first_start, tzinfo=tz)
    stop = datetime.combine(day, last_end, tzinfo=tz)
    if stop <= start:
        raise ValidationError(_("The last slot must end after the first one starts."))
    created = []
    while start + timedelta(minutes=minutes) <= stop:
        end = start + timedelta(minutes=minutes)
        created.append(
            meeting_slot_create(programme=programme, start=start, end=end, room=room, tables=tables)
        )
        start = end
    if not created:
        raise ValidationError(_("No slot of %(minutes)s minutes fits.") % {"minutes": minutes})
    return created


@transaction.atomic
def meeting_slot_create(
    *, programme: Programme, start: datetime, end: datetime, room: str, tables: int
) -> MeetingSlot:
    """One slot; rejected outside the programme's days or overlapping a slot in its room."""
    slot = MeetingSlot(programme=programme, start=start, end=end, room=room.strip(), tables=tables)
    slot.full_clean()
    if not _within(programme, slot):
        raise ValidationError(
            _("The slot %(slot)s is outside the programme's days (%(start)s – %(end)s).")
            % {"slot": slot, **_programme_days(programme)}
        )
    clash = (
        MeetingSlot.objects.select_for_update()
        .filter(programme=programme, room=slot.room, start__lt=end, end__gt=start)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _("The slot %(slot)s overlaps the slot %(other)s in the same room.")
            % {"slot": slot, "other": clash}
        )
    slot.save()
    return slot


@transaction.atomic
def meeting_slot_delete(*, slot: MeetingSlot) -> None:
    if slot.meetings.filter(locked=True).exists():
        raise ValidationError(_("Unlock or move the locked meetings in this slot first."))
    slot.delete()


@transaction.atomic
def meeting_wish_set(
    *,
    programme: Programme,
    participant: Participant,
    host: Participant,
    weight: int = 2,
    stated_by: str = WishSource.ORGANISER,
) -> MeetingWish:
    """Record (or re-weight) the wish that ``participant`` (visiting) meets ``host``."""
    _require_in_programme(programme, participants=[participant, host])
    if participant.pk == host.pk:
        raise ValidationError(_("A participant cannot meet themselves."))
    if participant.is_host or not host.is_host:
        raise ValidationError(
            _("A wish links a visiting participant (%(p)s) with a host (%(h)s).")
            % {"p": participant.name, "h": host.name}
        )
    wish = MeetingWish.objects.filter(participant=participant, host=host).first() or MeetingWish(
        programme=programme, participant=participant, host=host
    )
    wish.weight = weight
    wish.stated_by = stated_by
    wish.full_clean()
    wish.save()
    return wish


def meeting_wish_delete(*, wish: MeetingWish) -> None:
    wish.delete()


def build_problem(programme: Programme, *, time_limit: float = 20.0) -> scheduler.Problem:
    """The scheduler's problem for ``programme``: meeting score = match score of the pair
    (0..1, from the matching engine) x the wish's weight (1..3)."""
    slots = list(programme.meeting_slots.all())
    people = list(
        programme.participants.active().prefetch_related("unavailable_slots").select_related("city")
    )
    active = {p.pk for p in people}
    wishes = list(
        programme.wishes.filter(participant_id__in=active, host_id__in=active).select_related(
            "participant__city", "host__city", "host__organisation"
        )
    )
    scores = pair_scores(programme, [(w.participant, w.host) for w in wishes])
    return scheduler.Problem(
        slots=[
            scheduler.Slot(s.pk, s.start, s.end, s.tables, label=str(s).replace(", ", " in "))
            for s in slots
        ],
        wishes=[
            scheduler.Wish(
                w.participant_id, w.host_id, scores[(w.participant_id, w.host_id)] * w.weight
            )
            for w in wishes
        ],
        limits={p.pk: p.max_meetings for p in people if p.max_meetings is not None},
        unavailable={p.pk: {s.pk for s in p.unavailable_slots.all()} for p in people},
        locked=[
            scheduler.Locked(m.participant_id, m.host_id, m.slot_id)
            for m in programme.meetings.filter(locked=True)
        ],
        names={p.pk: f"{p.name} ({p.represents.name})" for p in people},
        time_limit=time_limit,
    )


@transaction.atomic
def meetings_schedule(*, programme: Programme, time_limit: float = 20.0) -> scheduler.Solution:
    """Run the scheduler and replace every unlocked meeting with its result. Locked meetings
    stay. If the problem is infeasible, nothing changes and ``ScheduleConflict`` lists what
    conflicts."""
    # Serialise runs per programme: two organisers pressing "schedule" at once must not mix.
    Programme.objects.select_for_update().get(pk=programme.pk)
    problem = build_problem(programme, time_limit=time_limit)
    solution = scheduler.schedule(problem)
    if not solution.feasible:
        raise ScheduleConflict(solution.conflicts)
    locked = {(m.participant_id, m.host_id): m for m in programme.meetings.filter(locked=True)}
    programme.meetings.filter(locked=False).delete()
    used: dict[int, set[int]] = defaultdict(set)
    for meeting in locked.values():
        used[meeting.slot_id].add(meeting.table)
    new = []
    for a in sorted(solution.assignments, key=lambda a: (a.slot, a.person, a.host)):
        if a.locked:
            meeting = locked[(a.person, a.host)]
            if meeting.score != a.score:
                meeting.score = a.score
                meeting.save(update_fields=["score"])
            continue
        table = next(t for t in range(1, 10_000) if t not in used[a.slot])
        used[a.slot].add(table)
        new.append(
            Meeting(
                programme=programme,
                slot_id=a.slot,
                table=table,
                participant_id=a.person,
                host_id=a.host,
                score=a.score,
            )
        )
    Meeting.objects.bulk_create(new)
    return solution


def _meeting_fits(meeting: Meeting, slot: MeetingSlot) -> list[str]:
    """What would break if ``meeting`` moved to ``slot``."""
    problems = []
    others = Meeting.objects.filter(slot__start__lt=slot.end, slot__end__gt=slot.start).exclude(
        pk=meeting.pk
    )
    for who in (meeting.participant, meeting.host):
        clash = others.filter(programme=meeting.programme).filter(
            **{"participant": who} if not who.is_host else {"host": who}
        )
        if clash.exists():
            problems.append(_("%(name)s already has a meeting at that time.") % {"name": who.name})
        if who.unavailable_slots.filter(pk=slot.pk).exists():
            problems.append(_("%(name)s cannot attend that slot.") % {"name": who.name})
    if slot.meetings.exclude(pk=meeting.pk).count() >= slot.tables:
        problems.append(_("All %(n)s tables of that slot are taken.") % {"n": slot.tables})
    return problems


@transaction.atomic
def meeting_create(
    *, programme: Programme, participant: Participant, host: Participant, slot: MeetingSlot
) -> Meeting:
    """The organiser places a meeting by hand; it is locked so re-runs keep it."""
    _require_in_programme(programme, participants=[participant, host], slots=[slot])
    if participant.pk == host.pk:
        raise ValidationError(_("A participant cannot meet themselves."))
    if participant.is_host or not host.is_host:
        raise ValidationError(_("A meeting links a visiting participant with a host."))
    if Meeting.objects.filter(participant=participant, host=host).exists():
        raise ValidationError(_("These two already have a meeting; move it instead."))
    meeting = Meeting(
        programme=programme, participant=participant, host=host, slot=slot, locked=True
    )
    problems = _meeting_fits(meeting, slot)
    if problems:
        raise ValidationError(problems)
    taken = set(slot.meetings.values_list("table", flat=True))
    meeting.table = next(t for t in range(1, 10_000) if t not in taken)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_move(*, meeting: Meeting, slot: MeetingSlot) -> Meeting:
    """Move a meeting to another slot and lock it there."""
    _require_in_programme(meeting.programme, slots=[slot])
    problems = _meeting_fits(meeting, slot)
    if problems:
        raise ValidationError(problems)
    if slot.pk != meeting.slot_id:
        taken = set(slot.meetings.values_list("table", flat=True))
        meeting.table = next(t for t in range(1, 10_000) if t not in taken)
    meeting.slot = slot
    meeting.locked = True
    meeting.save(update_fields=["slot", "table", "locked"])
    return meeting


def meeting_lock(*, meeting: Meeting, locked: bool) -> Meeting:
    meeting.locked = locked
    meeting.save(update_fields=["locked"])
    return meeting


def meeting_delete(*, meeting: Meeting) -> None:
    meeting.delete()
