"""Properties of the pure eligibility engine (no database): symmetric in the pair, adding a
condition never makes a pair more eligible, every reason names an active rule, and every
reason renders as a sentence."""

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from partnerships.funding.eligibility import (
    ELIGIBLE,
    NOT_ELIGIBLE,
    RULE_NAMES,
    SENTENCES,
    UNKNOWN,
    CityFacts,
    PairFacts,
    PlainVocabulary,
    ProgrammeRules,
    evaluate,
    render,
)

COUNTRIES = ["DE", "FR", "ZM", "BR", "XK"]
KINDS = ["twinning", "friendship", "climate"]
RANK = {NOT_ELIGIBLE: 0, UNKNOWN: 1, ELIGIBLE: 2}


class FakeGroup:
    def __init__(self, members, uncertain=()):
        self.members, self.uncertain = set(members), set(uncertain)

    def membership(self, country):
        if country in self.members:
            return True
        return None if country in self.uncertain else False


GROUPS = {
    "north": FakeGroup({"DE", "FR"}),
    "south": FakeGroup({"ZM", "BR"}, uncertain={"XK"}),
    "de": FakeGroup({"DE"}),
}
GROUP_TOKENS = [*GROUPS, "missing-group"]

cities = st.builds(
    CityFacts,
    key=st.integers(1, 10_000),
    name=st.sampled_from(["Kassel", "Kafue", "Recife", "Lyon", "Pristina", "Leipzig"]),
    country=st.sampled_from(COUNTRIES),
    population=st.one_of(st.none(), st.integers(1_000, 5_000_000)),
    theme_ids=st.frozensets(st.integers(1, 6), max_size=3),
)
pairs = st.builds(
    PairFacts,
    city_a=cities,
    city_b=cities,
    partnership_kinds=st.frozensets(st.sampled_from(KINDS), max_size=2),
)
token_lists = st.lists(st.sampled_from(GROUP_TOKENS), max_size=2, unique=True).map(tuple)
nonempty_tokens = st.lists(st.sampled_from(GROUP_TOKENS), min_size=1, max_size=2, unique=True).map(
    tuple
)
optional_count = st.one_of(st.none(), st.integers(2, 8))
optional_population = st.one_of(st.none(), st.integers(1_000, 3_000_000))


@st.composite
def rule_sets(draw):
    low, high = draw(optional_population), draw(optional_population)
    if low is not None and high is not None and low > high:
        low, high = high, low
    kinds = tuple(draw(st.lists(st.sampled_from(KINDS), max_size=2, unique=True)))
    return ProgrammeRules(
        applicant_groups=draw(token_lists),
        partner_groups=draw(token_lists),
        min_countries=draw(optional_count),
        min_cities=draw(optional_count),
        partners_in_different_countries=draw(st.booleans()),
        min_population=low,
        max_population=high,
        requires_existing_partnership=bool(kinds) or draw(st.booleans()),
        required_partnership_kinds=kinds,
        partners_assigned_by_programme=draw(st.booleans()),
        theme_ids=draw(st.frozensets(st.integers(1, 6), max_size=3)),
        other_conditions=draw(st.sampled_from(["", "Ask the funder first."])),
    )


def swapped(pair):
    return PairFacts(pair.city_b, pair.city_a, pair.partnership_kinds)


@settings(max_examples=400, deadline=None)
@given(pair=pairs, rules=rule_sets())
def test_it_gives_the_same_answer_whichever_city_comes_first(pair, rules):
    assert evaluate(pair, rules, GROUPS) == evaluate(swapped(pair), rules, GROUPS)


def _tighter(rules: ProgrammeRules, draw) -> ProgrammeRules:
    """``rules`` with one more condition (or a stricter one)."""
    choice = draw(st.integers(0, 7))
    if choice == 0 and not rules.applicant_groups:
        return replace(rules, applicant_groups=draw(nonempty_tokens))
    if choice == 1 and not rules.partner_groups:
        return replace(rules, partner_groups=draw(nonempty_tokens))
    if choice == 2 and len(rules.applicant_groups) > 1:
        return replace(rules, applicant_groups=rules.applicant_groups[:1])
    if choice == 3:
        return replace(rules, partners_in_different_countries=True)
    if choice == 4:
        floor = draw(st.integers(1_000, 3_000_000))
        if rules.max_population is not None and floor > rules.max_population:
            return rules
        return replace(rules, min_population=max(floor, rules.min_population or 0))
    if choice == 5:
        ceiling = draw(st.integers(1_000, 3_000_000))
        if rules.min_population is not None and ceiling < rules.min_population:
            return rules
        current = rules.max_population
        return replace(rules, max_population=ceiling if current is None else min(ceiling, current))
    if choice == 6:
        return replace(rules, requires_existing_partnership=True)
    if choice == 7 and rules.requires_existing_partnership:
        kinds = tuple(draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=2, unique=True)))
        if rules.required_partnership_kinds:
            narrowed = tuple(k for k in rules.required_partnership_kinds if k in kinds)
            return replace(
                rules, required_partnership_kinds=narrowed or rules.required_partnership_kinds
            )
        return replace(rules, required_partnership_kinds=kinds)
    return rules


@settings(max_examples=600, deadline=None)
@given(pair=pairs, rules=rule_sets(), data=st.data())
def test_adding_a_condition_never_makes_a_pair_more_eligible(pair, rules, data):
    tighter = _tighter(rules, data.draw)

    before = evaluate(pair, rules, GROUPS).status
    after = evaluate(pair, tighter, GROUPS).status

    assert RANK[after] <= RANK[before], (rules, tighter)


@settings(max_examples=400, deadline=None)
@given(pair=pairs, rules=rule_sets())
def test_every_reason_names_an_active_rule_and_renders(pair, rules):
    verdict = evaluate(pair, rules, GROUPS)
    active = rules.active_rules()

    for reason in verdict.reasons:
        assert reason.rule in RULE_NAMES
        assert reason.rule in active, (reason, active)
        assert reason.code in SENTENCES or reason.code in {"in_group", "not_in_group"}
        assert render(reason, PlainVocabulary()).strip()


@settings(max_examples=300, deadline=None)
@given(pair=pairs)
def test_a_programme_without_rules_takes_every_pair(pair):
    verdict = evaluate(pair, ProgrammeRules(), GROUPS)

    assert verdict.status == ELIGIBLE
    assert verdict.reasons == ()


@settings(max_examples=300, deadline=None)
@given(pair=pairs, rules=rule_sets())
def test_a_failed_rule_is_always_stated(pair, rules):
    verdict = evaluate(pair, rules, GROUPS)
    outcomes = {reason.outcome for reason in verdict.reasons}

    assert (verdict.status == NOT_ELIGIBLE) == ("fail" in outcomes)
    assert (verdict.status == UNKNOWN) == ("fail" not in outcomes and "unknown" in outcomes)
