"""The in-memory name index behind typo-tolerant search on databases without pg_trgm."""

import random
import string

import pytest

from cities.fuzzy import NameIndex, allowed_edits, edit_distance
from cities.text import search_keys


def index_of(*cities) -> NameIndex:
    return NameIndex(
        (pk, "|".join(search_keys(*names)), population)
        for pk, (names, population) in enumerate(cities, start=1)
    )


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("dusseldorf", "dusseldorf", 0),
        ("dusseldrof", "dusseldorf", 1),  # two neighbours swapped
        ("duseldorf", "dusseldorf", 1),  # a letter missing
        ("dusseldorff", "dusseldorf", 1),  # a letter too many
        ("dusseldurf", "dusseldorf", 1),  # a wrong letter
        ("dsseldrof", "dusseldorf", 2),
    ],
)
def test_it_counts_edits(a, b, distance):
    assert edit_distance(a, b, 3) == distance


def test_it_stops_counting_beyond_the_limit():
    assert edit_distance("nairobi", "stockholm", 2) == 3


def test_it_finds_a_name_one_typo_away_and_ranks_whole_names_before_words():
    index = index_of(
        (["Frankfurt"], 50_000),
        (["Offenbach", "Offenbach bei Frankfurt"], 120_000),
        (["Frankfort"], 28_000),
    )

    hits = index.lookup("frankfrut")

    # The city called Frankfurt first, though smaller than the one with "Frankfurt" as a word
    # of another name; Frankfort is two edits away and waits until nothing is one edit away.
    assert [(h.city_id, h.distance, h.whole_name) for h in hits] == [(1, 1, True), (2, 1, False)]
    assert [h.city_id for h in index.lookup("frankfotr")] == [3]


def test_it_prefers_one_edit_to_two_and_the_larger_city_among_equals():
    index = index_of((["Bergen"], 285_000), (["Berlin"], 3_600_000), (["Bern"], 134_000))

    assert [h.city_id for h in index.lookup("berln")] == [2, 3]


def test_it_guesses_nothing_for_short_or_unlike_queries():
    index = index_of((["Ulm"], 126_000), (["Nairobi"], 4_400_000))

    assert index.lookup("ulx") == []
    assert index.lookup("qwertzuiop") == []


def test_an_empty_index_finds_nothing():
    assert NameIndex([]).lookup("dusseldorf") == []


def test_it_always_finds_a_name_after_any_single_typo():
    """Whatever single edit is made to a name, the index still finds it (the trigram filter
    must never drop a candidate the edit distance would accept)."""
    rng = random.Random(7)
    names = ["dusseldorf", "ouagadougou", "recife", "kafue", "medellin", "gelsenkirchen"]
    index = index_of(*(([n], 100_000) for n in names))
    for _ in range(300):
        pk = rng.randrange(len(names))
        word = list(names[pk])
        i = rng.randrange(len(word))
        operation = rng.choice(["swap", "drop", "add", "change"])
        if operation == "swap" and i + 1 < len(word):
            word[i], word[i + 1] = word[i + 1], word[i]
        elif operation == "drop":
            del word[i]
        elif operation == "add":
            word.insert(i, rng.choice(string.ascii_lowercase))
        else:
            word[i] = rng.choice(string.ascii_lowercase)
        typo = "".join(word)
        if len(typo) < 4:
            continue
        found = {h.city_id for h in index.lookup(typo)}
        assert pk + 1 in found, (typo, names[pk])


@pytest.mark.parametrize(("length", "edits"), [(4, 1), (5, 1), (6, 2), (12, 2), (13, 3)])
def test_longer_queries_may_be_further_away(length, edits):
    assert allowed_edits(length) == edits
