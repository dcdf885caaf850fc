"""Regional, monthly warming from CMIP6 (IPCC AR6 WGI Atlas), pure numpy (no Django).

Reads ``cities/data/cmip6_regional_warming.json`` (made by ``cities/data/derive_warming.py``):
per AR6 reference region, calendar month and global warming level (1.5 … 4 °C above
1850–1900), the multi-model median change of near-surface temperature relative to 2000–2025 —
the period of our ERA5 normals, so ``normal + change`` is the climate at that level — and the
10th and 90th percentiles over the models. Between the tabulated half degrees the change is
interpolated linearly (pattern scaling between neighbouring levels).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

TABLE_PATH = Path(__file__).resolve().parent.parent / "data" / "cmip6_regional_warming.json"
MONTHS = 12
ANNUAL = 12  # column of the annual mean in the table (after the twelve months)
QUANTILES = ("median", "p10", "p90")


@dataclass(frozen=True)
class Region:
    """One AR6 reference region (Iturbide et al. 2020)."""

    index: int
    code: str  # "WCE"
    name: str  # "West&Central-Europe", as the Atlas spells it
    continent: str  # "EUROPE"
    surface: str  # "Land", "Ocean" or "Land-Ocean"

    @property
    def is_ocean(self) -> bool:
        return self.surface == "Ocean"


@dataclass(frozen=True)
class WarmingTable:
    regions: tuple[Region, ...]
    levels: np.ndarray  # [L] °C above 1850–1900, ascending
    change: dict[str, np.ndarray]  # quantile → [R, L, 13] °C over 2000–2025
    world_vs_2000_2025: dict[str, np.ndarray]  # quantile → [L, 13]
    world_vs_1850_1900: dict[str, np.ndarray]  # quantile → [L, 13]
    # Median world warming 1850–1900 → 2000–2025 of the models behind each level, [L].
    world_warming_to_2000_2025: np.ndarray
    polygons: tuple[tuple[int, np.ndarray], ...]  # (region index, [V, 2] lon/lat ring)
    scenarios: dict
    models_per_level: dict[str, int]
    models: tuple[str, ...]
    checks: dict
    provenance: dict

    def region(self, code: str) -> Region:
        for region in self.regions:
            if region.code == code:
                return region
        raise KeyError(code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.regions)


@lru_cache(maxsize=2)
def load_table(path: str | None = None) -> WarmingTable:
    """The committed table (about 90 kB of JSON), loaded once per process."""
    data = json.loads(Path(path or TABLE_PATH).read_text(encoding="utf-8"))
    regions = tuple(
        Region(i, r["code"], r["name"], r["continent"], r["surface"])
        for i, r in enumerate(data["regions"])
    )
    polygons = tuple(
        (i, np.asarray(ring, dtype=np.float64))
        for i, r in enumerate(data["regions"])
        for ring in r["polygons"]
    )
    change = {q: np.asarray(data["change_vs_2000_2025"][q], dtype=np.float64) for q in QUANTILES}
    world = data["world"]
    return WarmingTable(
        regions=regions,
        levels=np.asarray(data["levels"], dtype=np.float64),
        change=change,
        world_vs_2000_2025={
            q: np.asarray(world["change_vs_2000_2025"][q], dtype=np.float64) for q in QUANTILES
        },
        world_vs_1850_1900={
            q: np.asarray(world["change_vs_1850_1900"][q], dtype=np.float64) for q in QUANTILES
        },
        world_warming_to_2000_2025=np.asarray(
            [data["world_warming_to_2000_2025_c"][str(level)] for level in data["levels"]],
            dtype=np.float64,
        ),
        polygons=polygons,
        scenarios=data["scenarios"],
        models_per_level=data["models_per_level"],
        models=tuple(data["models"]),
        checks=data["checks"],
        provenance=data["provenance"],
    )


class LevelOutOfRange(ValueError):
    """A global warming level outside the table (1.5 … 4 °C)."""


def _weights(levels: np.ndarray, level: float) -> tuple[int, int, float]:
    """Indices of the tabulated levels around ``level`` and the weight of the upper one."""
    level = float(level)
    if not levels[0] - 1e-9 <= level <= levels[-1] + 1e-9:
        raise LevelOutOfRange(
            f"global warming level {level:g} °C is outside the table "
            f"({levels[0]:g}–{levels[-1]:g} °C)"
        )
    upper = int(np.clip(np.searchsorted(levels, level - 1e-9), 1, len(levels) - 1))
    lower = upper - 1
    weight = (level - levels[lower]) / (levels[upper] - levels[lower])
    return lower, upper, float(np.clip(weight, 0.0, 1.0))


def region_indices(region, table: WarmingTable | None = None) -> np.ndarray:
    """Region indices from indices or codes ("WCE"); a clear error for anything else (a float
    array, e.g. latitudes passed where regions belong, is refused)."""
    table = table or load_table()
    array = np.atleast_1d(np.asarray(region))
    if array.dtype.kind in "US":
        lookup = {code: i for i, code in enumerate(table.codes)}
        try:
            return np.array([lookup[str(code)] for code in array], dtype=np.int64)
        except KeyError as exc:
            raise ValueError(f"unknown AR6 region {exc.args[0]!r}") from None
    if array.dtype.kind not in "iu":
        raise TypeError(f"region must be AR6 region indices or codes, not {array.dtype} values")
    if array.size and (array.min() < 0 or array.max() >= len(table.regions)):
        raise ValueError("AR6 region index out of range")
    return array.astype(np.int64)


def monthly_change(
    region, global_warming_c: float, *, quantile: str = "median", table: WarmingTable | None = None
) -> np.ndarray:
    """Temperature change over 2000–2025 per month, shaped [N, 12], for each row's region at a
    global warming level; ``quantile`` is "median", "p10" or "p90" of the CMIP6 models."""
    table = table or load_table()
    if quantile not in QUANTILES:
        raise ValueError(f"quantile must be one of {QUANTILES}")
    index = region_indices(region, table)
    lower, upper, weight = _weights(table.levels, global_warming_c)
    values = table.change[quantile]
    interpolated = (1 - weight) * values[:, lower, :MONTHS] + weight * values[:, upper, :MONTHS]
    return interpolated[index]


def world_change(
    global_warming_c: float, *, since: str = "2000-2025", table: WarmingTable | None = None
) -> dict[str, float]:
    """The world's annual-mean change at a level (median, p10, p90), over 2000–2025 or over
    1850–1900 — the second gives back the level itself (a check of the table)."""
    table = table or load_table()
    rows = table.world_vs_2000_2025 if since == "2000-2025" else table.world_vs_1850_1900
    lower, upper, weight = _weights(table.levels, global_warming_c)
    return {
        q: float((1 - weight) * rows[q][lower, ANNUAL] + weight * rows[q][upper, ANNUAL])
        for q in QUANTILES
    }


def world_warming_to_2000_2025(global_warming_c: float, table: WarmingTable | None = None):
    """How much the models behind a level had warmed the world by 2000–2025 (median, °C over
    1850–1900): about 1.0 °C, a little more at 3.5–4 °C where fewer, warmer models remain."""
    table = table or load_table()
    lower, upper, weight = _weights(table.levels, global_warming_c)
    values = table.world_warming_to_2000_2025
    return float((1 - weight) * values[lower] + weight * values[upper])
