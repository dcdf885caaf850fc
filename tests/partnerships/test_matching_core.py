"""Properties of the pure matching core (no database): bounds, monotonicity, symmetry,
reasons that match the score, exclusions and determinism."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from partnerships.matching import core

T = 6
# Theme 0 is the parent of themes 1 and 2; 3–5 are top-level.
PARENTS = np.array([-1, 0, 0, -1, -1, -1])
PRIORITIES = [0.0, 0.3, 0.6, 1.0]


@st.composite
def feature_sets(draw, min_cities=2, max_cities=7):
    n = draw(st.integers(min_cities, max_cities))
    ints = st.integers(0, 3)
    priority = np.array(
        [[PRIORITIES[draw(ints)] for _ in range(T)] for _ in range(n)], dtype=np.float32
    )
    seeks = np.array([[draw(st.booleans()) for _ in range(T)] for _ in range(n)])
    offers = np.array([[draw(st.booleans()) for _ in range(T)] for _ in range(n)])
    # A challenge seeks, offers or both (the database's constraint).
    seeks = seeks | ~offers
    seek = np.where(seeks & (priority > 0), priority, 0).astype(np.float32)
    offer = np.where(offers & (priority > 0), 1.0, 0.0).astype(np.float32)
    evidence = np.array([[draw(st.booleans()) for _ in range(T)] for _ in range(n)])
    offer = np.maximum(offer, np.where(evidence, core.EVIDENCE_WEIGHT, 0)).astype(np.float32)
    floats = st.floats(-1.5, 1.5, allow_nan=False, width=32)
    present = np.array([[draw(floats) for _ in range(3)] for _ in range(n)], dtype=np.float32)
    future = present + np.float32(draw(st.floats(0, 0.5, width=32)))
    has_climate = np.array([draw(st.booleans()) for _ in range(n)])
    present[~has_climate] = 0
    future[~has_climate] = 0
    population = np.array(
        [
            draw(st.one_of(st.just(math.nan), st.floats(math.log(1000), math.log(3e7))))
            for _ in range(n)
        ],
        dtype=np.float32,
    )
    languages = np.array([[draw(st.booleans()) for _ in range(3)] for _ in range(n)], np.float32)
    kinds = np.array([[draw(st.booleans()) for _ in range(4)] for _ in range(n)], np.float32)
    open_flags = np.array([draw(st.booleans()) for _ in range(n)], dtype=np.float32)
    # A random partnership network (or none), so every property also covers "network".
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=2 * n))
    partners = None
    if edges:
        partners = np.zeros((n, n), dtype=np.float32)
        for i, j in edges:
            if i != j:
                partners[i, j] = partners[j, i] = 1.0
    return core.MatchFeatures(
        city_ids=np.arange(10, 10 + n, dtype=np.int64),
        priority=priority,
        seek=seek,
        offer=offer,
        theme_parent=PARENTS,
        climate_present=present,
        climate_future=future,
        has_climate=has_climate,
        good_twin_distance=0.35,
        log_population=population,
        languages=languages,
        kinds=kinds,
        open=open_flags,
        partners=partners,
    )


weight_dicts = st.fixed_dictionaries(
    {name: st.floats(0, 10, allow_nan=False) for name in core.COMPONENTS}
).filter(lambda w: sum(w.values()) > 0.01)

common = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def pair_score(features, a, b, weights):
    return core.explain_pair(core.prepare(features), a, b, weights).score


@common
@given(feature_sets(), weight_dicts)
def test_it_keeps_every_score_and_component_between_zero_and_one(features, raw_weights):
    weights = core.normalise_weights(raw_weights)
    prep = core.prepare(features)
    rows = np.arange(features.n_cities)
    totals = core.score_rows(prep, rows, weights)
    assert totals.min() >= 0 and totals.max() <= 1
    for values in core.component_rows(prep, rows).values():
        assert values.min() >= -1e-6 and values.max() <= 1 + 1e-6
    for b in range(1, features.n_cities):
        explanation = core.explain_pair(prep, 0, b, weights)
        assert 0 <= explanation.score <= 1
        assert all(0 <= v <= 1 for v in explanation.components.values())


@common
@given(feature_sets(), weight_dicts, st.data())
def test_it_never_lowers_a_pairs_score_when_they_add_a_shared_challenge(
    features, raw_weights, data
):
    weights = core.normalise_weights(raw_weights)
    a, b = 0, 1
    theme = data.draw(st.integers(0, T - 1))
    assume(not (features.priority[a, theme] > 0 and features.priority[b, theme] > 0))
    before = pair_score(features, a, b, weights)

    priority, seek, offer = (features.priority.copy(), features.seek.copy(), features.offer.copy())
    for city in (a, b):
        if priority[city, theme] > 0:
            continue
        level = data.draw(st.sampled_from([0.3, 0.6, 1.0]))
        seeks = data.draw(st.booleans())
        offers = data.draw(st.booleans()) or not seeks
        priority[city, theme] = level
        seek[city, theme] = level if seeks else 0
        if offers:
            offer[city, theme] = 1.0
    after_features = core.MatchFeatures(
        **{**features.__dict__, "priority": priority, "seek": seek, "offer": offer}
    )
    after = pair_score(after_features, a, b, weights)
    assert after >= before - 1e-9
    # The vectorised scores agree.
    fast_before = core.score_rows(core.prepare(features), np.array([a]), weights)[0, b]
    fast_after = core.score_rows(core.prepare(after_features), np.array([a]), weights)[0, b]
    assert fast_after >= fast_before - 1e-6


@common
@given(feature_sets())
def test_it_gives_symmetric_components_the_same_value_both_ways(features):
    prep = core.prepare(features)
    rows = np.arange(features.n_cities)
    components = core.component_rows(prep, rows)
    for name in ("shared", "climate", "context", "expertise"):
        matrix = components[name]
        assert np.allclose(matrix, matrix.T, atol=1e-5), name
    weights = core.normalise_weights(None)
    for b in range(1, features.n_cities):
        ab = core.explain_pair(prep, 0, b, weights).components
        ba = core.explain_pair(prep, b, 0, weights).components
        for name in ("shared", "climate", "context"):
            assert ab[name] == pytest.approx(ba[name], abs=1e-9)


@common
@given(feature_sets(), weight_dicts)
def test_it_gives_reasons_exactly_for_the_contributing_components(features, raw_weights):
    weights = core.normalise_weights(raw_weights)
    prep = core.prepare(features)
    for b in range(1, features.n_cities):
        explanation = core.explain_pair(prep, 0, b, weights)
        with_reasons = {reason.component for reason in explanation.reasons}
        contributing = core.contributing_components(explanation.components, weights)
        assert with_reasons == contributing
        # Each reason is one of the terms that made its component: never more than it.
        for reason in explanation.reasons:
            assert 0 < reason.value <= explanation.components[reason.component] + 1e-9


@common
@given(feature_sets(min_cities=3), weight_dicts, st.data())
def test_it_never_suggests_excluded_cities_or_the_city_itself(features, raw_weights, data):
    weights = core.normalise_weights(raw_weights)
    n = features.n_cities
    allowed = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    excluded = data.draw(st.lists(st.integers(0, n - 1), max_size=n, unique=True))
    ranked = core.rank_for_city(
        core.prepare(features), 0, weights, top=n, allowed=allowed, excluded=excluded
    )
    chosen = {pair.index for pair in ranked}
    assert 0 not in chosen
    assert not chosen & set(excluded)
    assert all(allowed[i] for i in chosen)
    assert chosen == set(np.flatnonzero(allowed)) - set(excluded) - {0}


@common
@given(feature_sets(min_cities=3), weight_dicts)
def test_it_returns_the_same_ranking_every_time_best_first_ties_by_id(features, raw_weights):
    weights = core.normalise_weights(raw_weights)
    first = core.rank_for_city(core.prepare(features), 0, weights, top=5)
    second = core.rank_for_city(core.prepare(features), 0, weights, top=5)
    assert [(p.city_id, p.explanation.score) for p in first] == [
        (p.city_id, p.explanation.score) for p in second
    ]
    keys = [(-round(p.explanation.score, 9), p.city_id) for p in first]
    assert keys == sorted(keys)
    assert [p.rank for p in first] == list(range(1, len(first) + 1))


@common
@given(feature_sets(min_cities=2), weight_dicts)
def test_it_computes_the_same_scores_fused_per_component_and_per_pair(features, raw_weights):
    weights = core.normalise_weights(raw_weights)
    prep = core.prepare(features)
    rows = np.arange(features.n_cities)
    fused = core.score_rows(prep, rows, weights)
    parts = core.component_rows(prep, rows)
    summed = sum(weights[name] * parts[name] for name in core.COMPONENTS)
    assert np.allclose(fused, summed, atol=1e-5)
    for b in range(features.n_cities):
        assert fused[0, b] == pytest.approx(core.explain_pair(prep, 0, b, weights).score, abs=1e-5)


def _features(priority, seek, offer, n_lang=1):
    n = len(priority)
    return core.MatchFeatures(
        city_ids=np.arange(1, n + 1),
        priority=np.array(priority, np.float32),
        seek=np.array(seek, np.float32),
        offer=np.array(offer, np.float32),
        theme_parent=PARENTS,
        climate_present=np.zeros((n, 2), np.float32),
        climate_future=np.zeros((n, 2), np.float32),
        has_climate=np.zeros(n, bool),
        good_twin_distance=0.35,
        log_population=np.full(n, np.nan, np.float32),
        languages=np.zeros((n, n_lang), np.float32),
        kinds=np.zeros((n, 1), np.float32),
        open=np.zeros(n, np.float32),
    )


def test_it_ranks_a_two_way_expertise_fit_above_a_one_way_fit():
    z = [0.0] * T
    one = lambda i, v=1.0: [v if j == i else 0.0 for j in range(T)]  # noqa: E731
    both = lambda i, k: [1.0 if j in (i, k) else 0.0 for j in range(T)]  # noqa: E731
    features = _features(
        priority=[both(3, 4), both(3, 4), one(3)],
        seek=[one(3), one(4), z],
        offer=[one(4), one(3), one(3)],
    )
    prep = core.prepare(features)
    weights = core.normalise_weights(None)
    mutual = core.explain_pair(prep, 0, 1, weights)
    one_way = core.explain_pair(prep, 0, 2, weights)
    assert mutual.components["expertise"] > one_way.components["expertise"]
    assert "mutual" in {r.code for r in mutual.reasons}


def test_it_values_a_rare_shared_challenge_above_one_everybody_lists():
    # Theme 3 is listed by six of eight cities, theme 4 only by cities 0 and 1.
    rows = [[0.0] * T for _ in range(8)]
    for i in (0, 2, 4, 5, 6, 7):
        rows[i][3] = 1.0
    for i in (0, 1):
        rows[i][4] = 1.0
    features = _features(priority=rows, seek=rows, offer=[[0.0] * T] * 8)
    prep = core.prepare(features)
    assert prep.rarity[4] > prep.rarity[3]
    weights = core.normalise_weights(None)
    rare_pair = core.explain_pair(prep, 0, 1, weights).components["shared"]  # theme 4
    common_pair = core.explain_pair(prep, 0, 2, weights).components["shared"]  # theme 3
    assert rare_pair > common_pair > 0


def test_it_counts_a_narrower_theme_partly_toward_its_parent():
    z = [0.0] * T
    child = [0.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    sibling = [0.0, 0.0, 1.0, 0.0, 0.0, 0.0]
    parent = [1.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    features = _features(priority=[child, sibling, parent, child], seek=[z] * 4, offer=[z] * 4)
    prep = core.prepare(features)
    weights = core.normalise_weights(None)
    same = core.explain_pair(prep, 0, 3, weights)
    with_parent = core.explain_pair(prep, 0, 2, weights)
    with_sibling = core.explain_pair(prep, 0, 1, weights)
    assert same.components["shared"] > with_parent.components["shared"] > 0
    assert with_parent.components["shared"] > with_sibling.components["shared"] > 0
    assert {r.code for r in with_sibling.reasons} == {"shared_field"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("shared=-1", "must not be negative"),
        ("shared=abc", "must be a number"),
        ("size=1", "Unknown weight 'size'"),
        (
            "shared=0,expertise=0,climate=0,context=0,network=0",
            "at least one weight must be above zero",
        ),
        ("shared=nan", "finite"),
        ("shared", "name=value"),
        ("shared=1,shared=2", "twice"),
        ("", "No weights given"),
    ],
)
def test_it_refuses_unusable_weights_with_a_clear_message(text, message):
    with pytest.raises(core.WeightsError, match=f"(?i){message}"):
        core.parse_weights(text)


def test_it_normalises_weights_to_sum_one_and_keeps_defaults_for_missing_names():
    weights = core.parse_weights("shared=2, expertise=2")
    assert sum(weights.values()) == pytest.approx(1.0)
    assert weights["shared"] == pytest.approx(weights["expertise"])
    assert weights["climate"] > 0
    assert core.normalise_weights(None) == pytest.approx(core.DEFAULT_WEIGHTS)


@common
@given(feature_sets(min_cities=3), weight_dicts)
def test_it_explains_a_batch_of_pairs_exactly_as_one_pair_at_a_time(features, raw_weights):
    weights = core.normalise_weights(raw_weights)
    prep = core.prepare(features)
    n = features.n_cities
    a_rows = np.repeat(np.arange(n), n)
    b_rows = np.tile(np.arange(n), n)
    batch = core.explain_pairs(prep, a_rows, b_rows, weights)
    for a, b, explanation in zip(a_rows, b_rows, batch, strict=True):
        assert explanation == core.explain_pair(prep, int(a), int(b), weights)
