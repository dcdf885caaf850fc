"""Derive the compact reference files ``country_reference.json`` and ``sdg_goals.json`` (offline).

Sources (see cities/data/README.md for licences and attribution):

- ``country-groups/countries_master.csv`` from ``MafiAtUN/country-classification-commons``
  (MIT; underlying data UN M49, World Bank CC BY 4.0, OECD): UN regions, World Bank income
  groups, the OECD DAC list of ODA recipients (2024/25), LDC and SIDS flags, by ISO code;
- ``sdg/translations/<lang>/global_goals.yml`` from ``open-sdg/sdg-translations`` (MIT): the
  17 goal names in English, German, French and Spanish;
- the project's own ``cities/data/sources/country_groups.json`` (EU-27, countries associated to
  CERV and Horizon Europe, URBACT's partner countries; corrections for Kosovo and Taiwan, which
  the UN M49 table lacks) and ``cities/data/sources/sdg_goals_pt.json`` (Portuguese goal names,
  the team's own translation).

The portal reads only the two derived files (``cities/reference.py``); nothing reads the shared
data folder at run time. Facts about the source checked here (the script stops if they fail):
248 rows with unique ISO codes, 140 countries on the DAC list, income codes among LIC, LMC,
UMC, HIC, and 17 goals in every language.

Usage::

    python cities/data/derive_reference.py ../shared/data
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from datetime import date
from pathlib import Path

import yaml  # PyYAML: a tool requirement (requirements-derive.txt), not needed at run time

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
COUNTRY_OUTPUT = HERE / "country_reference.json"
SDG_OUTPUT = HERE / "sdg_goals.json"

EXPECTED_ROWS = 248
EXPECTED_DAC = 140
INCOME_CODES = {"LIC", "LMC", "UMC", "HIC"}
SDG_LANGUAGES = ("en", "de", "fr", "es")
UPSTREAM_COUNTRIES = {
    "repository": "MafiAtUN/country-classification-commons",
    "commit": "fbcc9b73f853ca4e21412c2cb875c35b038e6880",
    "snapshot": "2026-08-21",
    "licence": "MIT (repository); underlying data: UN M49 (UN Statistics Division), "
    "World Bank (CC BY 4.0), OECD DAC list of ODA recipients",
}
UPSTREAM_SDG = {
    "repository": "open-sdg/sdg-translations",
    "commit": "0cda585851a5c6f04040a9a2755fbb4496c4eead",
    "licence": "MIT; the texts are the UN's wording (the German one unofficial)",
}

# Groups taken from the source table: slug -> (kind, how a row belongs, source, source URL).
INCOME_GROUPS = {
    "wb-low-income": "LIC",
    "wb-lower-middle-income": "LMC",
    "wb-upper-middle-income": "UMC",
    "wb-high-income": "HIC",
}
REGION_GROUPS = {
    "un-africa": ("region", "Africa"),
    "un-americas": ("region", "Americas"),
    "un-asia": ("region", "Asia"),
    "un-europe": ("region", "Europe"),
    "un-oceania": ("region", "Oceania"),
    "un-latin-america-caribbean": ("sub_region", "Latin America and the Caribbean"),
}
SOURCE_M49 = (
    "UN Statistics Division: M49 standard",
    "https://unstats.un.org/unsd/methodology/m49/overview/",
)
SOURCE_WB = (
    "World Bank country classifications by income level (via the source table)",
    "https://datahelpdesk.worldbank.org/knowledgebase/articles/906519",
)
SOURCE_DAC = (
    "OECD DAC List of ODA Recipients, effective for reporting on 2024 and 2025 flows",
    "https://www.oecd.org/en/topics/sub-issues/oda-eligibility-and-conditions/dac-list-of-oda-recipients.html",
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fail(message: str) -> None:
    sys.exit(f"derive_reference: {message}")


def read_countries(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        # keep_default_na is a pandas trap ("NA" is Namibia); csv keeps strings as they are.
        rows = list(csv.DictReader(handle))
    if len(rows) != EXPECTED_ROWS:
        fail(f"expected {EXPECTED_ROWS} rows, found {len(rows)}")
    codes = [row["iso2"] for row in rows]
    if len(set(codes)) != len(codes) or not all(len(code) == 2 for code in codes):
        fail("ISO codes are not unique two-letter codes")
    dac = sum(row["oecd_dac_eligible"] == "True" for row in rows)
    if dac != EXPECTED_DAC:
        fail(f"expected {EXPECTED_DAC} countries on the DAC list, found {dac}")
    stray = {row["wb_income_code"] for row in rows} - INCOME_CODES - {""}
    if stray:
        fail(f"unknown World Bank income codes {sorted(stray)}")
    return rows


def build_countries(rows: list[dict], corrections: dict) -> dict[str, dict]:
    countries: dict[str, dict] = {}
    for row in rows:
        countries[row["iso2"]] = {
            "name": row["country_name_en"],
            "region": row["region_name_en"],
            "sub_region": row["sub_region_name_en"],
            "wb_income": row["wb_income_code"],
            "oecd_dac": "yes" if row["oecd_dac_eligible"] == "True" else "no",
            "ldc": row["is_ldc"] == "True",
            "sids": row["is_sids"] == "True",
        }
    for code, fix in corrections.items():
        if code in countries:
            fail(f"correction for {code}, which the source table already has: check it")
        if fix["oecd_dac"] not in {"yes", "no", "uncertain"}:
            fail(f"{code}: oecd_dac must be yes, no or uncertain")
        countries[code] = {
            "name": fix["name"],
            "region": fix["region"],
            "sub_region": fix["sub_region"],
            "wb_income": fix["wb_income"],
            "oecd_dac": fix["oecd_dac"],
            "ldc": False,
            "sids": False,
            "correction": {k: fix[k] for k in ("note", "source_url", "checked_on")},
        }
    return dict(sorted(countries.items()))


def group(kind, members, uncertain, source, note="", checked_on="") -> dict:
    return {
        "kind": kind,
        "members": sorted(members),
        "uncertain": sorted(uncertain),
        "source": source[0],
        "source_url": source[1],
        "checked_on": checked_on,
        "note": note,
    }


def build_groups(countries: dict[str, dict], own_groups: dict, snapshot: str) -> dict[str, dict]:
    groups: dict[str, dict] = {}
    groups["oecd-dac-2024"] = group(
        "list",
        [c for c, info in countries.items() if info["oecd_dac"] == "yes"],
        [c for c, info in countries.items() if info["oecd_dac"] == "uncertain"],
        SOURCE_DAC,
        note="The list in force for reporting aid flows in 2024 and 2025 (140 recipients in "
        "the source table).",
        checked_on=snapshot,
    )
    unclassified = [c for c, info in countries.items() if not info["wb_income"]]
    for slug, code in INCOME_GROUPS.items():
        groups[slug] = group(
            "classification",
            [c for c, info in countries.items() if info["wb_income"] == code],
            unclassified,
            SOURCE_WB,
            note="Countries and territories the World Bank does not classify are unknown.",
            checked_on=snapshot,
        )
    for slug, (field, value) in REGION_GROUPS.items():
        groups[slug] = group(
            "classification",
            [c for c, info in countries.items() if info[field] == value],
            [c for c, info in countries.items() if not info["region"]],
            SOURCE_M49,
            checked_on=snapshot,
        )
    groups["un-ldc"] = group(
        "list",
        [c for c, info in countries.items() if info["ldc"]],
        [],
        SOURCE_M49,
        note="Least Developed Countries as flagged in the UN M49 table.",
        checked_on=snapshot,
    )
    for slug, own in own_groups.items():
        if slug in groups:
            fail(f"group {slug} is defined twice")
        unknown = set(own["members"]) | set(own["uncertain"])
        unknown -= set(countries)
        if unknown:
            fail(f"group {slug} names unknown countries {sorted(unknown)}")
        if set(own["members"]) & set(own["uncertain"]):
            fail(f"group {slug} lists a country as member and as uncertain")
        groups[slug] = group(
            own["kind"],
            own["members"],
            own["uncertain"],
            (own["source"], own["source_url"]),
            note=own.get("note", ""),
            checked_on=own["checked_on"],
        )
    return dict(sorted(groups.items()))


def read_goals(root: Path) -> dict[str, dict]:
    goals: dict[str, dict] = {str(n): {} for n in range(1, 18)}
    for language in SDG_LANGUAGES:
        data = yaml.safe_load((root / "translations" / language / "global_goals.yml").read_text())
        for n in range(1, 18):
            short, title = data.get(f"{n}-short"), data.get(f"{n}-title")
            if not short or not title:
                fail(f"goal {n} lacks a name in {language}")
            goals[str(n)][language] = {
                "short": " ".join(short.split()),
                "title": " ".join(title.split()),
            }
    portuguese = json.loads((SOURCES / "sdg_goals_pt.json").read_text())
    for n in range(1, 18):
        name = portuguese["goals"].get(str(n))
        if not name:
            fail(f"goal {n} lacks a Portuguese name")
        goals[str(n)]["pt"] = {"short": name, "title": ""}
    return goals


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared_data", type=Path, help="the shared data folder (…/shared/data)")
    parser.add_argument(
        "--output-dir", type=Path, default=HERE, help="where to write (default: cities/data)"
    )
    args = parser.parse_args(argv)
    country_output = args.output_dir / COUNTRY_OUTPUT.name
    sdg_output = args.output_dir / SDG_OUTPUT.name
    countries_csv = args.shared_data / "country-groups" / "countries_master.csv"
    sdg_root = args.shared_data / "sdg"
    own = json.loads((SOURCES / "country_groups.json").read_text())

    countries = build_countries(read_countries(countries_csv), own["countries"])
    groups = build_groups(countries, own["groups"], UPSTREAM_COUNTRIES["snapshot"])
    provenance = {
        "generated_on": date.today().isoformat(),
        "countries_source": {
            **UPSTREAM_COUNTRIES,
            "file": "countries_master.csv",
            "sha256": sha256(countries_csv),
        },
        "own_data": "cities/data/sources/country_groups.json (EU-27, association lists, "
        "corrections for Kosovo and Taiwan), each group with its own source and date",
        "attribution": "Country groups: UN M49 (UN Statistics Division), World Bank income "
        "classifications (CC BY 4.0), OECD DAC List of ODA Recipients 2024/25, via "
        "country-classification-commons (MIT); EU and programme association lists: the "
        "project's own data.",
    }
    country_output.write_text(
        json.dumps(
            {"provenance": provenance, "countries": countries, "groups": groups},
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    goals = read_goals(sdg_root)
    sdg_provenance = {
        "generated_on": date.today().isoformat(),
        "source": {
            **UPSTREAM_SDG,
            "files": {
                language: sha256(sdg_root / "translations" / language / "global_goals.yml")
                for language in SDG_LANGUAGES
            },
        },
        "portuguese": "cities/data/sources/sdg_goals_pt.json: the team's own translation of "
        "the short names (no Portuguese file upstream)",
    }
    sdg_output.write_text(
        json.dumps({"provenance": sdg_provenance, "goals": goals}, ensure_ascii=False, indent=1)
        + "\n",
        encoding="utf-8",
    )
    print(
        f"{country_output.name}: {len(countries)} countries, {len(groups)} groups, "
        f"{country_output.stat().st_size / 1024:.1f} kB; "
        f"{sdg_output.name}: 17 goals × {len(SDG_LANGUAGES) + 1} languages, "
        f"{sdg_output.stat().st_size / 1024:.1f} kB"
    )


if __name__ == "__main__":
    main()
