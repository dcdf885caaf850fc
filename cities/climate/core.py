"""The climate maths, pure numpy (no Django): Köppen–Geiger classes, bioclimatic features,
projection to a global warming level, standardisation and the climate-twin distance.

Arrays are shaped ``[N, 12]`` for monthly normals (January..December, °C and mm/month) and
``[N]`` for latitudes. Every function is vectorised over N, so all ~34,000 cities take
milliseconds. Sources and the reasoning behind the factors: docs/climate.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MONTHS = 12


def gettext_noop(message: str) -> str:
    """Marks a user-facing string for translation (found by ``makemessages``) while keeping
    this module free of Django; callers translate at display time."""
    return message


def identity(message: str) -> str:
    return message


# April..September and October..March; Beck et al. (2018) call the warmer of the two "summer".
_AMJJAS = np.array([3, 4, 5, 6, 7, 8])
_ONDJFM = np.array([9, 10, 11, 0, 1, 2])


@dataclass(frozen=True)
class Scenario:
    """A global warming level above pre-industrial (1850–1900) and the words users know."""

    key: str
    global_warming_c: float
    label: str


# Best estimates of global surface warming for 2081–2100 and 2041–2060 from IPCC AR6 WGI
# SPM Table SPM.1. Keys are what users type (``--warming 3``, ``?warming=3``).
WARMING_LEVELS: dict[str, Scenario] = {
    s.key: s
    for s in (
        Scenario(
            "1.5",
            1.5,
            gettext_noop("+1.5 °C — the Paris Agreement limit, likely reached in the early 2030s"),
        ),
        Scenario("2", 2.0, gettext_noop("+2.0 °C ≈ SSP2-4.5 by 2041–2060")),
        Scenario(
            "2.7", 2.7, gettext_noop("+2.7 °C ≈ SSP2-4.5 (intermediate emissions) by 2081–2100")
        ),
        Scenario("3", 3.0, gettext_noop("+3.0 °C — between SSP2-4.5 and SSP3-7.0 by 2081–2100")),
        Scenario("3.6", 3.6, gettext_noop("+3.6 °C ≈ SSP3-7.0 (high emissions) by 2081–2100")),
        Scenario("4", 4.0, gettext_noop("+4.0 °C — within the SSP5-8.5 range by 2081–2100")),
        Scenario("4.4", 4.4, gettext_noop("+4.4 °C ≈ SSP5-8.5 (very high emissions) by 2081–2100")),
    )
}
DEFAULT_WARMING_KEY = "2.7"
# The 2000–2025 normals already include about +1.0 °C of global warming (AR6 WGI SPM A.1.2:
# 1.09 °C for 2011–2020; 2000–2025 centres on about 1.0 °C).
BASELINE_WARMING_C = 1.0


class UnknownWarmingLevel(ValueError):
    """Raised for a warming level that is not one of ``WARMING_LEVELS``; says the valid ones."""

    def __init__(self, value: object):
        self.value = value
        self.valid = list(WARMING_LEVELS)
        super().__init__(
            f"Unknown warming level {value!r}; choose one of: " + ", ".join(self.valid) + " (°C)."
        )


def scenario_for(value: object) -> Scenario:
    """The scenario for ``"3"``, ``"3.0"``, ``"+3"``, ``3`` or ``3.0``; else UnknownWarmingLevel."""
    if value is None or value == "":
        return WARMING_LEVELS[DEFAULT_WARMING_KEY]
    if isinstance(value, Scenario):
        return value
    try:
        number = float(str(value).strip().lstrip("+").replace("°C", "").replace(",", "."))
    except ValueError:
        raise UnknownWarmingLevel(value) from None
    for scenario in WARMING_LEVELS.values():
        if abs(scenario.global_warming_c - number) < 1e-9:
            return scenario
    raise UnknownWarmingLevel(value)


# --- shapes -------------------------------------------------------------------------------


def _as_monthly(values) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2 or array.shape[1] != MONTHS:
        raise ValueError(f"monthly normals must be shaped [N, 12], got {array.shape}")
    return array


def _quarter_sums(monthly: np.ndarray) -> np.ndarray:
    """Sums over the 12 circular three-month windows (Dec–Feb wraps round)."""
    return monthly + np.roll(monthly, -1, axis=1) + np.roll(monthly, -2, axis=1)


def _summer_is_amjjas(temperature: np.ndarray, latitude: np.ndarray | None) -> np.ndarray:
    """Beck et al. (2018): summer is the warmer of April–September and October–March.
    A tie (the equator) falls back to the hemisphere."""
    amjjas = temperature[:, _AMJJAS].mean(axis=1)
    ondjfm = temperature[:, _ONDJFM].mean(axis=1)
    northern = np.ones(len(temperature), dtype=bool) if latitude is None else latitude >= 0
    return np.where(np.isclose(amjjas, ondjfm), northern, amjjas > ondjfm)


# --- Köppen–Geiger ------------------------------------------------------------------------

KOPPEN_MEANINGS: dict[str, str] = {
    "A": gettext_noop("Tropical"),
    "B": gettext_noop("Arid"),
    "C": gettext_noop("Temperate"),
    "D": gettext_noop("Continental (cold winters)"),
    "E": gettext_noop("Polar"),
    "Af": gettext_noop("Tropical rainforest"),
    "Am": gettext_noop("Tropical monsoon"),
    "Aw": gettext_noop("Tropical savanna (dry season)"),
    "BWh": gettext_noop("Hot desert"),
    "BWk": gettext_noop("Cold desert"),
    "BSh": gettext_noop("Hot steppe (semi-arid)"),
    "BSk": gettext_noop("Cold steppe (semi-arid)"),
    "Csa": gettext_noop("Mediterranean, hot summer"),
    "Csb": gettext_noop("Mediterranean, warm summer"),
    "Csc": gettext_noop("Mediterranean, cool summer"),
    "Cwa": gettext_noop("Humid subtropical, dry winter"),
    "Cwb": gettext_noop("Subtropical highland, dry winter"),
    "Cwc": gettext_noop("Subpolar highland, dry winter"),
    "Cfa": gettext_noop("Humid subtropical, no dry season"),
    "Cfb": gettext_noop("Oceanic: mild, no dry season, warm summer"),
    "Cfc": gettext_noop("Subpolar oceanic, cool summer"),
    "Dsa": gettext_noop("Continental, dry hot summer"),
    "Dsb": gettext_noop("Continental, dry warm summer"),
    "Dsc": gettext_noop("Subarctic, dry summer"),
    "Dsd": gettext_noop("Subarctic, dry summer, very cold winter"),
    "Dwa": gettext_noop("Humid continental, dry winter, hot summer"),
    "Dwb": gettext_noop("Humid continental, dry winter, warm summer"),
    "Dwc": gettext_noop("Subarctic, dry winter"),
    "Dwd": gettext_noop("Subarctic, dry and very cold winter"),
    "Dfa": gettext_noop("Humid continental, hot summer"),
    "Dfb": gettext_noop("Humid continental, warm summer"),
    "Dfc": gettext_noop("Subarctic, cool summer"),
    "Dfd": gettext_noop("Subarctic, very cold winter"),
    "ET": gettext_noop("Tundra"),
    "EF": gettext_noop("Ice cap"),
}
# Every class of Beck et al. (2018), in their order (for filters and legends).
KOPPEN_CLASS_CODES: tuple[str, ...] = (
    "Af",
    "Am",
    "Aw",
    "BWh",
    "BWk",
    "BSh",
    "BSk",
    *(f"C{s}{t}" for s in "swf" for t in "abc"),
    *(f"D{s}{t}" for s in "swf" for t in "abcd"),
    "ET",
    "EF",
)
_SECOND = {
    "s": gettext_noop("dry summer"),
    "w": gettext_noop("dry winter"),
    "f": gettext_noop("no dry season"),
}
_THIRD = {
    "a": gettext_noop("hot summer"),
    "b": gettext_noop("warm summer"),
    "c": gettext_noop("cold summer"),
    "d": gettext_noop("very cold winter"),
}


def koppen_meaning(code: str, translate=identity) -> str:
    """Plain words for a Köppen–Geiger class, e.g. "Cfb" → "Oceanic: mild, no dry season, warm
    summer"; ``translate`` (e.g. Django's gettext) is applied to each part. Letters outside the
    table are composed from their parts."""
    if code in KOPPEN_MEANINGS and len(code) > 1:
        return translate(KOPPEN_MEANINGS[code])
    if len(code) == 3 and code[0] in "CD" and code[1] in _SECOND and code[2] in _THIRD:
        parts = (KOPPEN_MEANINGS[code[0]], _SECOND[code[1]], _THIRD[code[2]])
        return ", ".join(translate(part) for part in parts)
    return translate(KOPPEN_MEANINGS.get(code, code))


def koppen_classes(temperature, precipitation, latitude=None) -> np.ndarray:
    """Köppen–Geiger class of each row, following the definitions of Beck et al. (2018),
    *Present and future Köppen-Geiger climate classification maps at 1-km resolution*,
    Scientific Data 5:180214, Table 2.

    Order of precedence: E (hottest month ≤ 10 °C), then B (arid threshold), then A, C, D.
    When both the dry-summer (s) and dry-winter (w) tests hold, the drier half-year wins.
    Returns an array of strings such as ``"Cfb"``.
    """
    t = _as_monthly(temperature)
    p = _as_monthly(precipitation)
    n = len(t)
    lat = None if latitude is None else np.broadcast_to(np.asarray(latitude, float), (n,))
    mat = t.mean(axis=1)
    map_ = p.sum(axis=1)
    t_hot = t.max(axis=1)
    t_cold = t.min(axis=1)
    t_mon10 = (t > 10).sum(axis=1)
    p_dry = p.min(axis=1)

    summer_amjjas = _summer_is_amjjas(t, lat)
    summer_months = np.where(summer_amjjas[:, None], _AMJJAS, _ONDJFM)
    winter_months = np.where(summer_amjjas[:, None], _ONDJFM, _AMJJAS)
    p_summer = np.take_along_axis(p, summer_months, axis=1)
    p_winter = np.take_along_axis(p, winter_months, axis=1)
    ps_dry, ps_wet = p_summer.min(axis=1), p_summer.max(axis=1)
    pw_dry, pw_wet = p_winter.min(axis=1), p_winter.max(axis=1)

    with np.errstate(invalid="ignore", divide="ignore"):
        winter_share = np.where(map_ > 0, p_winter.sum(axis=1) / map_, 0.0)
    summer_share = 1.0 - winter_share
    p_threshold = np.where(
        winter_share > 0.7, 2 * mat, np.where(summer_share > 0.7, 2 * mat + 28, 2 * mat + 14)
    )

    out = np.empty(n, dtype="<U3")
    # E
    is_e = t_hot <= 10
    out[is_e] = np.where(t_hot[is_e] > 0, "ET", "EF")
    # B
    is_b = ~is_e & (map_ < 10 * p_threshold)
    arid = np.where(map_ < 5 * p_threshold, "BW", "BS")
    heat = np.where(mat >= 18, "h", "k")
    out[is_b] = np.char.add(arid[is_b], heat[is_b])
    rest = ~is_e & ~is_b
    # A
    is_a = rest & (t_cold >= 18)
    af = p_dry >= 60
    am = ~af & (p_dry >= 100 - map_ / 25)
    # Beck et al. (2018) have no "As": every tropical climate with a dry season is Aw.
    a_class = np.where(af, "Af", np.where(am, "Am", "Aw"))
    out[is_a] = a_class[is_a]
    # C and D share the precipitation letter and (mostly) the summer letter.
    is_cd = rest & ~is_a
    dry_summer = (ps_dry < 40) & (ps_dry < pw_wet / 3)
    dry_winter = pw_dry < ps_wet / 10
    with np.errstate(invalid="ignore", divide="ignore"):
        summer_ratio = np.where(pw_wet > 0, ps_dry / pw_wet, np.inf)
        winter_ratio = np.where(ps_wet > 0, pw_dry / ps_wet, np.inf)
    second = np.where(
        dry_summer & dry_winter,
        np.where(summer_ratio * 3 <= winter_ratio * 10, "s", "w"),
        np.where(dry_summer, "s", np.where(dry_winter, "w", "f")),
    )
    is_c = is_cd & (t_cold > 0)
    third = np.where(
        t_hot >= 22,
        "a",
        np.where(t_mon10 >= 4, "b", np.where(~is_c & (t_cold < -38), "d", "c")),
    )
    first = np.where(is_c, "C", "D")
    cd = np.char.add(np.char.add(first, second), third)
    out[is_cd] = cd[is_cd]
    return out


# --- bioclimatic features -----------------------------------------------------------------

FEATURE_NAMES: tuple[str, ...] = (
    "annual_mean_temperature",
    "warmest_quarter_temperature",
    "coldest_quarter_temperature",
    "annual_temperature_range",
    "annual_precipitation_log",
    "wettest_quarter_precipitation_log",
    "driest_quarter_precipitation_log",
    "warmest_quarter_precipitation_log",
    "precipitation_seasonality",
)
FEATURE_LABELS: dict[str, str] = {
    "annual_mean_temperature": gettext_noop("Annual mean"),
    "warmest_quarter_temperature": gettext_noop("Summers"),
    "coldest_quarter_temperature": gettext_noop("Winters"),
    "annual_temperature_range": gettext_noop("Annual range"),
    "annual_precipitation_log": gettext_noop("Annual precipitation"),
    "wettest_quarter_precipitation_log": gettext_noop("Wettest quarter"),
    "driest_quarter_precipitation_log": gettext_noop("Driest quarter"),
    "warmest_quarter_precipitation_log": gettext_noop("Summer rain"),
    "precipitation_seasonality": gettext_noop("Rain seasonality"),
}


def bioclim_features(temperature, precipitation, latitude=None) -> np.ndarray:
    """Bioclimatic variables (after WorldClim's BIO1/4/10/11/12/15/16/17/18), shaped [N, F]
    in the order of FEATURE_NAMES.

    Hemisphere-independent: quarters are the 12 circular three-month windows, so the same
    climate shifted by six months gives the same features. Precipitation amounts enter as
    ``log1p(mm)`` so that 50 → 100 mm counts like 500 → 1000 mm. Seasonality is the
    coefficient of variation of monthly precipitation (0 = even all year).
    ``latitude`` is accepted for interface symmetry and not used.
    """
    t = _as_monthly(temperature)
    p = np.clip(_as_monthly(precipitation), 0, None)
    t_quarters = _quarter_sums(t) / 3
    p_quarters = _quarter_sums(p)
    warmest = np.argmax(t_quarters, axis=1)
    annual = p.sum(axis=1)
    mean_month = annual / 12
    with np.errstate(invalid="ignore", divide="ignore"):
        seasonality = np.where(mean_month > 0, p.std(axis=1) / mean_month, 0.0)
    return np.column_stack(
        [
            t.mean(axis=1),
            t_quarters.max(axis=1),
            t_quarters.min(axis=1),
            t.max(axis=1) - t.min(axis=1),
            np.log1p(annual),
            np.log1p(p_quarters.max(axis=1)),
            np.log1p(p_quarters.min(axis=1)),
            np.log1p(np.take_along_axis(p_quarters, warmest[:, None], axis=1)[:, 0]),
            seasonality,
        ]
    )


def standardise(features, mean=None, std=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Z-scores per column: ``(features − mean) / std``. Computes mean and std over the rows
    when not given (so projected features can be scaled with the present-day statistics).
    A constant column gets std 1 (its z-scores are 0), never a division by zero."""
    x = np.asarray(features, dtype=np.float64)
    if mean is None:
        mean = x.mean(axis=0)
    if std is None:
        std = x.std(axis=0)
        std = np.where(std > 0, std, 1.0)
    return (x - mean) / std, np.asarray(mean), np.asarray(std)


# --- projection ---------------------------------------------------------------------------


def _ramp(x: np.ndarray, x0: float, x1: float) -> np.ndarray:
    """0 below x0, 1 above x1, linear between."""
    return np.clip((x - x0) / (x1 - x0), 0.0, 1.0)


# Land warming per degree of global warming by absolute latitude (annual mean). Land warms
# 1.4–1.7× the global mean (AR6 WGI SPM A.1.2, B.2.1); the tropics least (≈1.1–1.2×), the
# Arctic about twice the global rate or more (SPM B.2.2, Atlas). Interpolated linearly.
_LAT_NODES = np.array([0.0, 15.0, 30.0, 45.0, 60.0, 75.0, 90.0])
_LAT_FACTORS = np.array([1.1, 1.15, 1.4, 1.5, 1.8, 2.3, 2.5])
SEASONAL_HIGH_LATITUDE = 0.3  # winter warms (1 + 0.3)×, summer (1 − 0.3)× beyond 65°
SEASONAL_MID_LATITUDE_SUMMER = 0.2  # summers warm more than winters at 30°–50°
PRECIPITATION_HIGH_LATITUDE_PER_C = 0.04  # +4 %/°C beyond 60° (AR6 WGI SPM B.3)
PRECIPITATION_DRY_SUMMER_PER_C = 0.06  # −6 %/°C in dry-summer (Mediterranean-type) summers


def warming_factors(temperature, latitude) -> np.ndarray:
    """Local warming per °C of global warming, shaped [N, 12].

    Base factor by latitude (table above); a seasonal cycle on top, phased on each city's own
    warmest month (so it is hemisphere-independent): at high latitudes winters warm most
    (Arctic amplification is strongest in the cold season), at mid-latitudes (30°–50°)
    summers warm more than winters (drying soils; AR6 WGI Ch. 4 and Atlas for Europe and the
    Mediterranean).
    """
    t = _as_monthly(temperature)
    lat = np.abs(np.broadcast_to(np.asarray(latitude, float), (len(t),)))
    base = np.interp(lat, _LAT_NODES, _LAT_FACTORS)
    warmest = np.argmax(_quarter_sums(t), axis=1) + 1  # centre of the warmest quarter
    months = np.arange(MONTHS)
    phase = np.cos(2 * np.pi * (months[None, :] - warmest[:, None]) / MONTHS)  # +1 summer
    high = _ramp(lat, 45.0, 65.0)
    mid = _ramp(lat, 25.0, 32.0) * (1 - _ramp(lat, 50.0, 58.0))
    seasonal = (
        1
        - SEASONAL_HIGH_LATITUDE * high[:, None] * phase
        + SEASONAL_MID_LATITUDE_SUMMER * mid[:, None] * phase
    )
    return base[:, None] * seasonal


def project(temperature, precipitation, latitude, global_warming_c: float):
    """Normals at a global warming level (°C above 1850–1900), from the 2000–2025 normals.

    Temperature: ``T + (level − 1.0) × warming_factors``. Precipitation (multiplicative,
    never negative): beyond 60° +4 % per °C of additional global warming; in the summer
    months of dry-summer climates between 30° and 45° −6 % per °C (Mediterranean drying);
    unchanged elsewhere — the sign of change is uncertain there (AR6 WGI SPM B.3, Atlas).
    Levels at or below the baseline return the present normals unchanged.
    Monotonic: a higher level never gives a cooler month.
    """
    t = _as_monthly(temperature)
    p = np.clip(_as_monthly(precipitation), 0, None)
    lat = np.broadcast_to(np.asarray(latitude, float), (len(t),))
    delta = max(float(global_warming_c) - BASELINE_WARMING_C, 0.0)
    projected_t = t + delta * warming_factors(t, lat)

    abs_lat = np.abs(lat)
    months = np.arange(MONTHS)
    warmest = np.argmax(_quarter_sums(t), axis=1) + 1
    summer = np.clip(np.cos(2 * np.pi * (months[None, :] - warmest[:, None]) / MONTHS), 0, 1)
    # Dry summer: the warmest quarter gets less than a sixth of the year's rain.
    quarter = np.take_along_axis(_quarter_sums(p), (warmest - 1)[:, None], axis=1)[:, 0]
    annual = p.sum(axis=1)
    dry_summer = np.where(annual > 0, quarter < annual / 6, False)
    mediterranean = dry_summer * _ramp(abs_lat, 28.0, 32.0) * (1 - _ramp(abs_lat, 44.0, 48.0))
    change = (
        PRECIPITATION_HIGH_LATITUDE_PER_C * _ramp(abs_lat, 55.0, 65.0)[:, None]
        - PRECIPITATION_DRY_SUMMER_PER_C * mediterranean[:, None] * summer
    )
    projected_p = p * np.clip(1 + delta * change, 0.2, None)
    return projected_t, projected_p


# --- twins --------------------------------------------------------------------------------

# Root-mean-square z-score difference over the features, calibrated on the ~34,000 GeoNames
# cities (docs/climate.md#calibration). 0.25 is every variable off by a quarter of its spread
# across cities — e.g. summers 1.2 °C, winters 2.6 °C apart and annual precipitation ×1.2.
# Today 99 % of cities have a neighbour closer than 0.2; at +2.7 °C 99 % still find a present-
# day twin within 0.25, at +4.4 °C only 64 % do (novel climates): beyond 0.25 the page says
# "no good twin today".
GOOD_TWIN_MAX_DISTANCE: float = 0.25


def distances(query_z: np.ndarray, candidates_z: np.ndarray) -> np.ndarray:
    """RMS distance between one standardised feature row and each candidate row, [N]."""
    diff = np.asarray(candidates_z) - np.asarray(query_z)[None, :]
    return np.sqrt(np.mean(diff * diff, axis=1))


def nearest(query_z: np.ndarray, candidates_z: np.ndarray, top: int, exclude=None):
    """Indices and distances of the ``top`` nearest candidates, nearest first, ties by index;
    ``exclude`` is a boolean mask of candidates never returned."""
    d = distances(query_z, candidates_z)
    if exclude is not None:
        d = np.where(exclude, np.inf, d)
    top = min(top, int(np.isfinite(d).sum()))
    if top <= 0:
        return np.array([], dtype=int), np.array([])
    part = np.argpartition(d, top - 1)[:top] if top < len(d) else np.arange(len(d))
    order = np.lexsort((part, d[part]))
    chosen = part[order]
    return chosen, d[chosen]
