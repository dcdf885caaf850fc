"""Reads of city climates as arrays for the pure cores (twins, matching)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext

from cities.models import City, CityClimate
from cities.permissions import public_cities

from . import core, regions, twins, warming


@dataclass(frozen=True)
class ClimateArrays:
    """Normals of the cities that have a CityClimate, rows ordered by city id."""

    city_ids: np.ndarray  # [N] int
    temperature: np.ndarray  # [N, 12] °C
    precipitation: np.ndarray  # [N, 12] mm/month
    latitude: np.ndarray  # [N]
    # [N] AR6 region index (warming.load_table().regions), from the coordinates the normals
    # were assigned for: computed, not stored, so hand-added cities and redrawn polygons need
    # no migration (all ~34,000 cities take about 30 ms).
    region: np.ndarray

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
        rows.values_list(
            "city_id",
            "temperature_c",
            "precipitation_mm",
            "city__latitude",
            "latitude",
            "longitude",
        )
    )
    n = len(values)
    ids = np.fromiter((v[0] for v in values), dtype=np.int64, count=n)
    temperature = np.array([v[1] for v in values], dtype=np.float64).reshape(n, 12)
    precipitation = np.array([v[2] for v in values], dtype=np.float64).reshape(n, 12)
    latitude = np.array([v[3] if v[3] is not None else 0.0 for v in values], dtype=np.float64)
    assigned_at = np.array([(v[4], v[5]) for v in values], dtype=np.float64).reshape(n, 2)
    region = regions.region_of(assigned_at[:, 0], assigned_at[:, 1]).index
    return ClimateArrays(ids, temperature, precipitation, latitude, region)


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
    space = twins.twin_space(
        arrays.temperature,
        arrays.precipitation,
        arrays.latitude,
        scenario,
        region=arrays.region,
    )
    with _cache_lock:
        if _cache.get("arrays") is arrays:
            _cache["spaces"][scenario.key] = space
    return arrays, space


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


OVERFETCH_FACTOR, OVERFETCH_EXTRA = 4, 10
# What pages, the command and the API read of a twin city (the rest stays in the database).
TWIN_CITY_FIELDS = ("id", "name", "slug", "country", "geonames_id")


@dataclass(frozen=True)
class Twin:
    city: City
    distance: float
    is_good: bool
    reasons: list[str]
    distance_low: float  # the distance across the models' 10th–90th percentile change
    distance_high: float


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
        by_id = allowed().only(*TWIN_CITY_FIELDS).in_bulk(ids)
        kept = [(cid, m) for cid, m in zip(ids, matches, strict=True) if cid in by_id][:top]
        exhausted = len(matches) < wanted
    if among_geonames_ids is not None or (len(kept) < top and not exhausted):
        mask = arrays.mask_of(allowed().values_list("pk", flat=True))
        matches = twins.find_twins(space, query, direction=direction, top=top, candidates=mask)
        ids = [int(arrays.city_ids[m.index]) for m in matches]
        by_id = City.objects.only(*TWIN_CITY_FIELDS).in_bulk(ids)
        kept = [(cid, m) for cid, m in zip(ids, matches, strict=True) if cid in by_id]
    if not kept:
        return []
    # The models' range of the projected side, computed once for every reason: the query's
    # for FUTURE, each twin's for PAST.
    projected_rows = [query] if direction == twins.FUTURE else [m.index for _cid, m in kept]
    spread = space.spread(projected_rows)
    number = localized_number_format()
    out = []
    for k, (cid, m) in enumerate(kept):
        row = 0 if direction == twins.FUTURE else k
        out.append(
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
                    number=number,
                    spread=(spread.low[row], spread.high[row]),
                ),
                distance_low=m.distance_low,
                distance_high=m.distance_high,
            )
        )
    return out


# --- pages --------------------------------------------------------------------------------

POPULATION_CHOICES = (0, 100_000, 1_000_000)


def localized_number(value: float, decimals: int) -> str:
    """A number in the active language's format ("22.9" in English, "22,9" in German)."""
    return number_format(round(float(value), decimals), decimal_pos=decimals)


def localized_number_format():
    """``localized_number`` for many numbers at once: the active language's decimal separator
    is looked up once (Django's ``number_format`` costs ~40 µs a number; a twin list formats
    some 300). Thousands are not grouped, as in ``number_format`` without
    USE_THOUSAND_SEPARATOR."""
    if getattr(settings, "USE_THOUSAND_SEPARATOR", False):
        return localized_number
    separator = get_format("DECIMAL_SEPARATOR")

    def number(value: float, decimals: int) -> str:
        return f"{float(value):.{decimals}f}".replace(".", separator)

    return number


@dataclass(frozen=True)
class Normals:
    temperature: list[float]
    precipitation: list[float]
    koppen: str
    koppen_meaning: str
    # Projected normals only: each month at the models' 10th and 90th percentile change.
    temperature_low: list[float] | None = None
    temperature_high: list[float] | None = None

    @property
    def annual_mean(self) -> float:
        return round(sum(self.temperature) / 12, 1)

    @property
    def annual_mean_low(self) -> float | None:
        return None if self.temperature_low is None else round(sum(self.temperature_low) / 12, 1)

    @property
    def annual_mean_high(self) -> float | None:
        if self.temperature_high is None:
            return None
        return round(sum(self.temperature_high) / 12, 1)

    @property
    def annual_precipitation(self) -> int:
        return round(sum(self.precipitation))

    @property
    def months(self) -> list[tuple[int, float, float]]:
        return [
            (m + 1, t, p)
            for m, (t, p) in enumerate(zip(self.temperature, self.precipitation, strict=True))
        ]


def climate_region(climate: CityClimate) -> warming.Region:
    """The AR6 region of a city's climate, from the coordinates its normals were assigned for."""
    table = warming.load_table()
    index = int(regions.region_of(climate.latitude, climate.longitude, table).index[0])
    return table.regions[index]


def present_and_projected(climate: CityClimate, latitude: float, scenario: core.Scenario):
    """(present, projected) Normals of one city at ``scenario``; the projected ones carry the
    models' 10th–90th percentile range of each month."""
    t = np.array(climate.temperature_c, dtype=float)[None, :]
    p = np.array(climate.precipitation_mm, dtype=float)[None, :]
    region = np.array([climate_region(climate).index])
    level = scenario.global_warming_c
    ft, fp = core.project(t, p, region, level)
    low, _ = core.project(t, p, region, level, quantile="p10")
    high, _ = core.project(t, p, region, level, quantile="p90")
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
        temperature_low=[round(float(v), 1) for v in np.minimum(low, high)[0]],
        temperature_high=[round(float(v), 1) for v in np.maximum(low, high)[0]],
    )
    return present, projected


def city_climate_or_none(city: City) -> CityClimate | None:
    try:
        return city.climate
    except CityClimate.DoesNotExist:
        return None


@dataclass(frozen=True)
class PairComparison:
    features: list[dict]  # label, a_today, a_future, a_future_range, b_today (formatted)
    future_distance: float  # A at the level vs B today
    past_distance: float  # A today vs B at the level
    future_reasons: list[str]
    is_good: bool
    future_distance_low: float
    future_distance_high: float


def pair_comparison(a: City, b: City, *, scenario: core.Scenario) -> PairComparison | None:
    """How A's projected climate compares with B's today, in the all-city standardisation
    the twin lists use. None when either city has no climate."""
    arrays, space = climate_twin_space(scenario)
    i, j = arrays.index_of(a.pk), arrays.index_of(b.pk)
    if i is None or j is None:
        return None
    future = float(core.distances(space.projected_z[i], space.present_z[j : j + 1])[0])
    past = float(core.distances(space.present_z[i], space.projected_z[j : j + 1])[0])
    spread = space.spread([i])
    ends = [
        float(core.distances(z[0], space.present_z[j : j + 1])[0])
        for z in (spread.low_z, spread.high_z)
    ]
    rows = []
    for k, name in enumerate(core.FEATURE_NAMES):
        low, high = sorted((float(spread.low[0][k]), float(spread.high[0][k])))
        rows.append(
            {
                "label": gettext(core.FEATURE_LABELS[name]),
                "a_today": twins.format_feature(name, space.present[i][k], localized_number),
                "a_future": twins.format_feature(name, space.projected[i][k], localized_number),
                "a_future_range": (
                    twins.format_feature(name, low, localized_number)
                    + " – "
                    + twins.format_feature(name, high, localized_number)
                    if twins.is_temperature(name)
                    else ""
                ),
                "b_today": twins.format_feature(name, space.present[j][k], localized_number),
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
            number=localized_number,
        ),
        is_good=future <= core.GOOD_TWIN_MAX_DISTANCE,
        future_distance_low=min(*ends, future),
        future_distance_high=max(*ends, future),
    )


def dataset_provenance() -> dict:
    """Provenance of the committed dataset (source checksum, period, attribution)."""
    from . import dataset

    return dataset.provenance()


def warming_provenance() -> dict:
    """Provenance of the committed CMIP6 regional warming table (sources, licence,
    attribution, acknowledgement)."""
    return dict(warming.load_table().provenance)


# --- plain data for the API (issue 13) and the command's JSON -----------------------------


def scenario_choices() -> list[dict]:
    """Every warming level and scenario a user may choose, in display order."""
    return [
        {
            "key": s.key,
            "kind": s.kind,
            "global_warming_c": s.global_warming_c,
            "at_least": s.at_least,
            "experiment": s.experiment or None,
            "year": s.year,
            "label": gettext(s.label),
            "default": s.key == core.DEFAULT_WARMING_KEY,
        }
        for s in core.WARMING_LEVELS.values()
    ]


def _scenario_data(scenario: core.Scenario) -> dict:
    return {
        "key": scenario.key,
        "kind": scenario.kind,
        "global_warming_c": scenario.global_warming_c,
        "at_least": scenario.at_least,
        "label": gettext(scenario.label),
    }


def region_data(region: warming.Region) -> dict:
    return {
        "code": region.code,
        "name": regions.region_label(region, gettext),
        "atlas_name": region.name,
        "surface": region.surface.lower(),
        "is_ocean": region.is_ocean,
    }


def city_climate_region(city: City) -> dict | None:
    """The city's AR6 region as plain data; None when the city has no climate."""
    climate = city_climate_or_none(city)
    if climate is None:
        return None
    return region_data(climate_region(climate))


def city_climate_projection(city: City, *, scenario: core.Scenario) -> dict | None:
    """Today's normals, the regional change per month with the model spread, and the
    projected normals and Köppen class at ``scenario``, as plain data (°C, mm/month).
    None when the city has no climate."""
    climate = city_climate_or_none(city)
    if climate is None:
        return None
    present, projected = present_and_projected(climate, city.latitude, scenario)
    region = climate_region(climate)
    level = scenario.global_warming_c
    change = {
        q: warming.monthly_change([region.index], level, quantile=q)[0] for q in warming.QUANTILES
    }
    return {
        "scenario": _scenario_data(scenario),
        "region": region_data(region),
        "koppen_today": present.koppen,
        "koppen_projected": projected.koppen,
        "months": [
            {
                "month": m + 1,
                "temperature_today_c": present.temperature[m],
                "change_c": round(float(change["median"][m]), 2),
                "change_low_c": round(float(min(change["p10"][m], change["p90"][m])), 2),
                "change_high_c": round(float(max(change["p10"][m], change["p90"][m])), 2),
                "temperature_projected_c": projected.temperature[m],
                "temperature_projected_low_c": projected.temperature_low[m],
                "temperature_projected_high_c": projected.temperature_high[m],
                "precipitation_today_mm": present.precipitation[m],
                "precipitation_projected_mm": projected.precipitation[m],
            }
            for m in range(12)
        ],
        "precipitation_change": "none",
        "source": "CMIP6 multi-model median and 10th–90th percentiles, IPCC AR6 WGI Atlas",
    }


def city_climate_twins_data(
    city: City,
    *,
    scenario: core.Scenario,
    direction: str = twins.FUTURE,
    top: int = 10,
    min_population: int | None = None,
    among_geonames_ids=None,
) -> list[dict]:
    """``city_climate_twins`` as plain data: rank, city, distance with its model range,
    whether it is a good twin, and the reasons in the active language."""
    found = city_climate_twins(
        city,
        scenario=scenario,
        direction=direction,
        top=top,
        min_population=min_population,
        among_geonames_ids=among_geonames_ids,
    )
    return [
        {
            "rank": rank,
            "name": twin.city.name,
            "slug": twin.city.slug,
            "country": twin.city.country.code,
            "geonames_id": twin.city.geonames_id,
            "distance": round(twin.distance, 4),
            "distance_low": round(twin.distance_low, 4),
            "distance_high": round(twin.distance_high, 4),
            "good_twin": twin.is_good,
            "reasons": twin.reasons,
        }
        for rank, twin in enumerate(found, start=1)
    ]
