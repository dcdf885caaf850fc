"""The eligibility engine, pure Python (no Django): may this pair of cities apply to a funding
programme together, and why?

In: two cities (:class:`CityFacts`: country, population, themes), what the registry knows of
their partnership (:class:`PairFacts`), a programme's rules (:class:`ProgrammeRules`) and the
country groups the rules name (anything with ``membership(country) -> True | False | None``).
Out: a :class:`Verdict` — eligible, not eligible or unknown — with every reason as a structured
:class:`Reason` tied to the rule it comes from. :func:`render` turns a reason into a sentence
through a :class:`Vocabulary` (translation, country and group names, number format), so this
module never needs Django; the sentences are marked for ``makemessages`` with
:func:`gettext_noop`.

Guarantees (property-tested in tests/partnerships/funding/test_eligibility_properties.py):

- The verdict is about the unordered pair: ``evaluate(a, b) == evaluate(b, a)``. Where the rules
  give the applicant and the partner different roles, both ways round are tried and the better
  one is reported, naming who would apply.
- Adding a condition never makes a pair more eligible (eligible > unknown > not eligible).
- Every reason names an active rule of the programme.
- "Unknown" is never a guess: it is the answer when a fact is missing (population, a country
  whose membership could not be confirmed, a partnership that is not recorded here).
- A rule asking for more cities or countries than a pair has does not exclude the pair: it can
  apply with further partners, and the verdict says so (``needs_more_partners``).
- Where the roles differ and the pair is not eligible either way round, the reasons are those of
  the way round with the fewest failed checks (the first city in a stable order on a tie), and
  no applicant is named.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Protocol

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
UNKNOWN = "unknown"
_RANK = {NOT_ELIGIBLE: 0, UNKNOWN: 1, ELIGIBLE: 2}

# Outcomes of single reasons.
PASS = "pass"  # noqa: S105 - an outcome, not a password
FAIL = "fail"
MISSING = "unknown"
MORE = "more"  # satisfied only once more partners join
NOTE = "note"  # informs, never changes the verdict


def gettext_noop(message: str) -> str:
    """Marks a sentence for translation (found by ``makemessages``); callers translate."""
    return message


class Group(Protocol):
    def membership(self, country: str) -> bool | None: ...


@dataclass(frozen=True)
class CityFacts:
    key: int | str  # a stable id: ties are broken by it, so results never depend on order
    name: str
    country: str  # ISO 3166-1 alpha-2
    population: int | None = None
    theme_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class PairFacts:
    city_a: CityFacts
    city_b: CityFacts
    # Kinds of the current (not ended) partnerships between the two, as recorded here.
    partnership_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ProgrammeRules:
    """A programme's partner rules. Empty or ``None`` means "no such rule"."""

    applicant_groups: tuple[str, ...] = ()  # the applicant's country is in one of these
    partner_groups: tuple[str, ...] = ()  # the partner's country is in one of these
    min_countries: int | None = None  # the consortium spans at least this many countries
    min_cities: int | None = None  # the consortium has at least this many municipalities
    partners_in_different_countries: bool = False
    min_population: int | None = None  # every city of the pair
    max_population: int | None = None
    requires_existing_partnership: bool = False
    required_partnership_kinds: tuple[str, ...] = ()
    partners_assigned_by_programme: bool = False  # each city applies alone; informative
    theme_ids: frozenset[int] = frozenset()  # informative: never changes the verdict
    other_conditions: str = ""  # not checkable: shown as a note

    @property
    def has_roles(self) -> bool:
        return set(self.applicant_groups) != set(self.partner_groups)

    def active_rules(self) -> set[str]:
        """Names of the rules this programme sets (every reason names one of them)."""
        active = set()
        for item in fields(self):
            value = getattr(self, item.name)
            if value not in (None, False, (), "", frozenset()):
                active.add(item.name)
        return active


RULE_NAMES = frozenset(item.name for item in fields(ProgrammeRules))


@dataclass(frozen=True)
class Reason:
    rule: str  # a field of ProgrammeRules
    outcome: str  # PASS, FAIL, MISSING, MORE or NOTE
    code: str  # which sentence
    params: tuple[tuple[str, object], ...] = ()

    def param(self, name: str, default=None):
        return dict(self.params).get(name, default)


@dataclass(frozen=True)
class Verdict:
    status: str  # ELIGIBLE, NOT_ELIGIBLE or UNKNOWN
    reasons: tuple[Reason, ...]
    applicant: CityFacts | None = None  # who would apply, where the roles differ
    needs_more_partners: bool = False

    @property
    def eligible(self) -> bool | None:
        """True, False, or None for unknown (the command's and the API's ``eligible``)."""
        return {ELIGIBLE: True, NOT_ELIGIBLE: False}.get(self.status)


def _reason(rule: str, outcome: str, code: str, **params) -> Reason:
    return Reason(rule, outcome, code, tuple(sorted(params.items())))


def _canonical(pair: PairFacts) -> tuple[CityFacts, CityFacts]:
    """The two cities in a stable order, so the answer never depends on which came first."""
    a, b = pair.city_a, pair.city_b
    key_a, key_b = (a.country, a.name, str(a.key)), (b.country, b.name, str(b.key))
    if key_a == key_b:  # the (unreal) tie of two records with the same key
        key_a, key_b = repr(a), repr(b)
    return (a, b) if key_a <= key_b else (b, a)


def _group_check(
    rule: str, city: CityFacts, tokens: tuple[str, ...], groups: Mapping[str, Group]
) -> tuple[str, list[Reason]]:
    """PASS if the city's country is in one of the groups; MISSING if that cannot be told."""
    answers = []
    for token in tokens:
        group = groups.get(token)
        answers.append((token, None if group is None else group.membership(city.country)))
    for token, answer in answers:
        if answer is True:
            return PASS, [
                _reason(rule, PASS, "in_group", group=token, city=city.name, country=city.country)
            ]
    for token, answer in answers:
        if answer is None:
            code = "group_unknown" if token not in groups else "group_uncertain"
            return MISSING, [
                _reason(rule, MISSING, code, group=token, city=city.name, country=city.country)
            ]
    return FAIL, [
        _reason(rule, FAIL, "not_in_group", group=token, city=city.name, country=city.country)
        for token, _answer in answers
    ]


def _population_check(city: CityFacts, rules: ProgrammeRules) -> list[Reason]:
    low, high = rules.min_population, rules.max_population
    rule = "min_population" if low is not None else "max_population"
    if city.population is None:
        return [_reason(rule, MISSING, "population_unknown", city=city.name)]
    if low is not None and city.population < low:
        return [
            _reason(
                "min_population",
                FAIL,
                "population_below",
                city=city.name,
                population=city.population,
                minimum=low,
            )
        ]
    if high is not None and city.population > high:
        return [
            _reason(
                "max_population",
                FAIL,
                "population_above",
                city=city.name,
                population=city.population,
                maximum=high,
            )
        ]
    return [_reason(rule, PASS, "population_within", city=city.name, population=city.population)]


def _symmetric_checks(
    first: CityFacts, second: CityFacts, kinds: frozenset[str], rules: ProgrammeRules
) -> list[Reason]:
    """The checks that do not depend on who applies."""
    reasons: list[Reason] = []
    same_country = first.country == second.country
    if rules.partners_in_different_countries:
        if same_country:
            reasons.append(
                _reason(
                    "partners_in_different_countries",
                    FAIL,
                    "different_countries_fail",
                    country=first.country,
                )
            )
        else:
            reasons.append(
                _reason(
                    "partners_in_different_countries",
                    PASS,
                    "different_countries_ok",
                    city_a=first.name,
                    city_b=second.name,
                )
            )
    if rules.min_countries is not None:
        countries = 1 if same_country else 2
        if countries >= rules.min_countries:
            reasons.append(
                _reason("min_countries", PASS, "min_countries_met", minimum=rules.min_countries)
            )
        else:
            reasons.append(
                _reason(
                    "min_countries",
                    MORE,
                    "min_countries_more",
                    minimum=rules.min_countries,
                    count=countries,
                )
            )
    if rules.min_cities is not None:
        if rules.min_cities <= 2:
            reasons.append(_reason("min_cities", PASS, "min_cities_met"))
        else:
            reasons.append(_reason("min_cities", MORE, "min_cities_more", minimum=rules.min_cities))
    if rules.min_population is not None or rules.max_population is not None:
        reasons += _population_check(first, rules)
        reasons += _population_check(second, rules)
    names = {"city_a": first.name, "city_b": second.name}
    if rules.required_partnership_kinds:
        wanted = set(rules.required_partnership_kinds)
        if kinds & wanted:
            reasons.append(
                _reason(
                    "required_partnership_kinds",
                    PASS,
                    "partnership_kind_ok",
                    kind=sorted(kinds & wanted)[0],
                    **names,
                )
            )
        elif kinds:
            reasons.append(
                _reason(
                    "required_partnership_kinds",
                    MISSING,
                    "partnership_kind_missing",
                    kinds=tuple(sorted(wanted)),
                    **names,
                )
            )
        else:
            reasons.append(
                _reason("required_partnership_kinds", MISSING, "no_partnership_recorded", **names)
            )
    elif rules.requires_existing_partnership:
        if kinds:
            reasons.append(
                _reason(
                    "requires_existing_partnership",
                    PASS,
                    "partnership_exists",
                    kind=sorted(kinds)[0],
                    **names,
                )
            )
        else:
            reasons.append(
                _reason(
                    "requires_existing_partnership", MISSING, "no_partnership_recorded", **names
                )
            )
    if rules.partners_assigned_by_programme:
        reasons.append(_reason("partners_assigned_by_programme", NOTE, "assigned_partners"))
    listed = first.theme_ids | second.theme_ids
    if rules.theme_ids and listed:  # nothing to say when the cities list no themes at all
        shared = listed & rules.theme_ids
        if shared:
            reasons.append(_reason("theme_ids", NOTE, "themes_match", themes=tuple(sorted(shared))))
        else:
            reasons.append(_reason("theme_ids", NOTE, "themes_none"))
    if rules.other_conditions.strip():
        reasons.append(
            _reason(
                "other_conditions", NOTE, "other_conditions", text=rules.other_conditions.strip()
            )
        )
    return reasons


def _status(reasons: list[Reason]) -> str:
    outcomes = {reason.outcome for reason in reasons}
    if FAIL in outcomes:
        return NOT_ELIGIBLE
    if MISSING in outcomes:
        return UNKNOWN
    return ELIGIBLE


def evaluate(pair: PairFacts, rules: ProgrammeRules, groups: Mapping[str, Group]) -> Verdict:
    """Whether the two cities of ``pair`` may apply together, with every reason."""
    first, second = _canonical(pair)
    common = _symmetric_checks(first, second, pair.partnership_kinds, rules)
    orientations = [(first, second), (second, first)] if rules.has_roles else [(first, second)]
    candidates = []
    for index, (applicant, partner) in enumerate(orientations):
        checks: list[tuple[str, list[Reason]]] = []
        if rules.applicant_groups:
            checks.append(
                _group_check("applicant_groups", applicant, rules.applicant_groups, groups)
            )
        if rules.partner_groups:
            checks.append(_group_check("partner_groups", partner, rules.partner_groups, groups))
        reasons = [reason for _outcome, found in checks for reason in found] + common
        status = _status(reasons)
        # Failed checks, not sentences: one group check may fail with several sentences.
        failed = sum(outcome == FAIL for outcome, _found in checks)
        failed += sum(r.outcome == FAIL for r in common)
        missing = sum(r.outcome == MISSING for r in reasons)
        if rules.has_roles and status != NOT_ELIGIBLE:
            role_rule = "applicant_groups" if rules.applicant_groups else "partner_groups"
            reasons.insert(
                0,
                _reason(role_rule, NOTE, "roles", applicant=applicant.name, partner=partner.name),
            )
        candidates.append(((-_RANK[status], failed, missing, index), status, reasons, applicant))
    _key, status, reasons, applicant = min(candidates, key=lambda c: c[0])
    return Verdict(
        status=status,
        reasons=tuple(reasons),
        applicant=applicant if rules.has_roles and status != NOT_ELIGIBLE else None,
        needs_more_partners=status != NOT_ELIGIBLE and any(r.outcome == MORE for r in reasons),
    )


# --- sentences ----------------------------------------------------------------------------------


class Vocabulary(Protocol):
    """What rendering needs from the outside world (Django supplies it; tests may fake it)."""

    def gettext(self, message: str) -> str: ...
    def country(self, code: str) -> str: ...
    def group_name(self, token: str) -> str: ...
    def group_sentence(self, token: str, member: bool, *, city: str, country: str) -> str: ...
    def number(self, value: int) -> str: ...
    def kind(self, kind: str) -> str: ...
    def theme(self, theme_id: int) -> str: ...


SENTENCES: dict[str, str] = {
    "roles": gettext_noop("%(applicant)s would apply, with %(partner)s as partner."),
    "group_uncertain": gettext_noop(
        "It could not be confirmed whether %(country)s belongs to this group: %(group)s."
    ),
    "group_unknown": gettext_noop(
        "The programme names a group of countries that is not known here: %(group)s."
    ),
    "different_countries_ok": gettext_noop(
        "%(city_a)s and %(city_b)s are in different countries, as the programme requires."
    ),
    "different_countries_fail": gettext_noop(
        "Both cities are in %(country)s, but the partners must be in different countries."
    ),
    "min_countries_met": gettext_noop(
        "The two cities are in two countries; the programme needs at least %(minimum)s."
    ),
    "min_countries_more": gettext_noop(
        "The programme needs municipalities from at least %(minimum)s countries: partners "
        "from further countries would have to join."
    ),
    "min_cities_met": gettext_noop("Two cities are enough for this programme."),
    "min_cities_more": gettext_noop(
        "The programme needs at least %(minimum)s municipalities: further partners would have "
        "to join these two."
    ),
    "population_within": gettext_noop(
        "%(city)s has %(population)s inhabitants, within the programme's size limits."
    ),
    "population_below": gettext_noop(
        "%(city)s has %(population)s inhabitants; the programme needs at least %(minimum)s."
    ),
    "population_above": gettext_noop(
        "%(city)s has %(population)s inhabitants; the programme takes cities of at most "
        "%(maximum)s."
    ),
    "population_unknown": gettext_noop(
        "The population of %(city)s is not known here, and the programme has size limits."
    ),
    "partnership_exists": gettext_noop(
        "%(city_a)s and %(city_b)s have a recorded partnership (%(kind)s)."
    ),
    "partnership_kind_ok": gettext_noop(
        "%(city_a)s and %(city_b)s have a recorded partnership of a kind the programme "
        "asks for (%(kind)s)."
    ),
    "partnership_kind_missing": gettext_noop(
        "The partnership recorded for %(city_a)s and %(city_b)s is not of a kind the programme "
        "asks for (%(kinds)s); one may exist without being recorded here."
    ),
    "no_partnership_recorded": gettext_noop(
        "No partnership between %(city_a)s and %(city_b)s is recorded here, and the programme "
        "requires an existing partnership."
    ),
    "assigned_partners": gettext_noop(
        "The programme pairs cities itself: each city applies on its own and may be matched "
        "with another."
    ),
    "themes_match": gettext_noop("These cities list themes of this programme: %(themes)s."),
    "themes_none": gettext_noop(
        "Neither city lists a theme of this programme; the project itself must fit its themes."
    ),
    "other_conditions": gettext_noop("Not checked here: %(text)s"),
}


def render(reason: Reason, vocabulary: Vocabulary) -> str:
    """The reason as one sentence in the vocabulary's language."""
    params = dict(reason.params)
    if reason.code in {"in_group", "not_in_group"}:
        return vocabulary.group_sentence(
            params["group"],
            reason.code == "in_group",
            city=params["city"],
            country=vocabulary.country(params["country"]),
        )
    values: dict[str, object] = dict(params)
    if "country" in params:
        values["country"] = vocabulary.country(params["country"])
    if "group" in params:
        values["group"] = vocabulary.group_name(params["group"])
    for name in ("population", "minimum", "maximum"):
        if name in params:
            values[name] = vocabulary.number(params[name])
    if "kind" in params:
        values["kind"] = vocabulary.kind(params["kind"])
    if "kinds" in params:
        values["kinds"] = ", ".join(vocabulary.kind(k) for k in params["kinds"])
    if "themes" in params:
        values["themes"] = ", ".join(vocabulary.theme(t) for t in params["themes"])
    return vocabulary.gettext(SENTENCES[reason.code]) % values


@dataclass
class PlainVocabulary:
    """English sentences without translation: for tests and tools outside Django."""

    countries: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, str] = field(default_factory=dict)
    themes: Mapping[int, str] = field(default_factory=dict)
    translate: Callable[[str], str] = gettext_noop

    def gettext(self, message: str) -> str:
        return self.translate(message)

    def country(self, code: str) -> str:
        return self.countries.get(code, code)

    def group_name(self, token: str) -> str:
        return self.groups.get(token, token)

    def group_sentence(self, token: str, member: bool, *, city: str, country: str) -> str:
        name = self.group_name(token)
        return f"{country} is in {name}." if member else f"{country} is not in {name}."

    def number(self, value: int) -> str:
        return f"{value:,}"

    def kind(self, kind: str) -> str:
        return kind

    def theme(self, theme_id: int) -> str:
        return self.themes.get(theme_id, str(theme_id))
