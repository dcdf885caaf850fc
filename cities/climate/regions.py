"""Which IPCC AR6 reference region a place lies in, by its coordinates. Pure numpy, no Django.

The 58 regions (46 land, 12 ocean; Iturbide et al. 2020) tile the globe; four are split at the
antimeridian and come as two polygons each, so a longitude is brought into [−180, 180) and
tested against both halves. Rules (docs/climate.md#regions):

- A point inside several polygons (a shared border, or a few slivers where the published
  polygons overlap) takes the first region in the Atlas order, which lists land regions
  before ocean regions.
- A point inside none (the published polygons leave a few tiny gaps) takes the region whose
  border is nearest.
- A point that lies only in an ocean region (about 200 towns, all on islands: Hawaii, Sri Lanka,
  Mauritius, Réunion, Fiji, the Azores …) keeps that ocean region. The temperature of a small
  island follows the sea around it much more closely than a continent's interior a thousand
  kilometres away, and the Atlas averages cover land and sea together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .core import gettext_noop
from .warming import Region, WarmingTable, load_table

# Plain names of the AR6 regions for pages (the Atlas spells them "N.W.North-America" etc.).
REGION_LABELS: dict[str, str] = {
    "GIC": gettext_noop("Greenland and Iceland"),
    "NWN": gettext_noop("North-western North America"),
    "NEN": gettext_noop("North-eastern North America"),
    "WNA": gettext_noop("Western North America"),
    "CNA": gettext_noop("Central North America"),
    "ENA": gettext_noop("Eastern North America"),
    "NCA": gettext_noop("Northern Central America"),
    "SCA": gettext_noop("Southern Central America"),
    "CAR": gettext_noop("Caribbean"),
    "NWS": gettext_noop("North-western South America"),
    "NSA": gettext_noop("Northern South America"),
    "NES": gettext_noop("North-eastern South America"),
    "SAM": gettext_noop("South American Monsoon"),
    "SWS": gettext_noop("South-western South America"),
    "SES": gettext_noop("South-eastern South America"),
    "SSA": gettext_noop("Southern South America"),
    "NEU": gettext_noop("Northern Europe"),
    "WCE": gettext_noop("Western and Central Europe"),
    "EEU": gettext_noop("Eastern Europe"),
    "MED": gettext_noop("Mediterranean"),
    "SAH": gettext_noop("Sahara"),
    "WAF": gettext_noop("Western Africa"),
    "CAF": gettext_noop("Central Africa"),
    "NEAF": gettext_noop("North-eastern Africa"),
    "SEAF": gettext_noop("South-eastern Africa"),
    "WSAF": gettext_noop("Western Southern Africa"),
    "ESAF": gettext_noop("Eastern Southern Africa"),
    "MDG": gettext_noop("Madagascar"),
    "RAR": gettext_noop("Russian Arctic"),
    "WSB": gettext_noop("Western Siberia"),
    "ESB": gettext_noop("Eastern Siberia"),
    "RFE": gettext_noop("Russian Far East"),
    "WCA": gettext_noop("Western Central Asia"),
    "ECA": gettext_noop("Eastern Central Asia"),
    "TIB": gettext_noop("Tibetan Plateau"),
    "EAS": gettext_noop("East Asia"),
    "ARP": gettext_noop("Arabian Peninsula"),
    "SAS": gettext_noop("South Asia"),
    "SEA": gettext_noop("South-east Asia"),
    "NAU": gettext_noop("Northern Australia"),
    "CAU": gettext_noop("Central Australia"),
    "EAU": gettext_noop("Eastern Australia"),
    "SAU": gettext_noop("Southern Australia"),
    "NZ": gettext_noop("New Zealand"),
    "EAN": gettext_noop("East Antarctica"),
    "WAN": gettext_noop("West Antarctica"),
    "ARO": gettext_noop("Arctic Ocean"),
    "NPO": gettext_noop("North Pacific Ocean"),
    "EPO": gettext_noop("Equatorial Pacific Ocean"),
    "SPO": gettext_noop("South Pacific Ocean"),
    "NAO": gettext_noop("North Atlantic Ocean"),
    "EAO": gettext_noop("Equatorial Atlantic Ocean"),
    "SAO": gettext_noop("South Atlantic Ocean"),
    "ARS": gettext_noop("Arabian Sea"),
    "BOB": gettext_noop("Bay of Bengal"),
    "EIO": gettext_noop("Equatorial Indian Ocean"),
    "SIO": gettext_noop("Southern Indian Ocean"),
    "SOO": gettext_noop("Southern Ocean"),
}


def region_label(region: Region, translate=lambda message: message) -> str:
    """Plain, translatable name of a region ("Western and Central Europe")."""
    return translate(REGION_LABELS.get(region.code, region.name))


@dataclass(frozen=True)
class RegionLookup:
    index: np.ndarray  # [N] region index into table.regions
    inside: np.ndarray  # [N] bool: False where the nearest region was taken


def _normalised_longitude(longitude: np.ndarray) -> np.ndarray:
    """Longitude in [−180, 180), rounded to 1e-9° so that 180 and −180 written with floating
    point noise (539.9999999999999) fall on the same side of the antimeridian."""
    lon = np.asarray(longitude, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        lon = np.round((lon + 180.0) % 360.0, 9) % 360.0 - 180.0
    return lon


def _inside_ring(lon: np.ndarray, lat: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Even–odd ray casting towards +longitude with half-open edges, so a point on an edge
    shared by two polygons belongs to exactly one of them."""
    x0, y0 = ring[:, 0], ring[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    lat_ = lat[:, None]
    crosses = (y0 > lat_) != (y1 > lat_)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_at = x0 + (lat_ - y0) * (x1 - x0) / (y1 - y0)
    return (crosses & (lon[:, None] < x_at)).sum(axis=1) % 2 == 1


def _distance_to_ring(lon: np.ndarray, lat: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Approximate distance in degrees (longitude scaled by cos latitude) to the ring's edges."""
    scale = np.cos(np.radians(lat))[:, None]
    x0, y0 = ring[:, 0][None, :], ring[:, 1][None, :]
    x1, y1 = np.roll(ring[:, 0], -1)[None, :], np.roll(ring[:, 1], -1)[None, :]
    px, py = lon[:, None], lat[:, None]
    dx, dy = (x1 - x0) * scale, y1 - y0
    length2 = dx * dx + dy * dy
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(length2 > 0, ((px - x0) * scale * dx + (py - y0) * dy) / length2, 0.0)
    t = np.clip(t, 0.0, 1.0)
    ex = (px - x0) * scale - t * dx
    ey = (py - y0) - t * dy
    return np.sqrt(ex * ex + ey * ey).min(axis=1)


def region_of(latitude, longitude, table: WarmingTable | None = None) -> RegionLookup:
    """The AR6 region of each (latitude, longitude), vectorised: all ~34,000 towns in a
    fraction of a second, one point in well under a millisecond."""
    table = table or load_table()
    lat = np.atleast_1d(np.asarray(latitude, dtype=np.float64))
    raw_lon = np.atleast_1d(np.asarray(longitude, dtype=np.float64))
    if lat.shape != raw_lon.shape:
        raise ValueError("latitude and longitude must have the same shape")
    if not (np.isfinite(lat).all() and np.isfinite(raw_lon).all()):
        raise ValueError("coordinates must be finite numbers")
    lon = _normalised_longitude(raw_lon)
    if (np.abs(lat) > 90).any():
        raise ValueError("latitude must lie between −90 and 90")
    found = np.full(lat.shape, -1, dtype=np.int64)
    for region, ring in table.polygons:
        todo = found < 0
        # Bounding box first: each ring covers a small part of the globe.
        box = (
            todo
            & (lon >= ring[:, 0].min())
            & (lon <= ring[:, 0].max())
            & (lat >= ring[:, 1].min())
            & (lat <= ring[:, 1].max())
        )
        if not box.any():
            continue
        candidates = np.flatnonzero(box)
        hit = _inside_ring(lon[candidates], lat[candidates], ring)
        found[candidates[hit]] = region
    inside = found >= 0
    if not inside.all():
        missing = np.flatnonzero(~inside)
        best = np.full(len(missing), np.inf)
        for region, ring in table.polygons:
            d = _distance_to_ring(lon[missing], lat[missing], ring)
            closer = d < best
            best = np.where(closer, d, best)
            found[missing[closer]] = region
    return RegionLookup(index=found, inside=inside)
