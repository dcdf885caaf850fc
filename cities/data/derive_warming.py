"""Derive ``cities/data/cmip6_regional_warming.json`` (run offline; stdlib + numpy).

What it computes, from the IPCC AR6 WGI Atlas files in ``climate-regions/`` (see
``cities/data/README.md`` for the whole story):

1. The AR6 reference regions (Iturbide et al. 2020) as compact polygons; the halves of the four
   regions split at the antimeridian (``RAR*``, ``NPO*``, ``EPO*``, ``SPO*``) join their region.
2. Per CMIP6 model, the monthly mean near-surface temperature of every region (land and sea) in
   three periods: 1850–1900 (pre-industrial), 2000–2025 (the period of our ERA5 normals) and the
   20-year window ``[n − 9, n + 10]`` in which the model first reaches each global warming level
   (1.5, 2, 3, 4 °C), ``n`` being the central year the Atlas table gives. Historical runs cover
   1850–2014; 2015–2025 and the windows come from the same scenario run (SSP2-4.5 or SSP5-8.5).
   A model that reaches a level in both scenarios counts once, with the mean of the two.
3. Per region, calendar month and level: the multi-model median and 10th/90th percentiles of
   ``window − 2000–2025``, i.e. the change to add to an ERA5 2000–2025 normal to get the climate
   at the level (``window − 1850–1900`` minus the model's own warming up to 2000–2025). The half
   degrees 2.5 and 3.5 are the mean of their neighbours (median, p10 and p90 alike).
4. The scenario table: the warming level of SSP2-4.5 and SSP5-8.5 around 2050 and 2085, from the
   Atlas warming-levels table alone (see ``scenario_level``).

Checks printed (and stored under ``checks``): each file against ``SHA256SUMS.uncompressed``;
the crossing years the Atlas gives against the ones our world series give; the world row
against the levels; the interpolated half degrees against a direct computation; and the
comparison with the derived cross-check table shipped next to the raw files.

Usage::

    python cities/data/derive_warming.py /work/shared/data/climate-regions
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "cmip6_regional_warming.json"
ATLAS_LEVELS = (1.5, 2.0, 3.0, 4.0)
LEVELS = (1.5, 2.0, 2.5, 3.0, 3.5, 4.0)
SCENARIOS = ("ssp245", "ssp585")
PREINDUSTRIAL = (1850, 1900)
ERA5_PERIOD = (2000, 2025)
MODERN = (1995, 2014)  # AR6's "recent past"; only to compare with the cross-check table
BASELINES = {"era5": ERA5_PERIOD, "preindustrial": PREINDUSTRIAL, "modern": MODERN}
FIRST_YEAR, LAST_YEAR = 1850, 2100
# Scenario names users choose, the experiment and the central year of their 20-year window.
SCENARIO_CHOICES = {
    "ssp245-2050": ("ssp245", 2050),
    "ssp245-2085": ("ssp245", 2085),
    "ssp585-2050": ("ssp585", 2050),
    "ssp585-2085": ("ssp585", 2085),
}
DECIMALS = 2


# --- reading ------------------------------------------------------------------------------


def read_regions(path: Path) -> list[dict]:
    """The 58 regions in file order; ``*`` rows (the antimeridian halves) join their region."""
    regions: dict[str, dict] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for row in rows[1:]:
        continent, surface, name, code = (cell.strip() for cell in row[:4])
        ring = []
        for cell in row[4:]:
            cell = cell.strip()
            if not cell:
                continue
            lon, lat = (float(v) for v in cell.split("|"))
            ring.append([lon, lat])
        base = code.rstrip("*")
        region = regions.setdefault(
            base,
            {
                "code": base,
                "name": name,
                "continent": continent,
                "surface": surface,
                "polygons": [],
            },
        )
        region["polygons"].append(ring)
    return list(regions.values())


def read_warming_levels(path: Path) -> dict[str, dict[tuple[float, str], int | None]]:
    """``{model_run: {(level, scenario): central year | None}}``; NA (not reached by 2100) is
    None and scenarios the model did not run (9999) are left out."""
    table: dict[str, dict[tuple[float, str], int | None]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        for row in reader:
            entry = {}
            for column, value in zip(header[1:], row[1:], strict=True):
                level, scenario = column.split("_")
                if value == "9999":
                    continue
                entry[(float(level), scenario)] = None if value == "NA" else int(value)
            table[row[0]] = entry
    return table


def read_checksums(path: Path) -> dict[str, str]:
    sums = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split()
            sums[name] = digest
    return sums


def read_tas(path: Path, expected_sha256: str) -> tuple[list[str], dict[int, np.ndarray]]:
    """Region columns and ``{year: [12, columns]}`` of one Atlas CSV; checks the uncompressed
    file's SHA-256 and that every year present has its twelve months, in order. (Fifteen
    historical files skip 1901–1949 and two scenario runs end in 2099; neither matters here.)
    """
    raw = gzip.decompress(path.read_bytes())
    if hashlib.sha256(raw).hexdigest() != expected_sha256:
        sys.exit(f"{path.name}: SHA-256 differs from SHA256SUMS.uncompressed")
    lines = [line for line in io.StringIO(raw.decode("utf-8")) if not line.startswith("#")]
    reader = csv.reader(lines)
    header = next(reader)
    if header[0] != "date" or header[-1] != "world":
        sys.exit(f"{path.name}: unexpected header {header[:2]}…{header[-1:]}")
    rows: dict[int, list[list[float]]] = {}
    for row in reader:
        year, month = (int(v) for v in row[0].split("-"))
        months = rows.setdefault(year, [])
        if month != len(months) + 1:
            sys.exit(f"{path.name}: {row[0]} is out of order")
        months.append([float(v) for v in row[1:]])
    years = {}
    for year, months in rows.items():
        if len(months) != 12:
            sys.exit(f"{path.name}: {year} has {len(months)} months")
        values = np.array(months, dtype=np.float64)
        if not np.isfinite(values).all():
            sys.exit(f"{path.name}: missing values in {year}")
        years[year] = values
    return header[1:], years


# --- maths --------------------------------------------------------------------------------


def full_series(years: dict[int, np.ndarray]) -> np.ndarray:
    """``[1850..2100, 12, columns]`` with NaN for the years a file lacks."""
    shape = next(iter(years.values())).shape
    out = np.full((LAST_YEAR - FIRST_YEAR + 1, *shape), np.nan)
    for year, values in years.items():
        out[year - FIRST_YEAR] = values
    return out


def window_mean(series: np.ndarray, first_year: int, start: int, end: int) -> np.ndarray:
    """Mean over the years ``start..end`` inclusive of a ``[years, 12, regions]`` series;
    every year must be present."""
    a, b = start - first_year, end - first_year + 1
    part = series[a:b]
    if a < 0 or b > len(series) or not np.isfinite(part).all():
        raise ValueError(f"years {start}–{end} are not all in the series")
    return part.mean(axis=0)


def crossing_year(world_annual: np.ndarray, first_year: int, level: float) -> int | None:
    """Central year ``n`` of the first 20-year window ``[n − 9, n + 10]`` whose mean warming
    (world, annual, over 1850–1900) reaches ``level``: the Atlas rule."""
    for n in range(first_year + 9, first_year + len(world_annual) - 10):
        window = world_annual[n - 9 - first_year : n + 11 - first_year]
        if np.isfinite(window).all() and window.mean() >= level:
            return n
    return None


def scenario_level(years_by_level: dict[float, list[int | None]], year: int) -> dict:
    """Global warming level of the median model around ``year``, from the Atlas table alone.

    For each level L the table says, per model, when it is first reached (central year), or
    that it is not reached by 2100. ``share(L)`` = the share of models that have reached L by
    ``year``; it falls as L rises. The median model's warming is where the share crosses 50 %,
    interpolated linearly between the two levels around it. Beyond the table (the median model
    is past 4 °C, or not yet at 1.5 °C) the result is the edge level and ``bounded`` says so.
    """
    levels = sorted(years_by_level)
    shares = []
    for level in levels:
        runs = years_by_level[level]
        reached = sum(1 for y in runs if y is not None and y <= year)
        shares.append(reached / len(runs))
    shares_by_level = zip(levels, shares, strict=True)
    result = {"shares": {str(level): round(share, 3) for level, share in shares_by_level}}
    if shares[-1] >= 0.5:
        result.update(level=levels[-1], bounded="above")
        return result
    if shares[0] < 0.5:
        result.update(level=levels[0], bounded="below")
        return result
    for (l0, s0), (l1, s1) in zip(
        zip(levels, shares, strict=True), zip(levels[1:], shares[1:], strict=True), strict=False
    ):
        if s0 >= 0.5 > s1:
            result.update(level=l0 + (l1 - l0) * (s0 - 0.5) / (s0 - s1), bounded=None)
            return result
    raise AssertionError("shares are not monotonic")


def percentiles(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median, 10th and 90th percentile over the first axis (numpy's linear interpolation,
    R's type 7)."""
    return (
        np.median(samples, axis=0),
        np.percentile(samples, 10, axis=0),
        np.percentile(samples, 90, axis=0),
    )


# --- derivation ---------------------------------------------------------------------------


def load_models(source: Path) -> tuple[list[str], dict[str, dict[str, np.ndarray]]]:
    """``(columns, {model_run: {"historical"|scenario: [years, 12, columns]}})``, every file
    checked against its checksum; historical 1850–2014, scenarios 2015–2100."""
    folder = source / "ipcc-atlas" / "CMIP6_tas_landsea"
    sums = read_checksums(folder / "SHA256SUMS.uncompressed")
    columns = None
    models: dict[str, dict[str, np.ndarray]] = {}
    for path in sorted(folder.glob("CMIP6_*.csv.gz")):
        stem = path.name.removesuffix(".gz")
        _prefix, rest = stem.removesuffix(".csv").split("_", 1)
        model, experiment, run = rest.rsplit("_", 2)
        header, years = read_tas(path, sums[stem])
        if columns is None:
            columns = header
        elif header != columns:
            sys.exit(f"{path.name}: region columns differ from the other files")
        span = (1850, 2014) if experiment == "historical" else (2015, 2100)
        if not set(years) <= set(range(span[0], span[1] + 1)):
            sys.exit(f"{path.name}: years outside {span}")
        models.setdefault(f"{model}_{run}", {})[experiment] = years
    if len(sums) != sum(len(m) for m in models.values()):
        sys.exit("SHA256SUMS.uncompressed lists files that are missing")
    return columns, models


def derive(source: Path) -> dict:
    started = time.perf_counter()
    regions = read_regions(
        source / "ipcc-atlas/reference-regions/IPCC-WGI-reference-regions-v4_coordinates.csv"
    )
    codes = [r["code"] for r in regions]
    levels_table = read_warming_levels(
        source / "ipcc-atlas/warming-levels/CMIP6_Atlas_WarmingLevels.csv"
    )
    columns, models = load_models(source)
    if columns[:-1] != codes:
        sys.exit("the region columns of the temperature files differ from the polygons")
    if set(models) != set(levels_table):
        sys.exit(f"models differ: {sorted(set(models) ^ set(levels_table))}")

    # Full 1850–2100 series per model and scenario.
    series: dict[tuple[str, str], np.ndarray] = {}
    for model, runs in models.items():
        for scenario in SCENARIOS:
            if scenario in runs:
                in_table = {s for (_level, s) in levels_table[model]}
                if scenario not in in_table or "historical" not in runs:
                    sys.exit(f"{model} {scenario}: run and table disagree")
                series[(model, scenario)] = full_series(runs["historical"] | runs[scenario])

    checks: dict = {}
    # 1. Crossing years: the Atlas table against our own world series.
    differences = []
    for (model, scenario), values in series.items():
        world = values[:, :, -1].mean(axis=1)
        world = world - world[: PREINDUSTRIAL[1] - FIRST_YEAR + 1].mean()
        for level in ATLAS_LEVELS:
            ours = crossing_year(world, FIRST_YEAR, level)
            theirs = levels_table[model][(level, scenario)]
            differences.append(
                None if (ours is None) != (theirs is None) else (ours or 0) - (theirs or 0)
            )
    exact = sum(1 for d in differences if d == 0)
    within_one = sum(1 for d in differences if d is not None and abs(d) <= 1)
    checks["crossing_years"] = {
        "model_scenario_levels": len(differences),
        "same_year": exact,
        "within_one_year": within_one,
        "reached_in_one_only": sum(1 for d in differences if d is None),
    }

    # 2. Per model and level: window − 2000–2025 and window − 1850–1900, [12 + annual, columns].
    def with_annual(monthly: np.ndarray) -> np.ndarray:
        return np.concatenate([monthly, monthly.mean(axis=0, keepdims=True)])

    def samples_at(level: float, central_years) -> tuple[dict[str, np.ndarray], list[str]]:
        """Per model (one value each), window minus each baseline, [models, 13, columns]."""
        out: dict[str, list] = {name: [] for name in BASELINES}
        used = []
        for model in sorted(models):
            per_scenario: dict[str, list] = {name: [] for name in BASELINES}
            for scenario in SCENARIOS:
                n = central_years(model, scenario, level)
                if n is None:
                    continue
                values = series[(model, scenario)]
                window = window_mean(values, FIRST_YEAR, n - 9, n + 10)
                for name, (start, end) in BASELINES.items():
                    per_scenario[name].append(window - window_mean(values, FIRST_YEAR, start, end))
            if per_scenario["era5"]:
                for name in BASELINES:
                    out[name].append(with_annual(np.mean(per_scenario[name], axis=0)))
                used.append(model)
        return {name: np.array(v) for name, v in out.items()}, used

    def atlas_year(model, scenario, level):
        if (model, scenario) not in series:
            return None
        return levels_table[model].get((level, scenario))

    world_annual = {
        key: values[:, :, -1].mean(axis=1)
        - values[: PREINDUSTRIAL[1] - FIRST_YEAR + 1, :, -1].mean()
        for key, values in series.items()
    }

    def own_year(model, scenario, level):
        if (model, scenario) not in series:
            return None
        return crossing_year(world_annual[(model, scenario)], FIRST_YEAR, level)

    # stats[baseline][level] = (median, p10, p90), each [13, columns]
    stats: dict[str, dict[float, tuple]] = {name: {} for name in BASELINES}
    n_models, baseline_warming = {}, {}
    for level in ATLAS_LEVELS:
        samples, used = samples_at(level, atlas_year)
        for name in BASELINES:
            stats[name][level] = percentiles(samples[name])
        n_models[level] = len(used)
        # These models' own world warming from 1850–1900 to 2000–2025 (annual, median).
        warmed = samples["preindustrial"][:, 12, -1] - samples["era5"][:, 12, -1]
        baseline_warming[level] = float(np.median(warmed))
    for level in (2.5, 3.5):
        below, above = level - 0.5, level + 0.5
        for name in BASELINES:
            stats[name][level] = tuple(
                (a + b) / 2 for a, b in zip(stats[name][below], stats[name][above], strict=True)
            )
        n_models[level] = min(n_models[below], n_models[above])
        baseline_warming[level] = (baseline_warming[below] + baseline_warming[above]) / 2
    stats_era, stats_pre = stats["era5"], stats["preindustrial"]

    # 3. Half degrees: interpolation against windows found directly in the world series.
    half = {}
    for level in (2.5, 3.5):
        samples, used = samples_at(level, own_year)
        direct = percentiles(samples["era5"])[0]
        gap = np.abs(direct[:, :-1] - stats_era[level][0][:, :-1])  # regions only
        month, column = np.unravel_index(int(np.argmax(gap)), gap.shape)
        half[str(level)] = {
            "models": len(used),
            "median_abs_difference_c": round(float(np.median(gap)), 3),
            "p95_abs_difference_c": round(float(np.percentile(gap, 95)), 3),
            "max_abs_difference_c": round(float(gap.max()), 3),
            "max_at": f"{columns[column]} " + ("annual" if month == 12 else f"month {month + 1}"),
        }
    checks["half_degrees_interpolated_vs_direct"] = half

    # 4. The world row against the levels (annual median vs 1850–1900).
    world = columns.index("world")
    checks["world_vs_preindustrial_annual_median"] = {
        str(level): round(float(stats_pre[level][0][12, world]), 3) for level in LEVELS
    }
    # The models' own warming from 1850–1900 to 2000–2025 (world, annual).
    era_warming = [
        float(
            window_mean(series[key], FIRST_YEAR, *ERA5_PERIOD)[:, world].mean()
            - window_mean(series[key], FIRST_YEAR, *PREINDUSTRIAL)[:, world].mean()
        )
        for key in series
    ]
    checks["world_warming_1850_1900_to_2000_2025"] = {
        "median": round(float(np.median(era_warming)), 3),
        "p10": round(float(np.percentile(era_warming, 10)), 3),
        "p90": round(float(np.percentile(era_warming, 90)), 3),
    }

    # Summary of the table: land regions' annual change against the world's, per level.
    land = [columns.index(r["code"]) for r in regions if r["surface"] != "Ocean"]
    summary = {}
    for level in LEVELS:
        median = stats_era[level][0]
        annual_land = median[12, land]
        monthly_land = median[:12, land]
        month, column = np.unravel_index(int(np.argmax(monthly_land)), monthly_land.shape)
        spread = stats_era[level][2][:12, land] - stats_era[level][1][:12, land]
        summary[str(level)] = {
            "world_annual_c": round(float(median[12, world]), 2),
            "land_regions_annual_min_c": round(float(annual_land.min()), 2),
            "land_regions_annual_median_c": round(float(np.median(annual_land)), 2),
            "land_regions_annual_max_c": round(float(annual_land.max()), 2),
            "largest_monthly_change": f"{round(float(monthly_land.max()), 2)} °C, "
            f"{columns[land[column]]} month {month + 1}",
            "median_p10_p90_width_c": round(float(np.median(spread)), 2),
        }
    checks["summary_vs_2000_2025"] = summary

    # 5. Scenarios from the Atlas table alone.
    scenarios = {}
    for key, (scenario, year) in SCENARIO_CHOICES.items():
        by_level = {
            level: [
                entry[(level, scenario)]
                for entry in levels_table.values()
                if (level, scenario) in entry
            ]
            for level in ATLAS_LEVELS
        }
        found = scenario_level(by_level, year)
        # Cross-check: the median model's world warming in the 20-year window around ``year``.
        direct = [
            float(world_annual[(m, s)][year - 9 - FIRST_YEAR : year + 11 - FIRST_YEAR].mean())
            for (m, s) in series
            if s == scenario
        ]
        scenarios[key] = {
            "experiment": scenario,
            "central_year": year,
            "window": [year - 9, year + 10],
            "models": len(by_level[ATLAS_LEVELS[0]]),
            "global_warming_c": round(found["level"], 1),
            "global_warming_c_exact": round(found["level"], 3),
            "bounded": found["bounded"],
            "share_of_models_past_each_level": found["shares"],
            "world_series_median_c": round(float(np.median(direct)), 2),
            "world_series_p10_p90_c": [
                round(float(np.percentile(direct, 10)), 2),
                round(float(np.percentile(direct, 90)), 2),
            ],
        }

    # 6. The cross-check table.
    checks["cross_check_table"] = compare_with_cross_check(
        source / "derived/ar6_region_month_gwl_dtas_cmip6_landsea.csv",
        columns,
        stats,
    )

    region_index = [columns.index(code) for code in codes]

    def table(stats: dict, which: int, index: list[int]) -> list:
        # [region][level][13: Jan..Dec, annual]
        return [
            [
                [round(float(v), DECIMALS) for v in stats[level][which][:, column]]
                for level in LEVELS
            ]
            for column in index
        ]

    out = {
        "levels": list(LEVELS),
        "months": "January..December, then the annual mean",
        "regions": [
            {
                **{k: r[k] for k in ("code", "name", "continent", "surface")},
                "polygons": r["polygons"],
            }
            for r in regions
        ],
        "change_vs_2000_2025": {
            "median": table(stats_era, 0, region_index),
            "p10": table(stats_era, 1, region_index),
            "p90": table(stats_era, 2, region_index),
        },
        "world": {
            "change_vs_2000_2025": {
                name: [
                    [round(float(v), DECIMALS) for v in stats_era[level][i][:, world]]
                    for level in LEVELS
                ]
                for i, name in enumerate(("median", "p10", "p90"))
            },
            "change_vs_1850_1900": {
                name: [
                    [round(float(v), DECIMALS) for v in stats_pre[level][i][:, world]]
                    for level in LEVELS
                ]
                for i, name in enumerate(("median", "p10", "p90"))
            },
        },
        "models_per_level": {str(level): n_models[level] for level in LEVELS},
        # World warming 1850–1900 → 2000–2025 of the models behind each level (median): the
        # change over 2000–2025 plus this gives back the level.
        "world_warming_to_2000_2025_c": {
            str(level): round(baseline_warming[level], 3) for level in LEVELS
        },
        "models": sorted(models),
        "scenarios": scenarios,
        "checks": checks,
    }
    out["seconds"] = round(time.perf_counter() - started, 1)
    return out


def compare_with_cross_check(path: Path, columns: list[str], stats: dict) -> dict:
    """Our changes over 1850–1900 and 1995–2014 (scenarios pooled per model) against the
    derived table shipped next to the raw files: largest and mean absolute differences."""
    theirs: dict[tuple[str, float, str, int], tuple[int, float, float, float]] = {}
    baselines = {"1850-1900": "preindustrial", "1995-2014": "modern"}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["scenario"] != "ssp245+ssp585":
                continue
            key = (baselines[row["baseline"]], float(row["gwl_degC"]), row["region"])
            theirs[(*key, int(row["month"]))] = (
                int(row["n_models"]),
                float(row["dtas_median"]),
                float(row["dtas_p10"]),
                float(row["dtas_p90"]),
            )
    result = {}
    for baseline_label, baseline in baselines.items():
        for level in ATLAS_LEVELS:
            gaps: dict[str, list[float]] = {"median": [], "p10": [], "p90": []}
            counts, compared, worst = set(), 0, (0.0, "")
            for column, code in enumerate(columns):
                for month in range(13):
                    key = (baseline, level, code, 0 if month == 12 else month + 1)
                    if key not in theirs:
                        continue
                    n, *their_values = theirs[key]
                    counts.add(n)
                    compared += 1
                    ours = [stats[baseline][level][i][month, column] for i in range(3)]
                    for name, a, b in zip(gaps, ours, their_values, strict=True):
                        gaps[name].append(abs(a - b))
                    if abs(ours[0] - their_values[0]) > worst[0]:
                        worst = (abs(ours[0] - their_values[0]), f"{code} month {key[3]}")
            result[f"{baseline_label} +{level}"] = {
                "values_compared": compared,
                "their_models": sorted(counts),
                "max_abs_difference_c": {name: round(float(max(v)), 3) for name, v in gaps.items()},
                "mean_abs_difference_c": {
                    name: round(float(np.mean(v)), 4) for name, v in gaps.items()
                },
                "largest_median_difference_at": worst[1],
            }
    return result


def provenance(source: Path) -> dict:
    files = {
        "regions": "ipcc-atlas/reference-regions/IPCC-WGI-reference-regions-v4_coordinates.csv",
        "warming_levels": "ipcc-atlas/warming-levels/CMIP6_Atlas_WarmingLevels.csv",
        "checksums": "ipcc-atlas/CMIP6_tas_landsea/SHA256SUMS.uncompressed",
    }
    return {
        "sources": {
            name: {
                "path": rel,
                "sha256": hashlib.sha256((source / rel).read_bytes()).hexdigest(),
            }
            for name, rel in files.items()
        },
        "upstream": (
            "IPCC-WG1/Atlas (development copy SantanderMetGroup/ATLAS @ "
            "425d4e4f642b8a01580f0ede7cabc706f3e02f5b): reference-regions/, warming-levels/, "
            "datasets-aggregated-regionally/data/CMIP6/CMIP6_tas_landsea/ (copy in "
            "traupach/warming_levels @ 96313bef3c8fb91be1429d457807e44049753eb3)"
        ),
        "variable": "tas, monthly near-surface air temperature averaged over each region, "
        "land and sea together, one run per model",
        "baseline": "ERA5 normals period 2000-2025 (historical 2000-2014 + scenario 2015-2025)",
        "warming_levels": "global mean surface air temperature over 1850-1900, 20-year "
        "windows [n-9, n+10] with n the Atlas central year",
        "licence": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
        "attribution": (
            "Derived from the IPCC AR6 WGI Atlas (CC BY 4.0): Iturbide, M. et al. (2020), "
            "An update of IPCC climate reference regions for subcontinental analysis of "
            "climate model data: definition and aggregated datasets, Earth Syst. Sci. Data "
            "12, 2959-2970, doi:10.5194/essd-12-2959-2020; Gutierrez, J.M. et al. (2021), "
            "Atlas, in Climate Change 2021: The Physical Science Basis, Contribution of "
            "Working Group I to the Sixth Assessment Report of the IPCC, "
            "doi:10.1017/9781009157896.021; Iturbide, M. et al. (2021), Repository "
            "supporting the implementation of FAIR principles in the IPCC-WG1 Atlas, "
            "Zenodo, doi:10.5281/zenodo.3691645. Modified: multi-model statistics of "
            "changes relative to 2000-2025 at global warming levels."
        ),
        "acknowledgement": (
            "We acknowledge the World Climate Research Programme, which, through its Working "
            "Group on Coupled Modelling, coordinated and promoted CMIP6. We thank the "
            "climate modeling groups for producing and making available their model output, "
            "the Earth System Grid Federation (ESGF) for archiving the data and providing "
            "access, and the multiple funding agencies who support CMIP6 and ESGF."
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the climate-regions/ folder")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    options = parser.parse_args()
    data = derive(options.source)
    seconds = data.pop("seconds")  # printed, not stored: the file is reproducible byte for byte
    data["provenance"] = provenance(options.source)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    options.output.write_text(text + "\n", encoding="utf-8")
    keys = ("models_per_level", "world_warming_to_2000_2025_c", "scenarios", "checks")
    summary = {k: data[k] for k in keys}
    summary["seconds"] = seconds
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    print(f"wrote {options.output.name}: {options.output.stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
