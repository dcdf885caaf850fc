"""Sample partnerships for the demo (``manage.py load_demo``) from
``partnerships/data/demo/partnerships.json``: a few partnerships among the sample cities, each
labelled ``is_sample`` in the data and the UI, with activity logs — and one silent for years,
so the "possibly dormant" flag shows. Idempotent: a re-run changes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from cities.choices import PartnershipKind
from cities.datafile import Problems, read
from cities.demo import CityRef, check_sample_city, check_themes, read_sample_cities
from cities.models import City, Theme

from .models import (
    Partnership,
    PartnershipActivity,
    PartnershipActivityKind,
    PartnershipSource,
    PartnershipStatus,
)

DATA_DIR = Path(__file__).resolve().parent / "data" / "demo"
PARTNERSHIPS_FILE = DATA_DIR / "partnerships.json"


@dataclass(frozen=True)
class SampleActivity:
    kind: str
    date: datetime.date
    description: str


@dataclass(frozen=True)
class SamplePartnership:
    cities: tuple[CityRef, ...]
    kind: str
    status: str
    since: datetime.date
    until: datetime.date | None
    themes: tuple[str, ...]
    description: str
    activities: tuple[SampleActivity, ...]


@dataclass(frozen=True)
class SamplePartnerships:
    """``partnerships/data/demo/partnerships.json``."""

    partnerships: tuple[SamplePartnership, ...]


def read_sample_partnerships(
    path: Path | None = None, *, known_themes: set[str] | None = None
) -> tuple[SamplePartnership, ...]:
    """The sample partnerships, checked: two different sample cities each, known kinds,
    statuses and themes, dates in order, labelled "Sample". Raises ``DataFileError`` naming
    the file and the entries. ``known_themes`` as in ``cities.demo.read_sample_cities``."""
    path = path or PARTNERSHIPS_FILE
    data = read(path, SamplePartnerships)
    names = {sample.geonames_id: sample.name for sample in read_sample_cities()}
    problems = Problems(path)
    seen = set()
    for index, sample in enumerate(data.partnerships):
        where = f"partnerships[{index}] ({'–'.join(city.name for city in sample.cities)})"
        if len(sample.cities) != 2 or sample.cities[0] == sample.cities[1]:
            problems.add(f"{where}.cities", "needs two different cities")
        for position, city in enumerate(sample.cities):
            check_sample_city(
                city.geonames_id, city.name, f"{where}.cities[{position}]", problems, names
            )
        problems.choice(f"{where}.kind", sample.kind, PartnershipKind)
        problems.choice(f"{where}.status", sample.status, PartnershipStatus)
        if sample.until and sample.until < sample.since:
            problems.add(f"{where}.until", "is before the start ('since')")
        check_themes(sample.themes, f"{where}.themes", problems, known_themes)
        if not sample.description.startswith("Sample "):
            problems.add(f"{where}.description", "must begin with 'Sample ' (a sample is labelled)")
        for position, activity in enumerate(sample.activities):
            problems.choice(
                f"{where}.activities[{position}].kind", activity.kind, PartnershipActivityKind
            )
        key = (frozenset(city.geonames_id for city in sample.cities), sample.kind)
        if key in seen:
            problems.add(where, "these two cities already have a sample partnership of this kind")
        seen.add(key)
    problems.raise_if_any()
    return data.partnerships


def load(*, stdout) -> None:
    """Create the sample partnerships whose cities exist; skip the others with a note. The
    file is checked first and everything is written in one transaction."""
    themes = {t.slug: t for t in Theme.objects.all()}
    samples = read_sample_partnerships(known_themes=set(themes))
    cities = City.objects.in_bulk(
        [city.geonames_id for sample in samples for city in sample.cities],
        field_name="geonames_id",
    )
    created = 0
    with transaction.atomic():
        for sample in samples:
            first, second = sample.cities
            if first.geonames_id not in cities or second.geonames_id not in cities:
                stdout.write(
                    f"  sample partnership {first.name}–{second.name} skipped: city missing"
                )
                continue
            city_a, city_b = Partnership.ordered_pair(
                cities[first.geonames_id], cities[second.geonames_id]
            )
            partnership, was_created = Partnership.objects.get_or_create(
                city_a=city_a,
                city_b=city_b,
                kind=sample.kind,
                defaults={
                    "status": sample.status,
                    "since": sample.since,
                    "until": sample.until,
                    "description": sample.description,
                    "source": PartnershipSource.CURATED,
                    "is_sample": True,
                },
            )
            if not was_created:
                continue
            created += 1
            partnership.themes.set([themes[slug] for slug in sample.themes])
            PartnershipActivity.objects.bulk_create(
                PartnershipActivity(
                    partnership=partnership,
                    kind=activity.kind,
                    date=activity.date,
                    description=activity.description,
                )
                for activity in sample.activities
            )
            last = partnership.activities.aggregate(last=Max("date"))["last"]
            Partnership.objects.filter(pk=partnership.pk).update(last_activity_on=last)
    stdout.write(f"Sample partnerships: {created} created.")
