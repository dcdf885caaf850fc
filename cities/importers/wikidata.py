"""Wikidata items and the directory's GeoNames cities: the rule that links them, and the reader
of the derived file the portal ships (``cities/data/wikidata_links.json``).

The rule (used offline by ``cities/data/derive_wikidata.py``; pure, no database):

- an item and a GeoNames city are *candidates* when one of the item's names, folded (case,
  accents and punctuation ignored, German transliteration too — ``cities.text.search_keys``),
  equals the city's folded name, ASCII name or one of its alternate names, the two lie in the
  same country, and at most ``MATCH_MAX_DISTANCE_KM`` apart;
- among an item's candidates the most populous wins; two candidates with the same, highest
  population (GeoNames sometimes lists one town twice: "Nanto" and "Nanto-shi") make the item
  **ambiguous** and it is not linked;
- one city goes to one item: when several items want the same city (Wikidata has
  "Tilburg" the city and "Tilburg" the municipality, "Delhi" and "New Delhi"), the item whose
  name is the city's own name wins, then the nearer one; the others try their next candidate
  (so "New Delhi" still finds New Delhi) or stay unlinked as **contested**;
- an item with a GeoNames city nearby but no name in common is **not** linked (coordinates
  alone join neighbouring towns: Neckargemünd is 8 km from Heidelberg).

Wikidata's country codes that GeoNames spells differently are mapped first
(``COUNTRY_ALIASES``: Taiwan ``CN-TW`` → ``TW``, Northern Cyprus ``XC`` → ``CY``, Somaliland
``XS`` → ``SO``); Kosovo is ``XK`` in both.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from ..text import search_keys
from .geonames import distance_km

MATCH_MAX_DISTANCE_KM = 20.0
COUNTRY_ALIASES = {"CN-TW": "TW", "XC": "CY", "XS": "SO"}
QID = re.compile(r"^Q[1-9][0-9]{0,11}$")
DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "wikidata_links.json"
FORMAT_VERSION = 1


def normalise_country(code: str) -> str:
    code = code.strip().upper()
    return COUNTRY_ALIASES.get(code, code)


def qid_number(qid: str) -> int:
    return int(qid[1:])


def is_qid(value: object) -> bool:
    return isinstance(value, str) and bool(QID.match(value))


# --- matching (offline) -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WikidataItem:
    """A Wikidata item to place among the directory's cities."""

    qid: str
    names: tuple[str, ...]
    country: str  # ISO 3166-1 alpha-2, already normalised
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class PortalCity:
    """A directory city as the rule sees it: every name it goes by, folded or not."""

    geonames_id: int
    name: str
    ascii_name: str
    alternate_names: tuple[str, ...]
    country: str
    population: int
    latitude: float
    longitude: float


class Outcome(StrEnum):
    MATCHED = "matched"
    AMBIGUOUS = "ambiguous"  # two candidates with the same, highest population
    CONTESTED = "contested"  # its candidates went to items that match them better
    COORDINATES_ONLY = "coordinates_only"  # a city within reach, but no name in common
    NOT_FOUND = "not_found"  # no directory city within reach (mostly towns under 15,000)


@dataclass
class MatchResult:
    links: dict[str, int] = field(default_factory=dict)  # qid → geonames id
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    ambiguous: dict[str, tuple[int, ...]] = field(default_factory=dict)  # qid → tied cities
    # qid → the city a contested item wanted most (and lost to an item matching it better)
    contested_for: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for value in self.outcomes.values() if value == outcome)


class _Grid:
    """Cities bucketed by whole degrees, to find those within a few tens of kilometres."""

    def __init__(self, cities: Iterable[PortalCity]):
        self.cells: dict[tuple[int, int], list[PortalCity]] = defaultdict(list)
        for city in cities:
            self.cells[(math.floor(city.latitude), math.floor(city.longitude))].append(city)

    def near(self, latitude: float, longitude: float, km: float) -> list[PortalCity]:
        row, col = math.floor(latitude), math.floor(longitude)
        # One degree of latitude is 111 km; of longitude less, more so towards the poles.
        cols = 1 + int(km / max(111.0 * math.cos(math.radians(min(abs(latitude), 89.0))), 1.0))
        found = []
        for r in range(row - 1, row + 2):
            for c in range(col - cols, col + cols + 1):
                wrapped = (c + 180) % 360 - 180
                for city in self.cells.get((r, wrapped), ()):
                    if distance_km(latitude, longitude, city.latitude, city.longitude) <= km:
                        found.append(city)
        return found


def match_items(items: Sequence[WikidataItem], cities: Sequence[PortalCity]) -> MatchResult:
    """Link Wikidata items to directory cities by the rule in this module's docstring.

    Guarantees: every item gets exactly one outcome; ``links`` is one-to-one (no city holds
    two items, no item two cities); only items with a name in common, the same country and a
    distance within ``MATCH_MAX_DISTANCE_KM`` are linked. Deterministic for a given input."""
    by_key: dict[tuple[str, str], list[PortalCity]] = defaultdict(list)
    own_names: dict[int, set[str]] = {}
    for city in cities:
        for key in search_keys(city.name, city.ascii_name, *city.alternate_names):
            by_key[(city.country, key)].append(city)
        own_names[city.geonames_id] = set(search_keys(city.name, city.ascii_name))

    result = MatchResult()
    ranked: dict[str, list[tuple[PortalCity, float]]] = {}
    item_keys: dict[str, set[str]] = {}
    unplaced: list[WikidataItem] = []
    for item in items:
        keys = set(search_keys(*item.names))
        item_keys[item.qid] = keys
        seen: dict[int, tuple[PortalCity, float]] = {}
        for key in keys:
            for city in by_key.get((item.country, key), ()):
                distance = distance_km(item.latitude, item.longitude, city.latitude, city.longitude)
                if distance <= MATCH_MAX_DISTANCE_KM:
                    seen[city.geonames_id] = (city, distance)
        candidates = sorted(
            seen.values(), key=lambda cd: (-cd[0].population, cd[1], cd[0].geonames_id)
        )
        if not candidates:
            unplaced.append(item)
        elif len(candidates) > 1 and candidates[0][0].population == candidates[1][0].population:
            result.outcomes[item.qid] = Outcome.AMBIGUOUS
            top = candidates[0][0].population
            result.ambiguous[item.qid] = tuple(
                c.geonames_id for c, _ in candidates if c.population == top
            )
        else:
            ranked[item.qid] = candidates

    def preference(qid: str, city: PortalCity, distance: float) -> tuple:
        named_as_city = bool(item_keys[qid] & own_names[city.geonames_id])
        return (0 if named_as_city else 1, distance, qid_number(qid))

    # Items propose to their candidates in rank order; a city keeps the item it prefers
    # (deferred acceptance), so the result does not depend on the order of the items.
    holder: dict[int, tuple[tuple, str]] = {}
    next_choice = dict.fromkeys(ranked, 0)
    free = deque(sorted(ranked, key=qid_number))
    while free:
        qid = free.popleft()
        choices = ranked[qid]
        if next_choice[qid] >= len(choices):
            result.outcomes[qid] = Outcome.CONTESTED
            result.contested_for[qid] = choices[0][0].geonames_id
            continue
        city, distance = choices[next_choice[qid]]
        next_choice[qid] += 1
        mine = preference(qid, city, distance)
        current = holder.get(city.geonames_id)
        if current is None:
            holder[city.geonames_id] = (mine, qid)
        elif mine < current[0]:
            holder[city.geonames_id] = (mine, qid)
            free.append(current[1])
        else:
            free.append(qid)
    for geonames_id, (_pref, qid) in holder.items():
        result.links[qid] = geonames_id
        result.outcomes[qid] = Outcome.MATCHED

    grid = _Grid(cities)
    for item in unplaced:
        nearby = grid.near(item.latitude, item.longitude, MATCH_MAX_DISTANCE_KM)
        result.outcomes[item.qid] = Outcome.COORDINATES_ONLY if nearby else Outcome.NOT_FOUND
    return result


# --- the derived file (read at run time) --------------------------------------------------


@dataclass(frozen=True, slots=True)
class Twinning:
    """One undirected Wikidata P190 pair, ``qid_a`` the lower Q-number."""

    qid_a: str
    qid_b: str
    as_of: str  # the snapshot it comes from, "YYYY-MM"


@dataclass(frozen=True, slots=True)
class NetworkMember:
    qid: str
    geonames_id: int
    name: str  # as the network writes it


@dataclass(frozen=True)
class Network:
    slug: str
    name: str
    website: str
    source: str
    as_of: str
    members: tuple[NetworkMember, ...]


@dataclass(frozen=True)
class WikidataLinks:
    """The content of the derived file: Q-id ↔ GeoNames id, twinnings, network members."""

    cities: dict[str, int]
    twinnings: tuple[Twinning, ...]
    networks: tuple[Network, ...]
    provenance: dict
    statistics: dict


class LinksFileError(ValueError):
    """The derived file is missing or not in the expected shape."""


def _fail(message: str) -> None:
    raise LinksFileError(message)


def parse_links(data: object) -> WikidataLinks:
    """Check the structure of a decoded derived file and return it typed.

    Raises ``LinksFileError`` naming the first problem. Rows are not deduplicated or
    resolved here — that is the importers' work, and they count what they skip."""
    if not isinstance(data, dict):
        _fail("The file must hold a JSON object.")
    if data.get("format") != FORMAT_VERSION:
        _fail(f"Unsupported format {data.get('format')!r} (expected {FORMAT_VERSION}).")
    cities = data.get("cities")
    if not isinstance(cities, dict):
        _fail('"cities" must map Wikidata ids to GeoNames ids.')
    for qid, geonames_id in cities.items():
        if not is_qid(qid) or not isinstance(geonames_id, int) or isinstance(geonames_id, bool):
            _fail(f'"cities" has a bad entry: {qid!r}: {geonames_id!r}.')
    raw_pairs = data.get("twinnings")
    if not isinstance(raw_pairs, list):
        _fail('"twinnings" must be a list of [qid, qid, "YYYY-MM"].')
    twinnings = []
    for row in raw_pairs:
        if (
            not isinstance(row, list)
            or len(row) != 3
            or not all(isinstance(value, str) for value in row)
        ):
            _fail(f'"twinnings" has a bad row: {row!r}.')
        twinnings.append(Twinning(row[0], row[1], row[2]))
    networks = []
    for raw in data.get("networks") or []:
        if not isinstance(raw, dict) or not all(
            isinstance(raw.get(key), str) and raw.get(key)
            for key in ("slug", "name", "source", "as_of")
        ):
            _fail("Every network needs a slug, a name, a source and an as_of date.")
        members = []
        for row in raw.get("members") or []:
            if (
                not isinstance(row, list)
                or len(row) != 3
                or not is_qid(row[0])
                or not isinstance(row[1], int)
                or not isinstance(row[2], str)
            ):
                _fail(f"Network {raw['slug']!r} has a bad member row: {row!r}.")
            members.append(NetworkMember(row[0], row[1], row[2]))
        networks.append(
            Network(
                slug=raw["slug"],
                name=raw["name"],
                website=str(raw.get("website") or ""),
                source=raw["source"],
                as_of=raw["as_of"],
                members=tuple(members),
            )
        )
    return WikidataLinks(
        cities=dict(cities),
        twinnings=tuple(twinnings),
        networks=tuple(networks),
        provenance=dict(data.get("provenance") or {}),
        statistics=dict(data.get("statistics") or {}),
    )


def read_links(path: Path | str = DATA_FILE) -> WikidataLinks:
    """Read and check the derived file (by default the one committed with the portal)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise LinksFileError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise LinksFileError(f"{path} is not valid JSON: {exc}.") from None
    return parse_links(data)
