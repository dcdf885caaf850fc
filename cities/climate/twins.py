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
    projected: np.ndarray  # [N, F]
    present_z: np.ndarray
    projected_z: np.ndarray
    mean: np.ndarray
    std: np.ndarray


@dataclass(frozen=True)
class TwinMatch:
    index: int  # row of the candidate in the space
    distance: float
    is_good: bool


def twin_space(temperature, precipitation, latitude, scenario: core.Scenario) -> TwinSpace:
    """Features of every place today and at ``scenario``, standardised with today's statistics."""
    present = core.bioclim_features(temperature, precipitation, latitude)
    future_t, future_p = core.project(
        temperature, precipitation, latitude, scenario.global_warming_c
    )
    projected = core.bioclim_features(future_t, future_p, latitude)
    present_z, mean, std = core.standardise(present)
    projected_z, _, _ = core.standardise(projected, mean, std)
    return TwinSpace(scenario, present, projected, present_z, projected_z, mean, std)


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
    return [
        TwinMatch(int(i), float(d), bool(d <= core.GOOD_TWIN_MAX_DISTANCE))
        for i, d in zip(indices, dists, strict=True)
    ]


def format_feature(feature: str, value: float) -> str:
    if feature.endswith("_log"):
        return f"{np.expm1(value):.0f} mm"
    if feature == "precipitation_seasonality":
        return f"{value * 100:.0f} %"
    return f"{value:.1f} °C"


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
) -> list[str]:
    """Plain-word reasons from the very numbers the distance uses: summers, winters and annual
    precipitation always, then the feature that differs most (so a weak twin says why)."""
    today = translate(core.gettext_noop("today"))
    future = translate(core.gettext_noop("at +%(level)s °C")) % {"level": space.scenario.key}
    if direction == FUTURE:
        left = (query_name, future, space.projected[query], space.projected_z[query])
        right = (match_name, today, space.present[match], space.present_z[match])
    else:
        left = (query_name, today, space.present[query], space.present_z[query])
        right = (match_name, future, space.projected[match], space.projected_z[match])
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
    template = translate(
        core.gettext_noop(
            "%(label)s: %(left)s %(left_when)s ≈ %(left_value)s, "
            "%(right)s %(right_when)s %(right_value)s"
        )
    )
    out = []
    for index in chosen:
        feature = names[index]
        out.append(
            template
            % {
                "label": translate(core.FEATURE_LABELS[feature]),
                "left": left[0],
                "left_when": left[1],
                "left_value": format_feature(feature, left[2][index]),
                "right": right[0],
                "right_when": right[1],
                "right_value": format_feature(feature, right[2][index]),
            }
        )
    return out
