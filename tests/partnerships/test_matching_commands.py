# ruff: noqa: F811 - pytest fixtures imported from matching_world are used as arguments
"""``suggest_partners`` and ``recompute_matches`` as an operator uses them."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from partnerships.models import MatchSuggestion

from .matching_world import _fresh_snapshot, world  # noqa: F401


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_it_prints_suggestions_with_scores_and_reasons(world):
    text = run("suggest_partners", "dusseldorf", "--top", "2")
    assert text.startswith("Düsseldorf (DE) — 2 suggestions")
    assert "  1. " in text and "  2. " in text and "  3. " not in text
    assert "score 0." in text
    assert "- Toulouse offers expertise in heat; Düsseldorf seeks help with it" in text


def test_it_prints_json_for_several_cities_by_slug_or_geonames_id(world):
    data = json.loads(run("suggest_partners", "dusseldorf", "2464470", "--json", "--top", "3"))
    assert [entry["city"]["slug"] for entry in data] == ["dusseldorf", "tunis"]
    first = data[0]["suggestions"][0]
    assert set(first) >= {"rank", "slug", "name", "country", "geonames_id", "score"}
    assert set(first["components"]) == {"shared", "expertise", "climate", "context", "network"}
    assert first["reasons"] and first["rank"] == 1
    assert sum(data[0]["weights"].values()) == pytest.approx(1)


def test_it_applies_weights_given_on_the_command_line(world):
    data = json.loads(
        run(
            "suggest_partners",
            "dusseldorf",
            "--json",
            "--top",
            "1",
            "--weights",
            "climate=1,shared=0,expertise=0,context=0,network=0",
        )
    )
    assert data[0]["weights"]["climate"] == pytest.approx(1)
    assert data[0]["suggestions"][0]["slug"] == "essen"


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ("shared=-1", "must not be negative"),
        ("shared=lots", "must be a number"),
        ("size=2", "Unknown weight 'size'"),
        ("shared=0,expertise=0,climate=0,context=0,network=0", "above zero"),
    ],
)
def test_it_refuses_bad_weights_with_a_clear_error(world, weights, message):
    with pytest.raises(CommandError, match=message):
        run("suggest_partners", "dusseldorf", "--weights", weights)


def test_it_names_an_unknown_city(world):
    with pytest.raises(CommandError, match="Unknown city 'atlantis'"):
        run("suggest_partners", "dusseldorf", "atlantis")


def test_it_recomputes_one_city_or_all(world):
    text = run("recompute_matches", "--city", "toulouse")
    assert "Stored 4 suggestions for Toulouse" in text
    assert set(MatchSuggestion.objects.values_list("city__slug", flat=True)) == {"toulouse"}
    text = run("recompute_matches")
    assert "Stored 16 suggestions for 4 cities" in text
    with pytest.raises(CommandError, match="Unknown city 'atlantis'"):
        run("recompute_matches", "--city", "atlantis")
