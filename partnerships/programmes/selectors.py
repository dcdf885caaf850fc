"""Reads for visitors programmes: lists, a person's schedule, agenda overlaps, matchmaking
and the pair scores the scheduler weighs wishes by."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils.translation import gettext as _

from cities.models import Challenge, City, Organisation
from cities.permissions import cities_visible_to, public_cities
from partnerships.matching.services import suggestions_for_city
from partnerships.models import (
    AgendaItem,
    AgendaItemKind,
    HostStatus,
    Meeting,
    Participant,
    ParticipantSide,
    Programme,
    ProgrammeHostOrganisation,
    ProgrammeOrganiserRole,
)

# A wish is never worth nothing: a pair the matching engine knows nothing about still counts.
NEUTRAL_SCORE = 0.5
MIN_SCORE = 0.1


def programme_list(*, user, data=None):
    """The programmes ``user`` may see, filtered by the list's FilterSet."""
    from .filters import ProgrammeFilter

    queryset = (
        Programme.objects.visible_to(user)
        .prefetch_related("themes")
        .annotate(
            participant_count=Count(
                "participants", filter=Q(participants__side=ParticipantSide.VISITOR), distinct=True
            ),
            city_count=Count(
                "participants__city",
                filter=Q(participants__side=ParticipantSide.VISITOR),
                distinct=True,
            ),
        )
        # Meta.ordering does not apply to aggregated querysets: say it.
        .order_by("-start_date", "title")
    )
    return ProgrammeFilter(data, queryset=queryset)


def programme_detail_queryset():
    return Programme.objects.prefetch_related("themes")


def participants(programme: Programme):
    """Everyone in the programme (the organisers' pages)."""
    return programme.participants.select_related(
        "city", "organisation", "official", "delegation"
    ).order_by("side", "delegation__position", "city__name", "name")


def participants_visible_to(programme: Programme, viewer):
    """The participants a public page shows ``viewer``: none of a city they may not see
    (``cities_visible_to``), e.g. one unpublished after it joined."""
    return participants(programme).filter(
        Q(city__isnull=True) | Q(city__in=cities_visible_to(viewer))
    )


def participating_cities(programme: Programme, *, viewer=None) -> list[City]:
    """The visiting cities (for the map), each once: those ``viewer`` may see (None: the
    public)."""
    viewer = viewer if viewer is not None else AnonymousUser()
    return list(
        cities_visible_to(viewer)
        .filter(
            programme_participants__programme=programme,
            programme_participants__side=ParticipantSide.VISITOR,
        )
        .distinct()
        .order_by("name")
    )


def agenda(programme: Programme):
    return programme.agenda.select_related("host_city", "host_organisation").prefetch_related(
        "attendees", "themes"
    )


def agenda_for(programme: Programme, *, viewer) -> list[AgendaItem]:
    """The agenda as a public page shows it to ``viewer``: an item's host city only if they
    may see it, its host institution only once that organisation confirmed hosting."""
    items = list(agenda(programme))
    city_ids = {i.host_city_id for i in items if i.host_city_id}
    visible = set(
        cities_visible_to(viewer).filter(pk__in=city_ids).values_list("pk", flat=True)
        if city_ids
        else ()
    )
    confirmed = set(
        programme.host_organisation_links.filter(status=HostStatus.CONFIRMED).values_list(
            "organisation_id", flat=True
        )
    )
    for item in items:
        if item.host_city_id and item.host_city_id not in visible:
            item.host_city = None
        if item.host_organisation_id and item.host_organisation_id not in confirmed:
            item.host_organisation = None
    return items


# --- organisations: organisers and hosting ---------------------------------------------------


def curated_for_programmes(user) -> list[Organisation]:
    """The organisations ``user`` curates, with how many hosting requests wait for them (the
    programme list links each to its organisers and hosting pages)."""
    if not user.is_authenticated:
        return []
    return list(
        Organisation.objects.filter(curators__user=user)
        .annotate(
            pending_hosting=Count(
                "programme_host_links",
                filter=Q(programme_host_links__status=HostStatus.PENDING),
            )
        )
        .order_by("name")[:50]
    )


def organiser_roles(organisation: Organisation):
    return ProgrammeOrganiserRole.objects.filter(organisation=organisation).select_related(
        "user", "granted_by"
    )


def organiser_role_history(organisation: Organisation, *, limit: int = 100):
    """Grants and revocations of the role for ``organisation``, newest first, with who."""
    return list(
        ProgrammeOrganiserRole.history.filter(organisation_id=organisation.pk)
        .select_related("history_user", "user")
        .order_by("-history_date", "-history_id")[:limit]
    )


def host_links(organisation: Organisation):
    """The programmes that name ``organisation`` as host: waiting ones first."""
    return (
        ProgrammeHostOrganisation.objects.filter(organisation=organisation)
        .select_related("programme", "requested_by", "decided_by")
        .annotate(
            waiting=Case(
                When(status=HostStatus.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("waiting", "-requested_at", "pk")
    )


def meetings(programme: Programme):
    return programme.meetings.select_related(
        "slot", "participant__city", "host__city", "host__organisation"
    ).order_by("slot__start", "slot__room", "table")


# --- a person's schedule ---------------------------------------------------------------------


@dataclass
class Entry:
    start: datetime
    end: datetime
    title: str
    kind: str
    place: str = ""
    item: AgendaItem | None = None
    meeting: Meeting | None = None
    uid: str = ""


def _items_for(participant: Participant, items):
    return [i for i in items if i.for_everyone or participant in i.attendees.all()]


def schedule_entries(participant: Participant, *, items=None, all_meetings=None) -> list[Entry]:
    """Agenda items ``participant`` attends plus their bilateral meetings, by start time."""
    programme = participant.programme
    items = items if items is not None else list(agenda(programme))
    all_meetings = all_meetings if all_meetings is not None else list(meetings(programme))
    entries = [
        Entry(
            i.start,
            i.end,
            i.title,
            i.get_kind_display(),
            i.place,
            item=i,
            uid=f"agenda-{i.pk}",
        )
        for i in _items_for(participant, items)
    ]
    for m in all_meetings:
        if participant.pk not in (m.participant_id, m.host_id):
            continue
        other = m.host if m.participant_id == participant.pk else m.participant
        entries.append(
            Entry(
                m.slot.start,
                m.slot.end,
                _("Bilateral meeting with %(name)s (%(of)s)")
                % {"name": other.name, "of": other.represents.name},
                _("Bilateral meeting"),
                _("%(room)s, table %(table)s") % {"room": m.slot.room, "table": m.table},
                meeting=m,
                uid=f"meeting-{m.pk}",
            )
        )
    return sorted(entries, key=lambda e: (e.start, e.end, e.title))


def schedules(programme: Programme) -> list[tuple[Participant, list[Entry]]]:
    """Every active participant's schedule, with two queries for agenda and meetings."""
    items = list(agenda(programme))
    all_meetings = list(meetings(programme))
    people = list(participants(programme).exclude(status="declined"))
    return [(p, schedule_entries(p, items=items, all_meetings=all_meetings)) for p in people]


@dataclass
class Overlap:
    participant: Participant
    first: Entry
    second: Entry


def _is_free_time(entry: Entry) -> bool:
    return entry.item is not None and entry.item.kind == AgendaItemKind.FREE_TIME


def _frames(item_entry: Entry, meeting_entry: Entry) -> bool:
    """An agenda item such as "Bilateral meetings with German cities" frames the meetings
    held within it: that is not an overlap."""
    return (
        item_entry.item is not None
        and meeting_entry.meeting is not None
        and item_entry.start <= meeting_entry.start
        and meeting_entry.end <= item_entry.end
    )


def overlaps(programme: Programme) -> list[Overlap]:
    """Every pair of entries in one participant's schedule that overlap in time."""
    found = []
    for participant, entries in schedules(programme):
        for i, first in enumerate(entries):
            for second in entries[i + 1 :]:
                if second.start >= first.end:
                    break
                if _is_free_time(first) or _is_free_time(second):
                    continue
                if _frames(first, second) or _frames(second, first):
                    continue
                found.append(Overlap(participant, first, second))
    return found


# --- scores and matchmaking ----------------------------------------------------------------


def _city_scores(
    city: City, candidates, *, top: int | None = None
) -> dict[int, tuple[float, list[str]]]:
    """Match score (0..1) and reasons of ``city`` against each candidate city, from the
    matching engine (the same scores and reasons as the partner suggestions)."""
    candidate_ids = list(candidates.values_list("pk", flat=True))
    if not candidate_ids:
        return {}
    found = suggestions_for_city(
        city, top=top or len(candidate_ids), candidates=candidates, exclude_partners=False
    )
    return {s.city.pk: (float(s.score), list(s.reasons)) for s in found}


def _organisation_scores(city: City, organisations) -> dict[int, tuple[float, list[str]]]:
    """Host organisations whose member cities work on the themes ``city`` works on."""
    mine = dict(
        Challenge.objects.filter(city=city).values_list("theme_id", "theme__name").distinct()
    )
    result = {}
    for organisation in organisations:
        theirs = {
            c.theme_id for member in organisation.members.all() for c in member.challenges.all()
        }
        shared = set(mine) & theirs
        if not shared:
            continue
        result[organisation.pk] = (
            len(shared) / max(1, len(mine)),
            [
                _("Its member cities work on %(t)s")
                % {"t": ", ".join(sorted(mine[t] for t in shared))}
            ],
        )
    return result


def pair_scores(programme: Programme, pairs) -> dict[tuple[int, int], float]:
    """Match score (``MIN_SCORE``..1) for each (visiting participant, host) pair."""
    by_city: dict[int, list] = defaultdict(list)
    for visitor, host in pairs:
        by_city[visitor.city_id].append((visitor, host))
    scores = {}
    for rows in by_city.values():
        city = rows[0][0].city
        host_city_ids = {h.city_id for _v, h in rows if h.city_id}
        host_org_ids = {h.organisation_id for _v, h in rows if h.organisation_id and not h.city_id}
        city_scores = (
            _city_scores(city, City.objects.filter(pk__in=host_city_ids)) if host_city_ids else {}
        )
        org_scores = (
            _organisation_scores(
                city,
                Organisation.objects.filter(pk__in=host_org_ids).prefetch_related(
                    "members__challenges"
                ),
            )
            if host_org_ids
            else {}
        )
        for visitor, host in rows:
            if host.city_id:
                score = city_scores.get(host.city_id, (NEUTRAL_SCORE, []))[0]
            else:
                score = org_scores.get(host.organisation_id, (NEUTRAL_SCORE, []))[0]
            scores[(visitor.pk, host.pk)] = max(MIN_SCORE, min(1.0, score))
    return scores


@dataclass
class Suggestion:
    kind: str  # "city" or "organisation"
    target: City | Organisation
    score: float
    reasons: list[str] = field(default_factory=list)
    invited: bool = False


@dataclass
class CitySuggestions:
    city: City
    suggestions: list[Suggestion]


MATCHMAKING_CACHE_SECONDS = 600


def _matchmaking_scores(programme: Programme, city_ids: list[int], top: int) -> dict:
    """{visiting city id: [(kind, target id, score, reasons)]}, best first. Scoring every
    visiting city against the whole host country takes seconds, so it is cached for ten
    minutes per programme and set of visiting cities."""
    from django.core.cache import cache

    key = f"programmes:matchmaking:{programme.pk}:{top}:{','.join(map(str, city_ids))}"
    found = cache.get(key)
    if found is not None:
        return found
    host_cities = public_cities().in_country(programme.host_country.code)
    organisations = list(
        Organisation.objects.filter(country=programme.host_country.code).prefetch_related(
            "members__challenges"
        )
    )
    found = {}
    for city in City.objects.filter(pk__in=city_ids):
        rows = [
            ("city", pk, score, reasons)
            for pk, (score, reasons) in sorted(
                _city_scores(city, host_cities, top=top).items(), key=lambda kv: -kv[1][0]
            )[:top]
        ]
        rows += [
            ("organisation", pk, score, reasons)
            for pk, (score, reasons) in sorted(
                _organisation_scores(city, organisations).items(), key=lambda kv: -kv[1][0]
            )[:top]
        ]
        found[city.pk] = rows
    cache.set(key, found, MATCHMAKING_CACHE_SECONDS)
    return found


def matchmaking(programme: Programme, *, top: int = 5) -> list[CitySuggestions]:
    """For each visiting city: host-country cities (matching engine, restricted to the host
    country) and host-country organisations whose members share its themes."""
    cities = participating_cities(programme)
    scores = _matchmaking_scores(programme, [c.pk for c in cities], top)
    hosts = programme.participants.hosts()
    invited = {
        "city": set(hosts.exclude(city=None).values_list("city_id", flat=True)),
        "organisation": set(
            hosts.exclude(organisation=None).values_list("organisation_id", flat=True)
        ),
    }
    wanted = {"city": set(), "organisation": set()}
    for rows in scores.values():
        for kind, pk, _score, _reasons in rows:
            wanted[kind].add(pk)
    targets = {
        # Scores are cached for minutes; a city unpublished since then drops out here.
        "city": public_cities().in_bulk(wanted["city"]),
        "organisation": Organisation.objects.in_bulk(wanted["organisation"]),
    }
    return [
        CitySuggestions(
            city,
            [
                Suggestion(kind, targets[kind][pk], score, reasons, invited=pk in invited[kind])
                for kind, pk, score, reasons in scores.get(city.pk, [])
                if pk in targets[kind]
            ],
        )
        for city in cities
    ]
