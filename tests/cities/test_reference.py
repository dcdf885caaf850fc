"""The committed reference data (country groups, SDG names) and its loaders."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

from cities import reference

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"


def test_it_has_words_for_every_group_and_a_group_for_every_word():
    assert set(reference.country_groups()) == set(reference.GROUP_WORDS)


def test_it_knows_the_dac_list_and_the_eu():
    dac = reference.country_groups()["oecd-dac-2024"]
    eu = reference.country_groups()["eu-27"]

    assert dac.membership("ZM") is True
    assert dac.membership("DE") is False
    assert eu.membership("DE") is True
    assert len(eu.members) == 27
    assert len(dac.members) == 140


def test_it_handles_the_countries_the_un_table_lacks():
    dac = reference.country_groups()["oecd-dac-2024"]
    europe = reference.country_groups()["un-europe"]
    high_income = reference.country_groups()["wb-high-income"]

    assert dac.membership("TW") is False
    assert dac.membership("XK") is None  # could not be confirmed: unknown, not a guess
    assert europe.membership("XK") is True
    assert high_income.membership("TW") is None  # not classified here
    assert reference.country_facts("XK")["name"] == "Kosovo"


def test_it_answers_unknown_for_a_country_it_has_never_heard_of():
    assert reference.country_groups()["eu-27"].membership("QQ") is None


def test_every_group_names_its_source_and_a_check_date():
    for group in reference.country_groups().values():
        assert group.source and group.source_url.startswith("https://"), group.slug
        assert group.checked_on, group.slug


def test_it_resolves_country_codes_and_refuses_unknown_tokens():
    assert reference.group_for("DE").membership("DE") is True
    assert reference.group_for("DE").membership("FR") is False
    assert reference.unknown_tokens(["eu-27", "DE", "atlantis", "QQ"]) == ["atlantis", "QQ"]


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("en", "Sustainable cities and communities"),
        ("de", "Nachhaltige Städte und Gemeinden"),
        ("fr", "Villes et communautés durables"),
        ("es", "Ciudades y comunidades sostenibles"),
        ("pt", "Cidades e comunidades sustentáveis"),
    ],
)
def test_it_names_the_goals_in_five_languages(language, name):
    with translation.override(language):
        goal = reference.sdg_goal(11)

    assert goal.short == name
    assert goal.title  # Portuguese falls back to the English title


def test_it_ignores_numbers_that_are_not_goals():
    assert reference.sdg_goal(18) is None
    assert reference.sdg_goal(True) is None
    assert [goal.number for goal in reference.sdg_goals([13, 99, 3, 13])] == [3, 13]


@pytest.mark.skipif(not SHARED.exists(), reason="the shared data folder is not beside the repo")
def test_the_derive_script_reproduces_the_committed_files(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "cities/data/derive_reference.py",
            str(SHARED),
            "--output-dir",
            str(tmp_path),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )

    for name in ("country_reference.json", "sdg_goals.json"):
        fresh = json.loads((tmp_path / name).read_text())
        committed = json.loads((ROOT / "cities" / "data" / name).read_text())
        for data in (fresh, committed):
            data["provenance"].pop("generated_on")
        assert fresh == committed, name
