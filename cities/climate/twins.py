"""Climate twins, pure numpy (no Django): which places' climate today resembles a city's
projected climate, and whose projected climate resembles a city's climate today.

A ``TwinSpace`` holds present and projected bioclimatic features for a set of places, both
standardised with the present-day mean and spread of that set, so distances in either
direction are measured in the same units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import core

FUTURE = "future"  # candidates whose climate today is the query's projected climate
PAST = "past"  # candidates whose projected climate is the query's climate today


@dataclass(frozen=True)
class TwinSpace:
    scenario: core.Scenario
    present: np.ndarray  # [N, F] features, natural units
    projected: np.ndarray  # [N, F] at the CMIP6 multi-model median change
    present_z: np.ndarray
    projected_z: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    # The inputs, kept (not copied) to compute the model spread of a few rows on demand.
    temperature: np.ndarray
    precipitation: np.ndarray
    latitude: np.ndarray
    region: np.ndarray

    def spread(self, rows) -> Spread:
        """Features of ``rows`` with every month at the models' 10th and 90th percentile
        change (natural units and z-scores). Computed for the few rows shown, not stored."""
        rows = np.atleast_1d(np.asarray(rows, dtype=np.int64))
        out = []
        for quantile in ("p10", "p90"):
            t, p = core.project(
                self.temperature[rows],
                self.precipitation[rows],
                self.region[rows],
                self.scenario.global_warming_c,
                quantile=quantile,
            )
            features = core.bioclim_features(t, p, self.latitude[rows])
            out.append((features, core.standardise(features, self.mean, self.std)[0]))
        return Spread(low=out[0][0], high=out[1][0], low_z=out[0][1], high_z=out[1][1])


@dataclass(frozen=True)
class Spread:
    low: np.ndarray  # [k, F] at the 10th percentile change
    high: np.ndarray  # [k, F] at the 90th percentile change
    low_z: np.ndarray
    high_z: np.ndarray


@dataclass(frozen=True)
class TwinMatch:
    index: int  # row of the candidate in the space
    distance: float
    is_good: bool
    # The smallest and largest of the distances with the projection at the models' median,
    # 10th and 90th percentile change (of the query for FUTURE, of the candidate for PAST):
    # how much the pairing depends on which model is right.
    distance_low: float
    distance_high: float


def twin_space(temperature, precipitation, latitude, scenario: core.Scenario, *, region):
    """Features of every place today and at ``scenario`` (the CMIP6 median regional change),
    both standardised with today's statistics. ``region`` holds each row's AR6 region
    (indices or codes)."""
    temperature = np.asarray(temperature, dtype=np.float64)
    precipitation = np.asarray(precipitation, dtype=np.float64)
    latitude = np.asarray(latitude, dtype=np.float64)
    region = core.warming.region_indices(region)
    present = core.bioclim_features(temperature, precipitation, latitude)
    future_t, future_p = core.project(temperature, precipitation, region, scenario.global_warming_c)
    projected = core.bioclim_features(future_t, future_p, latitude)
    present_z, mean, std = core.standardise(present)
    projected_z, _, _ = core.standardise(projected, mean, std)
    return TwinSpace(
        scenario,
        present,
        projected,
        present_z,
        projected_z,
        mean,
        std,
        temperature,
        precipitation,
        latitude,
        region,
    )


def find_twins(
    space: TwinSpace,
    query: int,
    *,
    direction: str = FUTURE,
    top: int = 10,
    candidates: np.ndarray | None = None,
) -> list[TwinMatch]:
    """The ``top`` nearest twins of row ``query``, nearest first, never the query itself.

    ``direction=FUTURE``: query's projected features vs candidates' present ones ("cities whose
    climate today is your future"). ``direction=PAST``: candidates' projected vs query's
    present ("cities whose future is your climate today"). ``candidates`` is an optional
    boolean mask restricting who may be returned.
    """
    if direction == FUTURE:
        query_z, pool = space.projected_z[query], space.present_z
    elif direction == PAST:
        query_z, pool = space.present_z[query], space.projected_z
    else:
        raise ValueError(f"direction must be {FUTURE!r} or {PAST!r}")
    exclude = np.zeros(len(pool), dtype=bool)
    exclude[query] = True
    if candidates is not None:
        exclude |= ~np.asarray(candidates, dtype=bool)
    indices, dists = core.nearest(query_z, pool, top, exclude=exclude)
    if len(indices) == 0:
        return []
    if direction == FUTURE:
        spread = space.spread([query])
        low = core.distances(spread.low_z[0], space.present_z[indices])
        high = core.distances(spread.high_z[0], space.present_z[indices])
    else:
        spread = space.spread(indices)
        low = np.sqrt(np.mean((spread.low_z - space.present_z[query]) ** 2, axis=1))
        high = np.sqrt(np.mean((spread.high_z - space.present_z[query]) ** 2, axis=1))
    return [
        TwinMatch(
            int(i),
            float(d),
            bool(d <= core.GOOD_TWIN_MAX_DISTANCE),
            float(min(lo, d, hi)),
            float(max(lo, d, hi)),
        )
        for i, d, lo, hi in zip(indices, dists, low, high, strict=True)
    ]


def plain_number(value: float, decimals: int) -> str:
    """Python's own formatting; pages pass Django's locale-aware ``number_format`` instead."""
    return f"{value:.{decimals}f}"


def format_feature(feature: str, value: float, number=plain_number) -> str:
    if feature.endswith("_log"):
        return f"{number(float(np.expm1(value)), 0)} mm"
    if feature == "precipitation_seasonality":
        return f"{number(value * 100, 0)} %"
    return f"{number(value, 1)} °C"


def level_text(global_warming_c: float, number=plain_number) -> str:
    """ "2.8", "4" (whole degrees without decimals), in the caller's number format."""
    whole = abs(global_warming_c - round(global_warming_c)) < 1e-9
    return number(global_warming_c, 0 if whole else 1)


def is_temperature(feature: str) -> bool:
    return feature.endswith("_temperature") or feature == "annual_temperature_range"


def reasons(
    space: TwinSpace,
    query: int,
    match: int,
    *,
    query_name: str,
    match_name: str,
    direction: str = FUTURE,
    limit: int = 4,
    translate=core.identity,
    number=plain_number,
    spread: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[str]:
    """Plain-word reasons from the very numbers the distance uses: summers, winters and annual
    precipitation always, then the feature that differs most (so a weak twin says why).
    A projected temperature carries the models' range (10th–90th percentile change); rain
    has none because the projection keeps it unchanged. ``spread`` (the projected row's
    low and high features) saves recomputing it when the caller has it."""
    today = translate(core.gettext_noop("today"))
    level = level_text(space.scenario.global_warming_c, number)
    future = translate(core.gettext_noop("at +%(level)s °C")) % {"level": level}
    with_range = translate(core.gettext_noop("%(value)s (models: %(low)s to %(high)s)"))
    if direction == FUTURE:
        projected_row, left_rows = query, True
        left = (query_name, future, space.projected[query], space.projected_z[query])
        right = (match_name, today, space.present[match], space.present_z[match])
    else:
        projected_row, left_rows = match, False
        left = (query_name, today, space.present[query], space.present_z[query])
        right = (match_name, future, space.projected[match], space.projected_z[match])
    if spread is None:
        of_row = space.spread([projected_row])
        spread = (of_row.low[0], of_row.high[0])
    low, high = spread
    names = core.FEATURE_NAMES
    always = [
        "warmest_quarter_temperature",
        "coldest_quarter_temperature",
        "annual_precipitation_log",
    ]
    gaps = np.abs(left[3] - right[3])
    chosen = [names.index(n) for n in always]
    for index in np.argsort(-gaps, kind="stable"):
        if len(chosen) >= limit:
            break
        if int(index) not in chosen:
            chosen.append(int(index))
    # "≈" marks the projected side.
    if direction == FUTURE:
        template = translate(
            core.gettext_noop(
                "%(label)s: %(left)s %(left_when)s ≈ %(left_value)s, "
                "%(right)s %(right_when)s %(right_value)s"
            )
        )
    else:
        template = translate(
            core.gettext_noop(
                "%(label)s: %(left)s %(left_when)s %(left_value)s, "
                "%(right)s %(right_when)s ≈ %(right_value)s"
            )
        )
    out = []
    for index in chosen:
        feature = names[index]
        values = [format_feature(feature, left[2][index], number)]
        values.append(format_feature(feature, right[2][index], number))
        if is_temperature(feature):
            a, b = sorted((float(low[index]), float(high[index])))
            values[0 if left_rows else 1] = with_range % {
                "value": values[0 if left_rows else 1],
                "low": format_feature(feature, a, number),
                "high": format_feature(feature, b, number),
            }
        out.append(
            template
            % {
                "label": translate(core.FEATURE_LABELS[feature]),
                "left": left[0],
                "left_when": left[1],
                "left_value": values[0],
                "right": right[0],
                "right_when": right[1],
                "right_value": values[1],
            }
        )
    return out
