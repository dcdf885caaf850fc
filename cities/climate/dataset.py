"""Look up monthly normals by coordinates in the committed ERA5-derived grid
(``cities/data/era5_climate_normals.npz``, made by ``cities/data/derive_climate.py``).

Pure numpy, no Django. The grid holds 0.25° cells around every GeoNames city of 15,000+
inhabitants; cells that contain a city are flagged. A lookup takes the nearest flagged cell
within ``CITY_CELL_REACH_DEG``, so a coastal city gets the land-side cell of its town rather
than an ocean cell, else the nearest stored cell within ``MAX_REACH_DEG``; farther away there is
no data (the point is far from every known city) and the result says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

DATASET_PATH = Path(__file__).resolve().parent.parent / "data" / "era5_climate_normals.npz"
RESOLUTION = 0.25
ROWS, COLS = 721, 1440
CITY_CELL_REACH_DEG = 0.3
MAX_REACH_DEG = 0.6
_WINDOW = 3  # cells searched each way: covers MAX_REACH_DEG at 0.25°


@dataclass(frozen=True)
class Grid:
    keys: np.ndarray  # row * COLS + col, sorted
    city_cell: np.ndarray
    temperature: np.ndarray  # [M, 12] °C
    precipitation: np.ndarray  # [M, 12] mm/month
    provenance: dict


@dataclass(frozen=True)
class Lookup:
    """Normals for N points; ``found[i]`` is False where no cell is within reach (rows NaN)."""

    temperature: np.ndarray
    precipitation: np.ndarray
    found: np.ndarray
    cell_latitude: np.ndarray
    cell_longitude: np.ndarray


@lru_cache(maxsize=1)
def load_grid(path: str | None = None) -> Grid:
    """Load (once per process) the committed dataset, about 2.4 MB compressed."""
    with np.load(path or DATASET_PATH) as data:
        provenance = json.loads(str(data["provenance"]))
        keys = data["row"].astype(np.int64) * COLS + data["col"].astype(np.int64)
        return Grid(
            keys=keys,
            city_cell=data["city_cell"].astype(bool),
            temperature=data["temperature"].astype(np.float64) / provenance["temperature_scale"],
            precipitation=data["precipitation"].astype(np.float64)
            / provenance["precipitation_scale"],
            provenance=provenance,
        )


def provenance() -> dict:
    return dict(load_grid().provenance)


def lookup(latitude, longitude, grid: Grid | None = None) -> Lookup:
    """Normals at each (latitude, longitude), vectorised (34,000 points in well under a second)."""
    grid = grid or load_grid()
    lat = np.atleast_1d(np.asarray(latitude, dtype=np.float64))
    lon = np.atleast_1d(np.asarray(longitude, dtype=np.float64))
    n = len(lat)
    row0 = np.rint((90.0 - lat) / RESOLUTION).astype(np.int64)
    col0 = np.rint(np.mod(lon, 360.0) / RESOLUTION).astype(np.int64)
    offsets = np.arange(-_WINDOW, _WINDOW + 1)
    d_row, d_col = (a.ravel() for a in np.meshgrid(offsets, offsets, indexing="ij"))
    rows = np.clip(row0[:, None] + d_row[None, :], 0, ROWS - 1)  # [N, W]
    cols = (col0[:, None] + d_col[None, :]) % COLS
    keys = rows * COLS + cols
    pos = np.clip(np.searchsorted(grid.keys, keys), 0, len(grid.keys) - 1)
    present = grid.keys[pos] == keys
    cell_lat = 90.0 - rows * RESOLUTION
    cell_lon = cols * RESOLUTION
    d_lon = (cell_lon - np.mod(lon, 360.0)[:, None] + 180.0) % 360.0 - 180.0
    # Distance in degrees on the local tangent plane: good enough within a degree.
    dist = np.hypot(cell_lat - lat[:, None], d_lon * np.cos(np.radians(lat))[:, None])
    is_city = present & grid.city_cell[pos]
    city_dist = np.where(is_city & (dist <= CITY_CELL_REACH_DEG), dist, np.inf)
    any_dist = np.where(present & (dist <= MAX_REACH_DEG), dist, np.inf)
    use_city = np.isfinite(city_dist.min(axis=1))
    best = np.where(use_city, city_dist.argmin(axis=1), any_dist.argmin(axis=1))
    found = use_city | np.isfinite(any_dist.min(axis=1))
    index = pos[np.arange(n), best]
    temperature = np.where(found[:, None], grid.temperature[index], np.nan)
    precipitation = np.where(found[:, None], grid.precipitation[index], np.nan)
    chosen_lat = np.where(found, cell_lat[np.arange(n), best], np.nan)
    chosen_lon = cell_lon[np.arange(n), best]
    chosen_lon = np.where(found, (chosen_lon + 180.0) % 360.0 - 180.0, np.nan)
    return Lookup(temperature, precipitation, found, chosen_lat, chosen_lon)
