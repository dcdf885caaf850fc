"""The eligibility engine on a table of real-world pairs and programmes: the verdict and the
sentences a user reads, with the real country groups (cities/data/country_reference.json)."""

import pytest

from cities.reference import group_for
from partnerships.funding.adapter import DjangoVocabulary
from partnerships.funding.eligibility import (
    ELIGIBLE,
    NOT_ELIGIBLE,
    UNKNOWN,
    CityFacts,
    PairFacts,
    ProgrammeRules,
    evaluate,
    render,
)

KASSEL = CityFacts(1, "Kassel", "DE", 200_000)
LEIPZIG = CityFacts(2, "Leipzig", "DE", 600_000)
KAFUE = CityFacts(3, "Kafue", "ZM", 71_000)
TOULOUSE = CityFacts(4, "Toulouse", "FR", 500_000)
RECIFE = CityFacts(5, "Recife", "BR", 1_653_000)
TIRANA = CityFacts(6, "Tirana", "AL", 560_000)
PRISTINA = CityFacts(7, "Pristina", "XK", 200_000)
SKOPJE = CityFacts(8, "Skopje", "MK", 520_000)
TAIPEI = CityFacts(9, "Taipei", "TW", 2_600_000)
NOWHERE = CityFacts(10, "Unpopulated", "FR", None)

NAKOPA = ProgrammeRules(
    applicant_groups=("DE",),
    partner_groups=("oecd-dac-2024",),
    requires_existing_partnership=True,
)
KLEINPROJEKTE = ProgrammeRules(applicant_groups=("DE",), partner_groups=("oecd-dac-2024",))
CERV_TOWN_TWINNING = ProgrammeRules(
    applicant_groups=("eu-27", "cerv-associated"),
    partner_groups=("eu-27", "cerv-associated"),
    min_countries=2,
    other_conditions="At least one municipality must be in an EU member state.",
)
EUI_C2C = ProgrammeRules(
    applicant_groups=("eu-27",),
    partner_groups=("eu-27",),
    partners_in_different_countries=True,
)
URBACT = ProgrammeRules(
    applicant_groups=("eu-27", "urbact-iv-partner-countries"),
    partner_groups=("eu-27", "urbact-iv-partner-countries"),
    min_cities=6,
)
SMALL_TOWNS = ProgrammeRules(max_population=300_000)


def pair(a, b, *kinds):
    return PairFacts(a, b, frozenset(kinds))


def groups_for(rules):
    tokens = {*rules.applicant_groups, *rules.partner_groups}
    return {token: group for token in tokens if (group := group_for(token)) is not None}


def sentences(verdict):
    return [render(reason, DjangoVocabulary()) for reason in verdict.reasons]


TABLE = [
    # pair, programme, verdict, sentences that must be among the reasons
    (
        pair(KASSEL, KAFUE, "twinning"),
        NAKOPA,
        ELIGIBLE,
        [
            "Kassel would apply, with Kafue as partner.",
            "Kassel is a municipality in Germany.",
            "Zambia is on the OECD DAC list of ODA recipients (2024/25 list).",
            "Kassel and Kafue have a recorded partnership (Twinning / sister city).",
        ],
    ),
    (
        pair(KASSEL, KAFUE),
        NAKOPA,
        UNKNOWN,
        [
            "No partnership between Kassel and Kafue is recorded here, and the programme "
            "requires an existing partnership."
        ],
    ),
    (
        pair(TOULOUSE, KAFUE, "friendship"),
        NAKOPA,
        NOT_ELIGIBLE,
        ["Toulouse is not a municipality in Germany."],
    ),
    (
        pair(KASSEL, LEIPZIG),
        KLEINPROJEKTE,
        NOT_ELIGIBLE,
        ["Germany is not on the OECD DAC list of ODA recipients (2024/25 list)."],
    ),
    (
        pair(KASSEL, RECIFE),
        KLEINPROJEKTE,
        ELIGIBLE,
        ["Kassel would apply, with Recife as partner.", "Brazil is on"],
    ),
    (
        pair(KASSEL, PRISTINA),
        KLEINPROJEKTE,
        UNKNOWN,
        [
            "It could not be confirmed whether Kosovo belongs to this group: OECD DAC list of "
            "ODA recipients (2024/25)."
        ],
    ),
    (pair(KASSEL, TAIPEI), KLEINPROJEKTE, NOT_ELIGIBLE, ["Taiwan is not on the OECD DAC"]),
    (
        pair(TOULOUSE, TIRANA),
        CERV_TOWN_TWINNING,
        ELIGIBLE,
        [
            "France is a member state of the European Union.",
            "Albania is associated to the EU's CERV programme.",
            "The two cities are in two countries; the programme needs at least 2.",
            "Not checked here: At least one municipality must be in an EU member state.",
        ],
    ),
    (pair(TOULOUSE, SKOPJE), CERV_TOWN_TWINNING, UNKNOWN, ["whether North Macedonia belongs"]),
    (
        pair(TOULOUSE, KAFUE),
        CERV_TOWN_TWINNING,
        NOT_ELIGIBLE,
        [
            "Zambia is not a member state of the European Union.",
            "Zambia is not associated to the EU's CERV programme.",
        ],
    ),
    (
        pair(KASSEL, LEIPZIG),
        CERV_TOWN_TWINNING,
        ELIGIBLE,
        [
            "The programme needs municipalities from at least 2 countries: partners from "
            "further countries would have to join."
        ],
    ),
    (
        pair(KASSEL, TOULOUSE),
        EUI_C2C,
        ELIGIBLE,
        ["Kassel and Toulouse are in different countries, as the programme requires."],
    ),
    (
        pair(KASSEL, LEIPZIG),
        EUI_C2C,
        NOT_ELIGIBLE,
        ["Both cities are in Germany, but the partners must be in different countries."],
    ),
    (pair(TOULOUSE, RECIFE), EUI_C2C, NOT_ELIGIBLE, ["Brazil is not a member state"]),
    (
        pair(KASSEL, TIRANA),
        URBACT,
        ELIGIBLE,
        [
            "The programme needs at least 6 municipalities: further partners would have to "
            "join these two."
        ],
    ),
    (
        pair(KASSEL, RECIFE),
        SMALL_TOWNS,
        NOT_ELIGIBLE,
        ["Recife has 1,653,000 inhabitants; the programme takes cities of at most 300,000."],
    ),
    (
        pair(KASSEL, NOWHERE),
        SMALL_TOWNS,
        UNKNOWN,
        ["The population of Unpopulated is not known here, and the programme has size limits."],
    ),
    (
        pair(KASSEL, KAFUE),
        ProgrammeRules(),
        ELIGIBLE,
        [],
    ),
]


@pytest.mark.parametrize(
    ("facts", "rules", "expected", "expected_sentences"),
    TABLE,
    ids=[f"{row[0].city_a.name}-{row[0].city_b.name}-{index}" for index, row in enumerate(TABLE)],
)
def test_it_gives_the_expected_verdict_and_reasons(facts, rules, expected, expected_sentences):
    verdict = evaluate(facts, rules, groups_for(rules))
    said = sentences(verdict)

    assert verdict.status == expected, said
    for sentence in expected_sentences:
        assert any(sentence in line for line in said), f"{sentence!r} not in {said}"


def test_it_names_the_city_that_would_apply_when_the_roles_differ():
    verdict = evaluate(pair(KAFUE, KASSEL, "climate"), NAKOPA, groups_for(NAKOPA))

    assert verdict.applicant == KASSEL
    assert verdict.eligible is True


def test_it_says_a_network_needs_more_partners():
    verdict = evaluate(pair(KASSEL, TIRANA), URBACT, groups_for(URBACT))

    assert verdict.needs_more_partners
    assert verdict.eligible is True


def test_it_answers_unknown_for_a_group_it_does_not_know():
    rules = ProgrammeRules(applicant_groups=("no-such-group",))

    verdict = evaluate(pair(KASSEL, KAFUE), rules, {})

    assert verdict.status == UNKNOWN
    assert "not known here: no-such-group" in " ".join(sentences(verdict))
