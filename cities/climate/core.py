"""The climate maths, pure numpy (no Django): Köppen–Geiger classes, bioclimatic features,
projection to a global warming level (regional CMIP6 change, ``warming.py``),
standardisation and the climate-twin distance.

Arrays are shaped ``[N, 12]`` for monthly normals (January..December, °C and mm/month) and
``[N]`` for latitudes. Every function is vectorised over N, so all ~34,000 cities take
milliseconds. Sources and reasoning: docs/climate.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import warming

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
    """A global warming level above pre-industrial (1850–1900) and the words users know.

    ``kind`` is "level" for a bare warming level and "scenario" for an emissions scenario
    around a year, whose level comes from the IPCC Atlas warming-levels table
    (``cities/data/derive_warming.py``, docs/climate.md#scenarios). The label starts with the
    level ("+2.8 °C ≈ …"): the matching reasons quote the part before "≈" or "—".
    """

    key: str
    global_warming_c: float
    label: str
    kind: str = "level"
    experiment: str = ""  # "ssp245" or "ssp585" for scenarios
    year: int | None = None  # central year of the 20-year window for scenarios
    at_least: bool = False  # the median model passes this level (the table's top)

    @property
    def is_scenario(self) -> bool:
        return self.kind == "scenario"


# Keys are what users type (``--warming 2.5``, ``?warming=ssp245-2085``). Scenario levels are
# the median CMIP6 model's warming in the 20-year window around the year, from the Atlas
# warming-levels table (cities/data/cmip6_regional_warming.json, ``scenarios``; a test checks
# these numbers against the file). SSP5-8.5 around 2085 is past +4 °C for 59 % of the models,
# beyond the table's highest level: it is shown at +4 °C and labelled "or more".
WARMING_LEVELS: dict[str, Scenario] = {
    s.key: s
    for s in (
        Scenario(
            "ssp245-2050",
            2.2,
            gettext_noop("+2.2 °C ≈ SSP2-4.5 (intermediate emissions) around 2050"),
            "scenario",
            "ssp245",
            2050,
        ),
        Scenario(
            "ssp245-2085",
            2.8,
            gettext_noop("+2.8 °C ≈ SSP2-4.5 (intermediate emissions) around 2085"),
            "scenario",
            "ssp245",
            2085,
        ),
        Scenario(
            "ssp585-2050",
            2.5,
            gettext_noop("+2.5 °C ≈ SSP5-8.5 (very high emissions) around 2050"),
            "scenario",
            "ssp585",
            2050,
        ),
        Scenario(
            "ssp585-2085",
            4.0,
            gettext_noop("+4 °C or more ≈ SSP5-8.5 (very high emissions) around 2085"),
            "scenario",
            "ssp585",
            2085,
            at_least=True,
        ),
        Scenario(
            "1.5",
            1.5,
            gettext_noop("+1.5 °C — the Paris Agreement limit, likely reached in the early 2030s"),
        ),
        Scenario("2", 2.0, gettext_noop("+2 °C — the Paris Agreement's upper limit")),
        Scenario("2.5", 2.5, gettext_noop("+2.5 °C global warming")),
        Scenario("3", 3.0, gettext_noop("+3 °C global warming")),
        Scenario("3.5", 3.5, gettext_noop("+3.5 °C global warming")),
        Scenario("4", 4.0, gettext_noop("+4 °C global warming")),
    )
}
SCENARIOS = WARMING_LEVELS  # the same choices under the name the pages use
DEFAULT_WARMING_KEY = "ssp245-2085"


class UnknownWarmingLevel(ValueError):
    """Raised for a value that is neither a warming level nor a scenario; says the valid ones."""

    def __init__(self, value: object):
        self.value = value
        self.valid = list(WARMING_LEVELS)
        super().__init__(
            f"Unknown warming level or scenario {value!r}; choose one of: "
            + ", ".join(self.valid)
            + " (levels in °C above 1850–1900)."
        )


def scenario_for(value: object) -> Scenario:
    """The scenario for "ssp245-2085" (any case), "3", "3.0", "+3", "3 °C", 3 or 3.0;
    the default for None or ""; else UnknownWarmingLevel."""
    if value is None or value == "":
        return WARMING_LEVELS[DEFAULT_WARMING_KEY]
    if isinstance(value, Scenario):
        return value
    text = str(value).strip()
    if len(text) > 40:
        raise UnknownWarmingLevel(text[:40] + "…")
    if text.lower() in WARMING_LEVELS:
        return WARMING_LEVELS[text.lower()]
    try:
        number = float(text.lstrip("+").replace("°C", "").replace(",", ".").strip())
    except ValueError:
        raise UnknownWarmingLevel(value) from None
    for scenario in WARMING_LEVELS.values():
        if scenario.kind == "level" and abs(scenario.global_warming_c - number) < 1e-9:
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


def project(temperature, precipitation, region, global_warming_c: float, *, quantile="median"):
    """Normals at a global warming level (°C above 1850–1900), from the 2000–2025 normals.

    Temperature: ``T + change``, the CMIP6 multi-model change of the row's AR6 region in that
    calendar month (``quantile`` "median", "p10" or "p90" of the models; IPCC AR6 WGI Atlas,
    cities/climate/warming.py). Precipitation: unchanged — the Atlas files carry no regional
    precipitation change and its sign is uncertain in most regions, so we do not invent one
    (docs/climate.md#what-the-projection-leaves-out).

    ``region`` holds AR6 region indices or codes per row. Higher levels never give a cooler
    month at the median (tested); a level outside 1.5 … 4 °C raises
    ``warming.LevelOutOfRange``.
    """
    t = _as_monthly(temperature)
    p = np.clip(_as_monthly(precipitation), 0, None)
    regions = warming.region_indices(region)
    if len(regions) != len(t):
        raise ValueError(f"{len(regions)} regions for {len(t)} rows of normals")
    change = warming.monthly_change(regions, global_warming_c, quantile=quantile)
    return apply_change(t, p, change)


def apply_change(temperature, precipitation, temperature_change):
    """``(T + change, P)``: the projection itself, for any [N, 12] change. Precipitation is
    returned unchanged (never negative)."""
    t = _as_monthly(temperature)
    p = np.clip(_as_monthly(precipitation), 0, None)
    change = _as_monthly(temperature_change)
    return t + change, p.copy()


# --- twins --------------------------------------------------------------------------------

# Root-mean-square z-score difference over the features, calibrated on the ~34,000 GeoNames
# cities (docs/climate.md#calibration). 0.25 is every variable off by a quarter of its spread
# across cities — e.g. summers 1.2 °C, winters 2.6 °C apart and annual precipitation ×1.2.
# Today 98 % of towns have a neighbour closer than 0.2; with the regional CMIP6 projection
# 99 % still find a present-day twin within 0.25 for SSP2-4.5 around 2085, 89 % at +4 °C
# (novel climates): beyond 0.25 the page says "no good twin today".
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
