"""Reads of city climates as arrays for the pure cores (twins, matching)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext

from cities.models import City, CityClimate
from cities.permissions import public_cities

from . import core, twins


@dataclass(frozen=True)
class ClimateArrays:
    """Normals of the cities that have a CityClimate, rows ordered by city id."""

    city_ids: np.ndarray  # [N] int
    temperature: np.ndarray  # [N, 12] °C
    precipitation: np.ndarray  # [N, 12] mm/month
    latitude: np.ndarray  # [N]

    def __len__(self) -> int:
        return len(self.city_ids)

    def index_of(self, city_id: int) -> int | None:
        pos = int(np.searchsorted(self.city_ids, city_id))
        if pos < len(self.city_ids) and self.city_ids[pos] == city_id:
            return pos
        return None

    def mask_of(self, city_ids) -> np.ndarray:
        """Boolean mask of the rows whose city id is in ``city_ids``."""
        return np.isin(self.city_ids, np.fromiter(city_ids, dtype=np.int64))


def _load(city_ids=None) -> ClimateArrays:
    rows = CityClimate.objects.order_by("city_id")
    if city_ids is not None:
        rows = rows.filter(city_id__in=list(city_ids))
    values = list(
        rows.values_list("city_id", "temperature_c", "precipitation_mm", "city__latitude")
    )
    n = len(values)
    ids = np.fromiter((v[0] for v in values), dtype=np.int64, count=n)
    temperature = np.array([v[1] for v in values], dtype=np.float64).reshape(n, 12)
    precipitation = np.array([v[2] for v in values], dtype=np.float64).reshape(n, 12)
    latitude = np.array([v[3] if v[3] is not None else 0.0 for v in values], dtype=np.float64)
    return ClimateArrays(ids, temperature, precipitation, latitude)


# All-city arrays are re-read only when the table changed (one aggregate query tells):
# parsing 34,000 JSON rows takes about a second. The aggregate itself costs ~7 ms on every
# profile view, so a process trusts its arrays for ``recheck_seconds()`` between checks.
_cache_lock = threading.Lock()
_cache: dict = {}


def recheck_seconds() -> float:
    """How long cached arrays are trusted without asking the database (0 in tests).

    Climate rows change only when cities are imported, added or moved; such a change shows
    on pages within this period (at once in the process that made it: see ``clear_cache``).
    """
    default = 0.0 if getattr(settings, "IS_TEST", False) else 30.0
    return float(getattr(settings, "CLIMATE_ARRAYS_RECHECK_SECONDS", default))


def _version() -> tuple:
    stamp = CityClimate.objects.aggregate(n=Count("id"), latest=Max("assigned_at"))
    return (stamp["n"], stamp["latest"])


def climate_arrays(city_ids=None) -> ClimateArrays:
    """Arrays for every city with a CityClimate, or only for ``city_ids``."""
    if city_ids is not None:
        return _load(city_ids)
    now = time.monotonic()
    with _cache_lock:
        if "arrays" in _cache and now - _cache["checked_at"] < recheck_seconds():
            return _cache["arrays"]
    version = _version()
    with _cache_lock:
        if _cache.get("version") == version:
            _cache["checked_at"] = now
            return _cache["arrays"]
    arrays = _load()
    with _cache_lock:
        _cache.clear()
        _cache.update(version=version, arrays=arrays, spaces={}, checked_at=now)
    return arrays


def climate_twin_space(scenario: core.Scenario) -> tuple[ClimateArrays, twins.TwinSpace]:
    """All cities' arrays and their twin space at ``scenario`` (cached with the arrays)."""
    arrays = climate_arrays()
    with _cache_lock:
        spaces = _cache.get("spaces") if _cache.get("arrays") is arrays else None
        if spaces is not None and scenario.key in spaces:
            return arrays, spaces[scenario.key]
    space = twins.twin_space(arrays.temperature, arrays.precipitation, arrays.latitude, scenario)
    with _cache_lock:
        if _cache.get("arrays") is arrays:
            _cache["spaces"][scenario.key] = space
    return arrays, space


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


OVERFETCH_FACTOR, OVERFETCH_EXTRA = 4, 10


@dataclass(frozen=True)
class Twin:
    city: City
    distance: float
    is_good: bool
    reasons: list[str]


def city_climate_twins(
    city: City,
    *,
    scenario: core.Scenario,
    direction: str = twins.FUTURE,
    top: int = 10,
    min_population: int | None = None,
    among_geonames_ids=None,
    visible: QuerySet[City] | None = None,
) -> list[Twin]:
    """Ranked climate twins of ``city`` in one direction; [] when the city has no climate.

    Candidates are restricted to cities of at least ``min_population``, to the GeoNames ids in
    ``among_geonames_ids`` and to the cities in ``visible`` — the viewer's
    (``cities_visible_to(user)``), by default the public's; the ranking is the same as
    ranking the allowed cities alone. Most cities pass the usual filters, so the nearest
    ``OVERFETCH`` candidates are ranked first and filtered with the query that loads their rows
    (one query); only a narrow filter falls back to ranking within the allowed ids (two).
    """
    arrays, space = climate_twin_space(scenario)
    query = arrays.index_of(city.pk)
    if query is None:
        return []

    def allowed():
        queryset = visible if visible is not None else public_cities()
        if min_population:
            queryset = queryset.filter(population__gte=min_population)
        if among_geonames_ids is not None:
            queryset = queryset.filter(geonames_id__in=list(among_geonames_ids))
        return queryset

    kept: list[tuple[int, twins.TwinMatch]] = []
    if among_geonames_ids is None:
        wanted = top * OVERFETCH_FACTOR + OVERFETCH_EXTRA
        matches = twins.find_twins(space, query, direction=direction, top=wanted)
        ids = [int(arrays.city_ids[m.index]) for m in matches]
        by_id = allowed().in_bulk(ids)
        kept = [(cid, m) for cid, m in zip(ids, matches, strict=True) if cid in by_id][:top]
        exhausted = len(matches) < wanted
    if among_geonames_ids is not None or (len(kept) < top and not exhausted):
        mask = arrays.mask_of(allowed().values_list("pk", flat=True))
        matches = twins.find_twins(space, query, direction=direction, top=top, candidates=mask)
        ids = [int(arrays.city_ids[m.index]) for m in matches]
        by_id = City.objects.in_bulk(ids)
        kept = [(cid, m) for cid, m in zip(ids, matches, strict=True) if cid in by_id]
    return [
        Twin(
            city=by_id[cid],
            distance=m.distance,
            is_good=m.is_good,
            reasons=twins.reasons(
                space,
                query,
                m.index,
                query_name=city.name,
                match_name=by_id[cid].name,
                direction=direction,
                translate=gettext,
            ),
        )
        for cid, m in kept
    ]


# --- pages --------------------------------------------------------------------------------

POPULATION_CHOICES = (0, 100_000, 1_000_000)


@dataclass(frozen=True)
class Normals:
    temperature: list[float]
    precipitation: list[float]
    koppen: str
    koppen_meaning: str

    @property
    def annual_mean(self) -> float:
        return round(sum(self.temperature) / 12, 1)

    @property
    def annual_precipitation(self) -> int:
        return round(sum(self.precipitation))

    @property
    def months(self) -> list[tuple[int, float, float]]:
        return [
            (m + 1, t, p)
            for m, (t, p) in enumerate(zip(self.temperature, self.precipitation, strict=True))
        ]


def present_and_projected(climate: CityClimate, latitude: float, scenario: core.Scenario):
    """(present, projected) Normals of one city at ``scenario``."""
    t = np.array(climate.temperature_c, dtype=float)[None, :]
    p = np.array(climate.precipitation_mm, dtype=float)[None, :]
    ft, fp = core.project(t, p, np.array([latitude]), scenario.global_warming_c)
    future_koppen = str(core.koppen_classes(ft, fp, np.array([latitude]))[0])
    present = Normals(
        [round(v, 1) for v in climate.temperature_c],
        [round(v, 1) for v in climate.precipitation_mm],
        climate.koppen,
        core.koppen_meaning(climate.koppen, gettext),
    )
    projected = Normals(
        [round(float(v), 1) for v in ft[0]],
        [round(float(v), 1) for v in fp[0]],
        future_koppen,
        core.koppen_meaning(future_koppen, gettext),
    )
    return present, projected


def city_climate_or_none(city: City) -> CityClimate | None:
    try:
        return city.climate
    except CityClimate.DoesNotExist:
        return None


@dataclass(frozen=True)
class PairComparison:
    features: list[dict]  # label, a_today, a_future, b_today (formatted)
    future_distance: float  # A at the level vs B today
    past_distance: float  # A today vs B at the level
    future_reasons: list[str]
    is_good: bool


def pair_comparison(a: City, b: City, *, scenario: core.Scenario) -> PairComparison | None:
    """How A's projected climate compares with B's today, in the all-city standardisation
    the twin lists use. None when either city has no climate."""
    arrays, space = climate_twin_space(scenario)
    i, j = arrays.index_of(a.pk), arrays.index_of(b.pk)
    if i is None or j is None:
        return None
    future = float(core.distances(space.projected_z[i], space.present_z[j : j + 1])[0])
    past = float(core.distances(space.present_z[i], space.projected_z[j : j + 1])[0])
    rows = []
    for k, name in enumerate(core.FEATURE_NAMES):
        rows.append(
            {
                "label": gettext(core.FEATURE_LABELS[name]),
                "a_today": twins.format_feature(name, space.present[i][k]),
                "a_future": twins.format_feature(name, space.projected[i][k]),
                "b_today": twins.format_feature(name, space.present[j][k]),
            }
        )
    return PairComparison(
        features=rows,
        future_distance=future,
        past_distance=past,
        future_reasons=twins.reasons(
            space,
            i,
            j,
            query_name=a.name,
            match_name=b.name,
            limit=len(core.FEATURE_NAMES),
            translate=gettext,
        ),
        is_good=future <= core.GOOD_TWIN_MAX_DISTANCE,
    )


def dataset_provenance() -> dict:
    """Provenance of the committed dataset (source checksum, period, attribution)."""
    from . import dataset

    return dataset.provenance()
