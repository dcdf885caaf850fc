"""Reference data the directory and the funding rules share: country groups (UN regions, World
Bank income groups, the OECD DAC list, EU-27 and programme association lists) and the names of
the 17 Sustainable Development Goals in five languages.

Both come from committed files that ``cities/data/derive_reference.py`` builds offline
(sources, licences and attribution: cities/data/README.md); they are read once per process.
The facts (who belongs to a group) are data; the words shown to people (a group's name and the
sentences that say a country is or is not in it) are here, translatable.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).resolve().parent / "data"
COUNTRY_FILE = DATA / "country_reference.json"
SDG_FILE = DATA / "sdg_goals.json"
SDG_LANGUAGES = ("en", "de", "fr", "es", "pt")
SDG_NUMBERS = tuple(range(1, 18))


@dataclass(frozen=True)
class CountryGroup:
    """Who belongs to a named group of countries. ``uncertain`` countries could not be
    confirmed either way; countries the reference data does not know at all are unknown too."""

    slug: str
    kind: str  # "list" or "classification"
    members: frozenset[str]
    uncertain: frozenset[str]
    source: str
    source_url: str
    checked_on: str
    note: str

    def membership(self, country: str) -> bool | None:
        """True, False, or None for "not known"."""
        if country in self.members:
            return True
        if country in self.uncertain or country not in known_countries():
            return None
        return False


@dataclass(frozen=True)
class GroupWords:
    name: object  # lazy translation: a noun phrase for lists and filters
    member: object  # a sentence with %(country)s (and optionally %(city)s)
    non_member: object


GROUP_WORDS: dict[str, GroupWords] = {
    "eu-27": GroupWords(
        _("EU member states"),
        _("%(country)s is a member state of the European Union."),
        _("%(country)s is not a member state of the European Union."),
    ),
    "cerv-associated": GroupWords(
        _("countries associated to the CERV programme"),
        _("%(country)s is associated to the EU's CERV programme."),
        _("%(country)s is not associated to the EU's CERV programme."),
    ),
    "horizon-europe-associated": GroupWords(
        _("countries associated to Horizon Europe"),
        _("%(country)s is associated to Horizon Europe."),
        _("%(country)s is not associated to Horizon Europe."),
    ),
    "urbact-iv-partner-countries": GroupWords(
        _("URBACT partner countries outside the EU"),
        _("%(country)s is among the countries outside the EU that URBACT admits."),
        _("%(country)s is not among the countries outside the EU that URBACT admits."),
    ),
    "oecd-dac-2024": GroupWords(
        _("OECD DAC list of ODA recipients (2024/25)"),
        _("%(country)s is on the OECD DAC list of ODA recipients (2024/25 list)."),
        _("%(country)s is not on the OECD DAC list of ODA recipients (2024/25 list)."),
    ),
    "wb-low-income": GroupWords(
        _("low-income countries (World Bank)"),
        _("%(country)s is a low-income country (World Bank)."),
        _("%(country)s is not a low-income country (World Bank)."),
    ),
    "wb-lower-middle-income": GroupWords(
        _("lower-middle-income countries (World Bank)"),
        _("%(country)s is a lower-middle-income country (World Bank)."),
        _("%(country)s is not a lower-middle-income country (World Bank)."),
    ),
    "wb-upper-middle-income": GroupWords(
        _("upper-middle-income countries (World Bank)"),
        _("%(country)s is an upper-middle-income country (World Bank)."),
        _("%(country)s is not an upper-middle-income country (World Bank)."),
    ),
    "wb-high-income": GroupWords(
        _("high-income countries (World Bank)"),
        _("%(country)s is a high-income country (World Bank)."),
        _("%(country)s is not a high-income country (World Bank)."),
    ),
    "un-africa": GroupWords(
        _("Africa"),
        _("%(country)s is in Africa."),
        _("%(country)s is not in Africa."),
    ),
    "un-americas": GroupWords(
        _("the Americas"),
        _("%(country)s is in the Americas."),
        _("%(country)s is not in the Americas."),
    ),
    "un-asia": GroupWords(
        _("Asia"),
        _("%(country)s is in Asia."),
        _("%(country)s is not in Asia."),
    ),
    "un-europe": GroupWords(
        _("Europe"),
        _("%(country)s is in Europe."),
        _("%(country)s is not in Europe."),
    ),
    "un-oceania": GroupWords(
        _("Oceania"),
        _("%(country)s is in Oceania."),
        _("%(country)s is not in Oceania."),
    ),
    "un-latin-america-caribbean": GroupWords(
        _("Latin America and the Caribbean"),
        _("%(country)s is in Latin America and the Caribbean."),
        _("%(country)s is not in Latin America and the Caribbean."),
    ),
    "un-ldc": GroupWords(
        _("Least Developed Countries (UN)"),
        _("%(country)s is one of the UN's Least Developed Countries."),
        _("%(country)s is not one of the UN's Least Developed Countries."),
    ),
}
# A single country used as a group ("DE"): the sentences speak of the city.
COUNTRY_WORDS = GroupWords(
    "",
    _("%(city)s is a municipality in %(country)s."),
    _("%(city)s is not a municipality in %(country)s."),
)


@functools.lru_cache(maxsize=1)
def _country_data() -> dict:
    return json.loads(COUNTRY_FILE.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def known_countries() -> frozenset[str]:
    return frozenset(_country_data()["countries"])


def country_provenance() -> dict:
    return _country_data()["provenance"]


def country_facts(code: str) -> dict | None:
    """Region, income group and DAC status of one country, or None if not in the data."""
    return _country_data()["countries"].get(code)


@functools.lru_cache(maxsize=1)
def country_groups() -> dict[str, CountryGroup]:
    """Every named group by slug, in a stable order."""
    return {
        slug: CountryGroup(
            slug=slug,
            kind=raw["kind"],
            members=frozenset(raw["members"]),
            uncertain=frozenset(raw["uncertain"]),
            source=raw["source"],
            source_url=raw["source_url"],
            checked_on=raw["checked_on"],
            note=raw["note"],
        )
        for slug, raw in _country_data()["groups"].items()
    }


def is_country_token(value: str) -> bool:
    """A rule may name a single country by its ISO code ("DE") instead of a group."""
    return len(value) == 2 and value.isalpha() and value.isupper()


def group_for(token: str) -> CountryGroup | None:
    """The group a rule token names: a group slug, or a country code as a group of one."""
    if is_country_token(token):
        if token not in known_countries():
            return None
        return CountryGroup(
            slug=token,
            kind="list",
            members=frozenset({token}),
            uncertain=frozenset(),
            source="ISO 3166-1",
            source_url="",
            checked_on="",
            note="",
        )
    return country_groups().get(token)


def unknown_tokens(tokens) -> list[str]:
    """The tokens that are neither a known group nor a known country code."""
    return [token for token in tokens if group_for(str(token)) is None]


def group_words(token: str) -> GroupWords:
    if is_country_token(token):
        return COUNTRY_WORDS
    return GROUP_WORDS[token]


def group_name(token: str) -> str:
    """The group's name in the active language (a country's own name for a country code)."""
    if is_country_token(token):
        from django_countries import countries

        return str(countries.name(token) or token)
    words = GROUP_WORDS.get(token)
    return str(words.name) if words else token


def group_choices() -> list[tuple[str, str]]:
    """(slug, name) of every named group, for forms."""
    return [(slug, group_name(slug)) for slug in country_groups()]


# --- Sustainable Development Goals ------------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    number: int
    short: str  # "Sustainable cities and communities"
    title: str  # the full goal sentence (English where no translation exists)

    @property
    def label(self) -> str:
        return f"{self.number} — {self.short}"


@functools.lru_cache(maxsize=1)
def _sdg_data() -> dict:
    return json.loads(SDG_FILE.read_text(encoding="utf-8"))


def sdg_provenance() -> dict:
    return _sdg_data()["provenance"]


def _language(language: str | None) -> str:
    code = (language or get_language() or "en").split("-")[0].lower()
    return code if code in SDG_LANGUAGES else "en"


@functools.lru_cache(maxsize=len(SDG_LANGUAGES) * 18)
def _goal(number: int, language: str) -> Goal:
    names = _sdg_data()["goals"][str(number)]
    own = names[language]
    english = names["en"]
    return Goal(number, own["short"] or english["short"], own["title"] or english["title"])


def sdg_goal(number: int, language: str | None = None) -> Goal | None:
    """Goal ``number`` (1–17) named in ``language`` (default: the active one); None if the
    number is not a goal."""
    if not isinstance(number, int) or isinstance(number, bool) or number not in SDG_NUMBERS:
        return None
    return _goal(number, _language(language))


def sdg_goals(numbers=None, language: str | None = None) -> list[Goal]:
    """The goals for ``numbers`` (all 17 by default), sorted, unknown numbers left out."""
    wanted = SDG_NUMBERS if numbers is None else sorted({n for n in numbers if n in SDG_NUMBERS})
    return [goal for n in wanted if (goal := sdg_goal(n, language)) is not None]


def sdg_choices() -> list[tuple[int, str]]:
    """(number, "11 — Sustainable cities and communities") in the active language."""
    return [(goal.number, goal.label) for goal in sdg_goals()]
