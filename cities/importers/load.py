"""Write GeoNames places into the directory: bulk, idempotent, keyed on ``geonames_id``.

Only the fields GeoNames owns are written; whatever a city's staff edited (summary, website,
officials, partnership preferences, …) is never touched, and an existing city keeps its slug.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction

from ..models import City
from .geonames import POPULATION_SOURCE, Place, assign_slugs

BATCH_SIZE = 2000

# Fields the import owns and rewrites on every run (``region`` only when GeoNames names it).
GEONAMES_FIELDS = (
    "name",
    "ascii_name",
    "alternate_names",
    "search_names",
    "country",
    "continent",
    "population",
    "population_source",
    "population_year",
    "latitude",
    "longitude",
    "timezone",
    "region",
)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_sections: int = 0
    skipped_filtered: int = 0


def _values(place: Place) -> dict:
    """The GeoNames-owned field values of ``place`` as the model stores them."""
    city = City(
        name=place.name,
        ascii_name=place.ascii_name,
        alternate_names=",".join(place.alternate_names),
    )
    city.refresh_search_names()
    return {
        "name": city.name,
        "ascii_name": city.ascii_name,
        "alternate_names": city.alternate_names,
        "search_names": city.search_names,
        "country": place.country,
        "continent": place.continent,
        "population": place.population,
        "population_source": POPULATION_SOURCE,
        # GeoNames' population figures are of mixed vintage and the extract carries no
        # date per record, so no year is claimed.
        "population_year": None,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "timezone": place.timezone,
        "region": place.region,
    }


def cities_import(
    *,
    places: Iterable[Place],
    batch_size: int = BATCH_SIZE,
    progress: Callable[[str], None] | None = None,
) -> ImportResult:
    """Create or update one city per place, in one transaction.

    Guarantees: keyed on ``geonames_id`` (a re-run updates, never duplicates); only
    ``GEONAMES_FIELDS`` are written to existing cities and only when a value changed;
    ``region`` is not cleared when GeoNames has no name for it (staff or demo data may have
    entered one); existing slugs never change; new slugs are unique (see
    ``geonames.assign_slugs``); ``search_names`` is filled since bulk writes bypass
    ``City.save()``. A constant number of queries per batch.
    """
    places = list(places)
    report = progress or (lambda message: None)
    result = ImportResult()
    total = len(places)
    with transaction.atomic():
        existing = {
            row["geonames_id"]: row
            for row in City.objects.filter(geonames_id__in=[p.geonames_id for p in places]).values(
                "pk", "geonames_id", *GEONAMES_FIELDS
            )
        }
        new_places = [p for p in places if p.geonames_id not in existing]
        taken = set(City.objects.values_list("slug", flat=True))
        slugs = assign_slugs(new_places, taken=taken)

        to_create: list[City] = []
        to_update: list[City] = []

        def flush() -> None:
            if to_create:
                City.objects.bulk_create(to_create, batch_size=batch_size)
                result.created += len(to_create)
            if to_update:
                City.objects.bulk_update(to_update, GEONAMES_FIELDS, batch_size=batch_size)
                result.updated += len(to_update)
            to_create.clear()
            to_update.clear()

        for index, place in enumerate(places, start=1):
            values = _values(place)
            row = existing.get(place.geonames_id)
            if row is None:
                to_create.append(
                    City(geonames_id=place.geonames_id, slug=slugs[place.geonames_id], **values)
                )
            else:
                if not values["region"]:
                    values["region"] = row["region"]
                if any(row[name] != value for name, value in values.items()):
                    to_update.append(City(pk=row["pk"], geonames_id=place.geonames_id, **values))
                else:
                    result.unchanged += 1
            if len(to_create) + len(to_update) >= batch_size or index == total:
                flush()
                report(f"{index}/{total} places processed ({100 * index // total}%)")
    return result
