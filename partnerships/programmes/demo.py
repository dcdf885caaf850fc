"""The sample visitors programme for the demo (a ``load_demo`` step).

One week in Berlin and the Ruhr for 15 representatives of 13 cities from 12 countries:
meetings at the sample association of cities and at two sample federal ministries, a Ruhr
field trip (Essen, Dortmund, Bochum, Gelsenkirchen, Duisburg) and an afternoon of bilateral
meetings with German cities placed by the scheduler. Everything is labelled sample; people
are role placeholders "(sample)". Idempotent: a second run finds the programme and stops.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction

from cities.choices import ContactVisibility
from cities.models import City, Official, OfficialRole, Organisation, OrganisationKind, Theme
from partnerships.models import (
    AgendaItemKind,
    ParticipantSide,
    Programme,
    ProgrammeStatus,
    WishSource,
)

from . import selectors, services

SLUG = "sample-berlin-ruhr-week"
TZ = ZoneInfo("Europe/Berlin")
MONDAY = dt.date(2027, 3, 8)

# Visiting cities by GeoNames id (the sample profiles), with how many representatives.
VISITORS = [
    ("Southern and East Africa", [(915883, 2), (184745, 1)]),  # Kafue, Nairobi
    ("West and North Africa", [(2306104, 1), (2253354, 1), (2464470, 1), (2553604, 1)]),
    ("The Americas", [(4726206, 1), (3390760, 2), (3464975, 1), (3674962, 1)]),
    ("Asia", [(1259229, 1), (1625822, 1), (1583992, 1)]),
]
# German host cities for the bilateral meetings: Berlin, Düsseldorf and the Ruhr.
HOST_CITIES = [2950159, 2934246, 2928810, 2935517, 2947416, 2921466, 2934691]
RUHR = {"essen": 2928810, "dortmund": 2935517, "bochum": 2947416}
RUHR.update({"gelsenkirchen": 2921466, "duisburg": 2934691})

MINISTRIES = [
    (
        "sample-federal-ministry-for-development",
        "Sample Federal Ministry for Economic Cooperation and Development",
        "Sample organisation: a federal ministry that funds municipal development partnerships.",
    ),
    (
        "sample-federal-foreign-office",
        "Sample Federal Foreign Office",
        "Sample organisation: the federal ministry for foreign affairs, here for city diplomacy.",
    ),
]

ROLES = [
    (OfficialRole.INTERNATIONAL_RELATIONS, "Head of International Relations"),
    (OfficialRole.DEPARTMENT_HEAD, "Head of Climate and Environment"),
]


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=TZ)


def _official(city: City, position: int) -> Official:
    """The city's n-th sample official, or a role placeholder made for the programme."""
    officials = list(city.officials.order_by("pk"))
    if position < len(officials):
        return officials[position]
    role, label = ROLES[position % len(ROLES)]
    official, _created = Official.objects.get_or_create(
        city=city,
        name=f"{label} (sample)",
        defaults={
            "role": role,
            "title": label,
            "email": f"{role.replace('_', '.')}@{city.slug}.example",
            "languages": list(city.working_languages or ["en"]),
            "contact_visibility": ContactVisibility.MEMBERS,
        },
    )
    return official


def _ministries() -> list[Organisation]:
    found = []
    for slug, name, description in MINISTRIES:
        organisation, _created = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": OrganisationKind.MINISTRY,
                "country": "DE",
                "description": description,
                "is_sample": True,
            },
        )
        found.append(organisation)
    return found


def load(*, stdout) -> None:
    if Programme.objects.filter(slug=SLUG).exists():
        stdout.write("Sample programme: already there.")
        return
    wanted = {gid for _name, cities in VISITORS for gid, _n in cities} | set(HOST_CITIES)
    cities = {c.geonames_id: c for c in City.objects.filter(geonames_id__in=wanted)}
    missing = wanted - set(cities)
    if missing:
        stdout.write(
            f"Sample programme: skipped, {len(missing)} sample cities are missing "
            "(run the sample-profile step first)."
        )
        return
    association = Organisation.objects.filter(slug="sample-association-of-cities").first()
    if association is None:
        stdout.write("Sample programme: skipped, the sample association of cities is missing.")
        return
    with transaction.atomic():
        solution = _load(cities, association)
    stdout.write(
        f"Sample programme: created with {solution.meetings} bilateral meetings "
        f"(total score {solution.score:.2f}, {solution.status})."
    )


class _Summary:
    def __init__(self, solution):
        self.meetings = len(solution.assignments)
        self.score = solution.total_score
        self.status = solution.status


def _load(cities: dict[int, City], association: Organisation) -> _Summary:
    ministry, foreign_office = _ministries()
    themes = list(
        Theme.objects.filter(
            slug__in=[
                "structural-change",
                "climate-adaptation",
                "inner-city-regeneration",
                "economic-development",
            ]
        )
    ) or list(Theme.objects.filter(parent=None)[:3])
    programme = services.programme_create(
        user=None,
        slug=SLUG,
        title="Cities in transition: a week in Berlin and the Ruhr",
        host_country="DE",
        start_date=MONDAY,
        end_date=MONDAY + dt.timedelta(days=4),
        timezone_name="Europe/Berlin",
        description=(
            "Sample programme. Fifteen representatives of cities and regions from twelve "
            "countries meet an association of cities and two federal ministries in Berlin, "
            "see how the Ruhr cities manage structural change, and hold bilateral meetings "
            "with German cities."
        ),
        themes=themes,
        host_organisations=[association, ministry, foreign_office],
        is_sample=True,
    )
    # Sample data: the sample organisations' agreement to host is invented like the rest.
    for link in programme.host_organisation_links.all():
        services.programme_host_decide(link=link, user=None, confirm=True)
    programme.status = ProgrammeStatus.PUBLISHED
    programme.save(update_fields=["status"])

    visitors = []
    for position, (name, members) in enumerate(VISITORS):
        delegation = services.delegation_create(programme=programme, name=name)
        delegation.position = position
        delegation.save(update_fields=["position"])
        for geonames_id, count in members:
            for n in range(count):
                visitors.append(
                    services.participant_add(
                        programme=programme,
                        official=_official(cities[geonames_id], n),
                        delegation=delegation,
                        max_meetings=3,
                    )
                )
    hosts = [
        services.participant_add(
            programme=programme,
            side=ParticipantSide.HOST,
            official=_official(cities[geonames_id], 0),
            max_meetings=6,
        )
        for geonames_id in HOST_CITIES
    ]
    services.participant_add(
        programme=programme,
        side=ParticipantSide.HOST,
        organisation=association,
        name="Head of International Affairs (sample)",
        role="Association of cities",
        languages=["de", "en", "fr"],
    )

    ruhr = {slug: cities[gid] for slug, gid in RUHR.items()}
    berlin = cities[2950159]
    item = services.agenda_item_save
    K = AgendaItemKind
    item(
        programme=programme,
        kind=K.WORKSHOP,
        title="Welcome and introductions",
        start=at(0, 9, 30),
        end=at(0, 11),
        place="Berlin, association offices",
        host_organisation=association,
    )
    item(
        programme=programme,
        kind=K.MEETING,
        title="Municipal partnerships for sustainable development",
        start=at(0, 11, 30),
        end=at(0, 13),
        place="Berlin, association offices",
        host_organisation=association,
        description="How German cities organise partnerships and what the association offers.",
    )
    item(
        programme=programme,
        kind=K.MEETING,
        title="Funding municipal development partnerships",
        start=at(0, 14, 30),
        end=at(0, 16, 30),
        place="Berlin",
        host_organisation=ministry,
    )
    item(
        programme=programme,
        kind=K.FREE_TIME,
        title="Evening at leisure",
        start=at(0, 18),
        end=at(0, 22),
        place="Berlin",
    )
    item(
        programme=programme,
        kind=K.MEETING,
        title="City diplomacy and the global goals",
        start=at(1, 9, 30),
        end=at(1, 11, 30),
        place="Berlin",
        host_organisation=foreign_office,
    )
    item(
        programme=programme,
        kind=K.WORKSHOP,
        title="Preparing the bilateral meetings",
        start=at(1, 12),
        end=at(1, 13),
        place="Berlin, association offices",
        host_organisation=association,
    )
    item(
        programme=programme,
        kind=K.MEETING,
        title="Bilateral meetings with German cities",
        start=at(1, 14),
        end=at(1, 17),
        place="Berlin, association offices, meeting hall",
        host_city=berlin,
        host_organisation=association,
        description="Each participant's own meetings are in their personal schedule.",
    )
    item(
        programme=programme,
        kind=K.TRAVEL,
        title="Train from Berlin to Essen",
        start=at(2, 7, 30),
        end=at(2, 11, 30),
        place="Berlin Hbf → Essen Hbf",
    )
    item(
        programme=programme,
        kind=K.SITE_VISIT,
        title="From coal mine to culture: a former colliery site",
        start=at(2, 13),
        end=at(2, 16),
        place="Essen",
        host_city=ruhr["essen"],
    )
    item(
        programme=programme,
        kind=K.SITE_VISIT,
        title="A lake where a steelworks stood",
        start=at(3, 9),
        end=at(3, 11),
        place="Dortmund",
        host_city=ruhr["dortmund"],
    )
    item(
        programme=programme,
        kind=K.TRAVEL,
        title="Bus to Bochum",
        start=at(3, 11, 15),
        end=at(3, 12),
        place="Dortmund → Bochum",
    )
    item(
        programme=programme,
        kind=K.SITE_VISIT,
        title="University, health campus and new jobs",
        start=at(3, 13, 30),
        end=at(3, 15, 30),
        place="Bochum",
        host_city=ruhr["bochum"],
    )
    item(
        programme=programme,
        kind=K.MEETING,
        title="Side meeting on climate adaptation",
        start=at(3, 15),
        end=at(3, 16, 30),
        place="Bochum",
        host_city=ruhr["bochum"],
        for_everyone=False,
        attendees=[p for p in visitors if "Climate" in p.role][:4] or visitors[:3],
    )
    item(
        programme=programme,
        kind=K.SITE_VISIT,
        title="Solar city: energy in the neighbourhoods",
        start=at(3, 16, 45),
        end=at(3, 18),
        place="Gelsenkirchen",
        host_city=ruhr["gelsenkirchen"],
    )
    item(
        programme=programme,
        kind=K.SITE_VISIT,
        title="The inner harbour and the landscape park",
        start=at(4, 9),
        end=at(4, 11, 30),
        place="Duisburg",
        host_city=ruhr["duisburg"],
    )
    item(
        programme=programme,
        kind=K.WORKSHOP,
        title="What we take home: evaluation and next steps",
        start=at(4, 13),
        end=at(4, 15),
        place="Duisburg",
        host_organisation=association,
    )
    item(
        programme=programme,
        kind=K.TRAVEL,
        title="Departures",
        start=at(4, 15, 30),
        end=at(4, 18),
        place="Düsseldorf airport",
    )

    services.meeting_slots_create(
        programme=programme,
        day=MONDAY + dt.timedelta(days=1),
        first_start=dt.time(14),
        last_end=dt.time(17),
        minutes=30,
        room="Meeting hall",
        tables=7,
    )
    # Wishes: every visitor names the three German cities that match it best; the scheduler
    # weighs each by the pair's match score.
    scores = selectors.pair_scores(programme, [(v, h) for v in visitors for h in hosts])
    for index, visitor in enumerate(visitors):
        ranked = sorted(hosts, key=lambda h: (-scores[(visitor.pk, h.pk)], h.pk))
        for rank, host in enumerate(ranked[:3]):
            services.meeting_wish_set(
                programme=programme,
                participant=visitor,
                host=host,
                weight=3 - rank if (index + rank) % 4 else 2,
                stated_by=WishSource.PARTICIPANT,
            )
    return _Summary(services.meetings_schedule(programme=programme, time_limit=10))
