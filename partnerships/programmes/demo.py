"""The sample visitors programme for the demo (a ``load_demo`` step), from
``partnerships/data/demo/programme.json``.

One week in Berlin and the Ruhr for 15 representatives of 13 cities from 12 countries:
meetings at the sample association of cities and at two sample federal ministries, a Ruhr
field trip (Essen, Dortmund, Bochum, Gelsenkirchen, Duisburg) and an afternoon of bilateral
meetings with German cities placed by the scheduler. The file holds the programme, its
delegations, hosts, agenda and meeting slots; the wishes follow the match scores (below).
Everything is labelled sample; people are role placeholders "(sample)". Idempotent: a second
run finds the programme and stops.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.db import transaction
from django_countries import countries

from cities.choices import ContactVisibility
from cities.datafile import NOT_IN_FILE, Problems, read, refusals
from cities.demo import (
    LANGUAGE_CODE,
    SAMPLE_SUFFIX,
    CityRef,
    SampleOrganisation,
    check_sample_city,
    check_sample_organisation,
    check_themes,
    read_sample_cities,
    save_sample_organisation,
)
from cities.models import City, Official, OfficialRole, Organisation, Theme
from partnerships.models import (
    AgendaItemKind,
    Participant,
    ParticipantSide,
    Programme,
    ProgrammeStatus,
    WishSource,
)

from . import selectors, services

PROGRAMME_FILE = Path(__file__).resolve().parents[1] / "data" / "demo" / "programme.json"
WISHES_PER_VISITOR = 3


@dataclass(frozen=True)
class PlaceholderOfficial:
    role: str
    title: str


@dataclass(frozen=True)
class VisitingCity:
    geonames_id: int
    name: str
    representatives: int


@dataclass(frozen=True)
class SampleDelegation:
    name: str
    cities: tuple[VisitingCity, ...]


@dataclass(frozen=True)
class HostRepresentative:
    organisation: str
    name: str
    role: str
    languages: tuple[str, ...]


@dataclass(frozen=True)
class Attendee:
    geonames_id: int
    name: str
    representative: int  # 1 = the city's first representative


@dataclass(frozen=True)
class SampleAgendaItem:
    day: int  # 1 = the first day
    start: dt.time
    end: dt.time
    kind: str
    title: str
    place: str
    description: str = ""
    host_city: CityRef | None = None
    host_organisation: str = ""
    for_everyone: bool = True
    attendees: tuple[Attendee, ...] = ()


@dataclass(frozen=True)
class SampleMeetingSlots:
    day: int
    first_start: dt.time
    last_end: dt.time
    minutes: int
    room: str
    tables: int


@dataclass(frozen=True)
class SampleProgramme:
    """``partnerships/data/demo/programme.json``."""

    slug: str
    title: str
    description: str
    host_country: str
    timezone: str
    first_day: dt.date
    last_day: dt.date
    themes: tuple[str, ...]
    # Created as sample organisations if missing; the other hosts must exist already.
    sample_organisations: tuple[SampleOrganisation, ...]
    host_organisations: tuple[str, ...]
    # For a city with fewer officials than representatives: the n-th missing one gets the
    # n-th role (cycling).
    placeholder_officials: tuple[PlaceholderOfficial, ...]
    delegations: tuple[SampleDelegation, ...]
    visitor_max_meetings: int
    host_cities: tuple[CityRef, ...]
    host_max_meetings: int
    host_representatives: tuple[HostRepresentative, ...]
    agenda: tuple[SampleAgendaItem, ...]
    meeting_slots: SampleMeetingSlots
    source: str = field(default="", metadata=NOT_IN_FILE)

    @property
    def visitor_city_ids(self) -> set[int]:
        return {city.geonames_id for d in self.delegations for city in d.cities}

    @property
    def host_city_ids(self) -> set[int]:
        return {city.geonames_id for city in self.host_cities} | {
            item.host_city.geonames_id for item in self.agenda if item.host_city
        }

    def day(self, number: int) -> dt.date:
        return self.first_day + dt.timedelta(days=number - 1)

    def at(self, number: int, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(self.day(number), time, tzinfo=zoneinfo.ZoneInfo(self.timezone))


def read_programme(
    path: Path | None = None, *, known_themes: set[str] | None = None
) -> SampleProgramme:
    """The sample programme, checked: sample cities, known choices and themes, days within
    the programme, attendees among the visitors, organisations among the hosts. Raises
    ``DataFileError`` naming the file and the entries. ``known_themes`` as in
    ``cities.demo.read_sample_cities``."""
    path = path or PROGRAMME_FILE
    data = read(path, SampleProgramme)
    problems = Problems(path)
    names = {sample.geonames_id: sample.name for sample in read_sample_cities()}
    _check_programme(data, problems, known_themes)
    representatives: dict[int, int] = {}
    for index, delegation in enumerate(data.delegations):
        for position, city in enumerate(delegation.cities):
            where = f"delegations[{index}] ({delegation.name}).cities[{position}] ({city.name})"
            check_sample_city(city.geonames_id, city.name, where, problems, names)
            if city.geonames_id in representatives:
                problems.add(where, "this city is already in a delegation")
            if city.representatives < 1:
                problems.add(f"{where}.representatives", "must be at least 1")
            representatives[city.geonames_id] = city.representatives
    for index, city in enumerate(data.host_cities):
        check_sample_city(
            city.geonames_id, city.name, f"host_cities[{index}] ({city.name})", problems, names
        )
    for index, person in enumerate(data.host_representatives):
        where = f"host_representatives[{index}] ({person.name})"
        if person.organisation not in data.host_organisations:
            problems.add(f"{where}.organisation", "is not one of the host_organisations")
        if not person.name.endswith(SAMPLE_SUFFIX):
            problems.add(
                f"{where}.name", f"must be a placeholder ending in {SAMPLE_SUFFIX.strip()!r}"
            )
        for language in person.languages:
            if not LANGUAGE_CODE.fullmatch(language):
                problems.add(f"{where}.languages", f"not an ISO 639-1 code: {language!r}")
    for index, item in enumerate(data.agenda):
        _check_agenda_item(data, item, f"agenda[{index}] ({item.title})", problems, names)
        for position, person in enumerate(item.attendees):
            at = f"agenda[{index}] ({item.title}).attendees[{position}] ({person.name})"
            check_sample_city(person.geonames_id, person.name, at, problems, names)
            if not 1 <= person.representative <= representatives.get(person.geonames_id, 0):
                problems.add(at, "is not one of the visiting city's representatives")
    slots = data.meeting_slots
    _check_day(data, slots.day, "meeting_slots.day", problems)
    if slots.last_end <= slots.first_start:
        problems.add("meeting_slots.last_end", "must be after first_start")
    if not 5 <= slots.minutes <= 240 or slots.tables < 1:
        problems.add("meeting_slots", "a slot lasts 5–240 minutes, with at least one table")
    problems.raise_if_any()
    return replace(data, source=str(path))


def _check_programme(
    data: SampleProgramme, problems: Problems, known_themes: set[str] | None
) -> None:
    if not data.description.startswith("Sample programme"):
        problems.add("description", "must begin with 'Sample programme' (a sample is labelled)")
    if data.host_country not in countries:
        problems.add("host_country", f"unknown country code {data.host_country!r}")
    try:
        zoneinfo.ZoneInfo(data.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        problems.add("timezone", f"unknown time zone {data.timezone!r}")
    if data.last_day < data.first_day:
        problems.add("last_day", "is before first_day")
    check_themes(data.themes, "themes", problems, known_themes)
    for index, organisation in enumerate(data.sample_organisations):
        check_sample_organisation(
            organisation, f"sample_organisations[{index}] ({organisation.slug})", problems
        )
    if len(set(data.host_organisations)) != len(data.host_organisations):
        problems.add("host_organisations", "a slug appears twice")
    if not data.placeholder_officials:
        problems.add("placeholder_officials", "needs at least one role")
    for index, placeholder in enumerate(data.placeholder_officials):
        problems.choice(f"placeholder_officials[{index}].role", placeholder.role, OfficialRole)
    if data.visitor_max_meetings < 1 or data.host_max_meetings < 1:
        problems.add("visitor_max_meetings", "must be at least 1, for visitors and hosts")


def _check_day(data: SampleProgramme, number: int, where: str, problems: Problems) -> None:
    if not 1 <= number <= (data.last_day - data.first_day).days + 1:
        problems.add(where, f"day {number} is not a day of the programme")


def _check_agenda_item(
    data: SampleProgramme,
    item: SampleAgendaItem,
    where: str,
    problems: Problems,
    names: dict[int, str],
) -> None:
    _check_day(data, item.day, f"{where}.day", problems)
    if item.end <= item.start:
        problems.add(f"{where}.end", "must be after the start")
    problems.choice(f"{where}.kind", item.kind, AgendaItemKind)
    if item.host_city:
        host = item.host_city
        check_sample_city(host.geonames_id, host.name, f"{where}.host_city", problems, names)
    if item.host_organisation and item.host_organisation not in data.host_organisations:
        problems.add(f"{where}.host_organisation", "is not one of the host_organisations")
    if item.attendees and item.for_everyone:
        problems.add(f"{where}.attendees", 'only for an item with "for_everyone": false')


def load(*, stdout) -> None:
    """Create the sample programme once; skip it, saying why, while its cities or host
    organisations are missing. The file is checked before anything is written, and a refusal
    by the services while writing is reported against the file and rolls everything back."""
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    data = read_programme(known_themes=set(themes))
    if Programme.objects.filter(slug=data.slug).exists():
        stdout.write("Sample programme: already there.")
        return
    wanted = data.visitor_city_ids | data.host_city_ids
    cities = {c.geonames_id: c for c in City.objects.filter(geonames_id__in=wanted)}
    missing = wanted - set(cities)
    if missing:
        stdout.write(
            f"Sample programme: skipped, {len(missing)} sample cities are missing "
            "(run the sample-profile step first)."
        )
        return
    created_here = {organisation.slug for organisation in data.sample_organisations}
    present = set(
        Organisation.objects.filter(slug__in=data.host_organisations).values_list("slug", flat=True)
    )
    absent = [s for s in data.host_organisations if s not in present | created_here]
    if absent:
        stdout.write(
            f"Sample programme: skipped, the sample organisation {absent[0]!r} is missing "
            "(run the sample-profile step first)."
        )
        return
    with transaction.atomic(), refusals(data.source, ""):
        solution = _load(data, cities, themes)
    stdout.write(
        f"Sample programme: created with {len(solution.assignments)} bilateral meetings "
        f"(total score {solution.total_score:.2f}, {solution.status})."
    )


def _official(city: City, position: int, data: SampleProgramme) -> Official:
    """The city's n-th sample official, or a role placeholder made for the programme."""
    officials = list(city.officials.order_by("pk"))
    if position < len(officials):
        return officials[position]
    placeholder = data.placeholder_officials[position % len(data.placeholder_officials)]
    official, _created = Official.objects.get_or_create(
        city=city,
        name=placeholder.title + SAMPLE_SUFFIX,
        defaults={
            "role": placeholder.role,
            "title": placeholder.title,
            "email": f"{placeholder.role.replace('_', '.')}@{city.slug}.example",
            "languages": list(city.working_languages or ["en"]),
            "contact_visibility": ContactVisibility.MEMBERS,
        },
    )
    return official


def _load(data: SampleProgramme, cities: dict[int, City], themes: dict[str, Theme]):
    for organisation in data.sample_organisations:
        save_sample_organisation(organisation, cities)
    organisations = Organisation.objects.in_bulk(data.host_organisations, field_name="slug")
    programme = services.programme_create(
        user=None,
        slug=data.slug,
        title=data.title,
        host_country=data.host_country,
        start_date=data.first_day,
        end_date=data.last_day,
        timezone_name=data.timezone,
        description=data.description,
        themes=[themes[slug] for slug in data.themes],
        host_organisations=[organisations[slug] for slug in data.host_organisations],
        is_sample=True,
    )
    # Sample data: the sample organisations' agreement to host is invented like the rest.
    for link in programme.host_organisation_links.all():
        services.programme_host_decide(link=link, user=None, confirm=True)
    programme.status = ProgrammeStatus.PUBLISHED
    programme.save(update_fields=["status"])

    visitors: dict[tuple[int, int], Participant] = {}
    for delegation_data in data.delegations:
        delegation = services.delegation_create(programme=programme, name=delegation_data.name)
        for city in delegation_data.cities:
            for n in range(city.representatives):
                visitors[(city.geonames_id, n + 1)] = services.participant_add(
                    programme=programme,
                    official=_official(cities[city.geonames_id], n, data),
                    delegation=delegation,
                    max_meetings=data.visitor_max_meetings,
                )
    hosts = [
        services.participant_add(
            programme=programme,
            side=ParticipantSide.HOST,
            official=_official(cities[city.geonames_id], 0, data),
            max_meetings=data.host_max_meetings,
        )
        for city in data.host_cities
    ]
    for person in data.host_representatives:
        services.participant_add(
            programme=programme,
            side=ParticipantSide.HOST,
            organisation=organisations[person.organisation],
            name=person.name,
            role=person.role,
            languages=list(person.languages),
        )

    for index, item in enumerate(data.agenda):
        with refusals(data.source, f"agenda[{index}] ({item.title})"):
            services.agenda_item_save(
                programme=programme,
                kind=item.kind,
                title=item.title,
                start=data.at(item.day, item.start),
                end=data.at(item.day, item.end),
                place=item.place,
                description=item.description,
                host_city=cities[item.host_city.geonames_id] if item.host_city else None,
                host_organisation=organisations.get(item.host_organisation),
                for_everyone=item.for_everyone,
                attendees=[visitors[(a.geonames_id, a.representative)] for a in item.attendees],
            )

    slots = data.meeting_slots
    with refusals(data.source, "meeting_slots"):
        services.meeting_slots_create(
            programme=programme,
            day=data.day(slots.day),
            first_start=slots.first_start,
            last_end=slots.last_end,
            minutes=slots.minutes,
            room=slots.room,
            tables=slots.tables,
        )
    # Wishes: every visitor names the German cities that match it best; the scheduler weighs
    # each by the pair's match score. Weights vary a little so that not every wish is equal.
    visiting = list(visitors.values())
    scores = selectors.pair_scores(programme, [(v, h) for v in visiting for h in hosts])
    for index, visitor in enumerate(visiting):
        ranked = sorted(hosts, key=lambda h: (-scores[(visitor.pk, h.pk)], h.pk))
        for rank, host in enumerate(ranked[:WISHES_PER_VISITOR]):
            services.meeting_wish_set(
                programme=programme,
                participant=visitor,
                host=host,
                weight=WISHES_PER_VISITOR - rank if (index + rank) % 4 else 2,
                stated_by=WishSource.PARTICIPANT,
            )
    return services.meetings_schedule(programme=programme, time_limit=10)
