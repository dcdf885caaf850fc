"""The thin layer between the ORM and the pure eligibility engine: facts about cities and
partnerships in, translated sentences out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext
from django_countries import countries

from cities.choices import PartnershipKind
from cities.models import Challenge, City, Initiative, Theme
from cities.reference import country_facts, group_for, group_words, is_country_token
from partnerships.models import FundingProgramme, Partnership

from .eligibility import CityFacts, Group, PairFacts, ProgrammeRules


def country_name(code: str) -> str:
    """The country's name in the active language; the reference data's English name for codes
    django-countries does not know (Kosovo, ``XK``)."""
    name = countries.name(code)
    if name:
        return str(name)
    facts = country_facts(code)
    return facts["name"] if facts else code


class DjangoVocabulary:
    """Renders reasons in the active language (see ``eligibility.Vocabulary``)."""

    def __init__(self, theme_names: dict[int, str] | None = None):
        self._theme_names = theme_names

    def gettext(self, message: str) -> str:
        return gettext(message)

    def country(self, code: str) -> str:
        return country_name(code)

    def group_name(self, token: str) -> str:
        from cities.reference import group_name

        return group_name(token)

    def group_sentence(self, token: str, member: bool, *, city: str, country: str) -> str:
        words = group_words(token)
        if is_country_token(token):  # "Toulouse is not a municipality in Germany."
            country = country_name(token)
        template = words.member if member else words.non_member
        return str(template) % {"city": city, "country": country}

    def number(self, value: int) -> str:
        return number_format(value, force_grouping=True)

    def kind(self, kind: str) -> str:
        return str(dict(PartnershipKind.choices).get(kind, kind))

    def theme(self, theme_id: int) -> str:
        if self._theme_names is None:
            self._theme_names = dict(Theme.objects.values_list("pk", "name"))
        return self._theme_names.get(theme_id, str(theme_id))


def programme_rules(programme: FundingProgramme) -> ProgrammeRules:
    """The engine's view of a programme (its themes should be prefetched)."""
    return ProgrammeRules(
        applicant_groups=tuple(programme.applicant_groups or ()),
        partner_groups=tuple(programme.partner_groups or ()),
        min_countries=programme.min_countries,
        min_cities=programme.min_cities,
        partners_in_different_countries=programme.partners_in_different_countries,
        min_population=programme.min_population,
        max_population=programme.max_population,
        requires_existing_partnership=programme.requires_existing_partnership,
        required_partnership_kinds=tuple(programme.required_partnership_kinds or ()),
        partners_assigned_by_programme=programme.partners_assigned_by_programme,
        theme_ids=frozenset(theme.pk for theme in programme.themes.all()),
        other_conditions=programme.other_conditions or "",
    )


def groups_for(programmes: Iterable[FundingProgramme]) -> dict[str, Group]:
    """Every country group the programmes' rules name (unknown tokens are left out: the engine
    then answers "unknown" for them)."""
    tokens = {
        token
        for programme in programmes
        for token in (*programme.applicant_groups, *programme.partner_groups)
    }
    return {token: group for token in tokens if (group := group_for(token)) is not None}


def city_theme_ids(cities: Iterable[City]) -> dict[int, frozenset[int]]:
    """The themes each city lists in its challenges and initiatives (two queries), with the
    parent of every sub-theme, so a programme on "Climate adaptation" meets "Flooding"."""
    ids = [city.pk for city in cities]
    found: dict[int, set[int]] = defaultdict(set)
    rows = list(
        Challenge.objects.filter(city_id__in=ids).values_list(
            "city_id", "theme_id", "theme__parent_id"
        )
    )
    rows += list(
        Initiative.themes.through.objects.filter(initiative__city_id__in=ids).values_list(
            "initiative__city_id", "theme_id", "theme__parent_id"
        )
    )
    for city_id, theme_id, parent_id in rows:
        found[city_id].add(theme_id)
        if parent_id is not None:
            found[city_id].add(parent_id)
    return {city_id: frozenset(found.get(city_id, ())) for city_id in ids}


def city_facts(city: City, theme_ids: frozenset[int] = frozenset()) -> CityFacts:
    return CityFacts(
        key=city.pk,
        name=city.name,
        country=city.country.code if city.country else "",
        population=city.population,
        theme_ids=theme_ids,
    )


def partner_kinds_of(city: City) -> dict[int, frozenset[str]]:
    """Kinds of the current partnerships of ``city``, by the other city's id (one query)."""
    kinds: dict[int, set[str]] = defaultdict(set)
    rows = (
        Partnership.objects.current()
        .filter(Q(city_a=city) | Q(city_b=city))
        .values_list("city_a_id", "city_b_id", "kind")
    )
    for city_a_id, city_b_id, kind in rows:
        other = city_b_id if city_a_id == city.pk else city_a_id
        kinds[other].add(kind)
    return {other: frozenset(found) for other, found in kinds.items()}


def pair_facts(
    city_a: City,
    city_b: City,
    *,
    kinds: frozenset[str] | None = None,
    theme_ids: dict[int, frozenset[int]] | None = None,
) -> PairFacts:
    """The pair as the engine sees it; ``kinds`` and ``theme_ids`` may come preloaded."""
    if kinds is None:
        kinds = partner_kinds_of(city_a).get(city_b.pk, frozenset())
    themes = theme_ids or {}
    return PairFacts(
        city_facts(city_a, themes.get(city_a.pk, frozenset())),
        city_facts(city_b, themes.get(city_b.pk, frozenset())),
        kinds,
    )
