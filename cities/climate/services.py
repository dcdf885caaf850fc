"""Writes of city climates: normals from the committed ERA5-derived dataset by coordinates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from cities.models import City, CityClimate

from . import core, dataset

BATCH_SIZE = 2_000
SOURCE = "ERA5 monthly climatology 2000–2025, 0.25° (C3S/ECMWF)"


@dataclass(frozen=True)
class AssignResult:
    assigned: int  # rows created or updated
    removed: int  # rows deleted because the city lost its coordinates
    not_covered: list[int]  # city ids whose coordinates are far from every grid cell


def _rows_for(cities: list[tuple[int, float, float]]) -> tuple[list[CityClimate], list[int]]:
    """CityClimate objects (unsaved) for (id, latitude, longitude) tuples, vectorised."""
    if not cities:
        return [], []
    ids = np.array([c[0] for c in cities], dtype=np.int64)
    lat = np.array([c[1] for c in cities], dtype=np.float64)
    lon = np.array([c[2] for c in cities], dtype=np.float64)
    found = dataset.lookup(lat, lon)
    koppen = np.full(len(ids), "", dtype="<U3")
    if found.found.any():
        koppen[found.found] = core.koppen_classes(
            found.temperature[found.found], found.precipitation[found.found], lat[found.found]
        )
    now = timezone.now()
    rows = []
    for i in np.flatnonzero(found.found):
        rows.append(
            CityClimate(
                city_id=int(ids[i]),
                temperature_c=[round(float(v), 1) for v in found.temperature[i]],
                precipitation_mm=[round(float(v), 1) for v in found.precipitation[i]],
                koppen=str(koppen[i]),
                source=SOURCE,
                period="2000-2025",
                latitude=float(lat[i]),
                longitude=float(lon[i]),
                cell_latitude=float(found.cell_latitude[i]),
                cell_longitude=float(found.cell_longitude[i]),
                assigned_at=now,
            )
        )
    return rows, [int(i) for i in ids[~found.found]]


def climate_assign_missing(*, reassign_all: bool = False) -> AssignResult:
    """Give every city with coordinates its normals and Köppen class; idempotent.

    Without ``reassign_all`` only cities lacking a CityClimate, or whose coordinates changed
    since it was assigned, are touched; a city that lost its coordinates loses its climate.
    All ~34,000 cities take a few seconds: one lookup over arrays, bulk writes in batches of
    BATCH_SIZE, each batch in its own transaction (a rerun finishes an interrupted run).
    """
    with_coordinates = City.objects.filter(latitude__isnull=False, longitude__isnull=False)
    if not reassign_all:
        with_coordinates = with_coordinates.filter(
            Q(climate__isnull=True)
            | ~Q(climate__latitude=F("latitude"))
            | ~Q(climate__longitude=F("longitude"))
        )
    todo = list(with_coordinates.order_by("pk").values_list("pk", "latitude", "longitude"))
    with transaction.atomic():
        removed, _ = CityClimate.objects.filter(
            Q(city__latitude__isnull=True) | Q(city__longitude__isnull=True)
        ).delete()
    assigned, not_covered = 0, []
    for start in range(0, len(todo), BATCH_SIZE):
        rows, missing = _rows_for(todo[start : start + BATCH_SIZE])
        not_covered += missing
        with transaction.atomic():
            # A city whose new coordinates are out of reach must not keep stale normals.
            CityClimate.objects.filter(city_id__in=missing).delete()
            CityClimate.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["city"],
                update_fields=[
                    "temperature_c",
                    "precipitation_mm",
                    "koppen",
                    "source",
                    "period",
                    "latitude",
                    "longitude",
                    "cell_latitude",
                    "cell_longitude",
                    "assigned_at",
                ],
            )
        assigned += len(rows)
    _forget_cached_arrays()
    return AssignResult(assigned=assigned, removed=removed, not_covered=not_covered)


def _forget_cached_arrays() -> None:
    """This process sees new normals at once; others within selectors.recheck_seconds()."""
    from . import selectors

    selectors.clear_cache()


def city_climate_assign(*, city: City) -> CityClimate | None:
    """(Re)assign one city's normals after it was added or its coordinates changed.

    Returns the CityClimate, or None when the city has no coordinates or they are far from
    every cell of the dataset (any previous climate is then removed, never left stale).
    Call it from edit services and the admin inside their transaction.
    """
    with transaction.atomic():
        transaction.on_commit(_forget_cached_arrays)
        if city.latitude is None or city.longitude is None:
            CityClimate.objects.filter(city=city).delete()
            return None
        rows, _missing = _rows_for([(city.pk, city.latitude, city.longitude)])
        if not rows:
            CityClimate.objects.filter(city=city).delete()
            return None
        row = rows[0]
        climate, _ = CityClimate.objects.update_or_create(
            city=city,
            defaults={
                f.name: getattr(row, f.name)
                for f in CityClimate._meta.concrete_fields
                if f.name not in ("id", "city")
            },
        )
        return climate


def demo_load(*, stdout) -> None:
    """DEMO_STEPS: assign climate to every city lacking it (idempotent)."""
    result = climate_assign_missing()
    stdout.write(
        f"Climate: {result.assigned} cities assigned, {len(result.not_covered)} out of reach "
        f"of the dataset."
    )
