"""The partnership network as a matching component: shared partners, weighted by how many
partners each has, explained in words, off for pairs that already partner."""

import math

import numpy as np
import pytest

from partnerships.matching import core, services
from partnerships.matching.graph import PartnerGraph
from tests.cities.factories import CityFactory

from .factories import PartnershipFactory
from .matching_world import _fresh_snapshot  # noqa: F401 - autouse fixture

# Rows: 0 Kafue, 1 Lusaka, 2–4 three small towns, 5 a hub with many partners, 6–9 others.
KAFUE, LUSAKA, TOWNS, HUB = 0, 1, (2, 3, 4), 5


def graph(edges, n=10, **options):
    matrix = np.zeros((n, n))
    for a, b in edges:
        matrix[a, b] = 1
    return PartnerGraph.build(matrix, n, **options)


TOWN_EDGES = [(KAFUE, t) for t in TOWNS] + [(LUSAKA, t) for t in TOWNS]


def test_three_shared_small_partners_make_a_strong_link():
    value, common = graph(TOWN_EDGES).explain(KAFUE, LUSAKA)
    # Each town has two partners: weight 1/ln 3 each.
    assert value == pytest.approx(1 - math.exp(-3 / math.log(3)))
    assert [row for row, _w in common] == list(TOWNS)


def test_a_shared_hub_says_less_than_a_shared_small_town():
    hub_edges = [(HUB, other) for other in range(2, 10)] + [(KAFUE, HUB), (LUSAKA, HUB)]
    via_hub, _ = graph(hub_edges).explain(KAFUE, LUSAKA)
    via_town, _ = graph([(KAFUE, 2), (LUSAKA, 2)]).explain(KAFUE, LUSAKA)
    assert 0 < via_hub < via_town


def test_it_is_off_for_a_pair_that_already_partners_unless_asked():
    edges = [*TOWN_EDGES, (KAFUE, LUSAKA)]
    assert graph(edges).explain(KAFUE, LUSAKA) == (0.0, [])
    rows, cols, _values = graph(edges).block(np.array([KAFUE]))
    assert LUSAKA not in cols[rows == 0]
    value, _ = graph(edges, for_partners=True).explain(KAFUE, LUSAKA)
    assert value > 0


def test_the_sparse_block_agrees_with_the_pair_explanation():
    g = graph([*TOWN_EDGES, (HUB, 6), (HUB, 7), (KAFUE, HUB), (6, 8)])
    rows, cols, values = g.block(np.arange(10))
    dense = np.zeros((10, 10))
    dense[rows, cols] = values
    for a in range(10):
        for b in range(10):
            assert dense[a, b] == pytest.approx(g.explain(a, b)[0], abs=1e-6)
    assert np.allclose(dense, dense.T)  # shared partners are symmetric
    assert not dense.diagonal().any()  # a city is never its own suggestion


def test_no_partnerships_means_no_network_component():
    assert PartnerGraph.build(None, 5) is None
    assert PartnerGraph.build(np.zeros((5, 5)), 5) is None


# --- through the services, with the database -------------------------------------------------


@pytest.fixture
def zambia(db):
    city = {}
    for name, lat in (("Kafue", -15.77), ("Lusaka", -15.42), ("Ndola", -12.96)):
        city[name] = CityFactory(
            name=name, slug=name.lower(), country="ZM", continent="AF", latitude=lat,
            longitude=28.2, population=100_000,
        )  # fmt: skip
    for name in ("Essen", "Recife", "Lyon"):
        city[name] = CityFactory(name=name, slug=name.lower(), population=100_000)
    for partner in ("Essen", "Recife", "Lyon"):
        PartnershipFactory(first=city["Kafue"], second=city[partner])
        PartnershipFactory(
            first=city["Lusaka"], second=city[partner], status="unknown", source="imported",
            confirmation="unconfirmed", since=None,
        )  # fmt: skip
    return city


def test_a_suggestion_says_which_partners_it_shares(zambia):
    result = services.match_city(zambia["Kafue"], top=3, weights={"network": 1, "climate": 0.0})

    top = result.suggestions[0]
    assert top.city.name == "Lusaka"
    assert top.components["network"] > 0.9
    sentence = next(r for r in top.reasons if "partners also partner" in r)
    head, named = sentence.split(": ")
    assert head == "3 of Kafue's partners also partner with Lusaka"
    assert set(named.split(", ")) == {"Essen", "Lyon", "Recife"}


def test_rejected_and_ended_partnerships_do_not_count(zambia):
    from partnerships.models import Partnership

    lusaka = zambia["Lusaka"]
    rows = {p.other(lusaka).name: p.pk for p in Partnership.objects.involving(lusaka)}
    Partnership.objects.filter(pk=rows["Essen"]).update(confirmation="rejected")
    Partnership.objects.filter(pk=rows["Recife"]).update(status="ended", confirmation="city")

    result = services.match_city(zambia["Kafue"], top=1, weights={"network": 1, "climate": 0})

    assert "Lyon, a partner of Kafue, also partners with Lusaka" in result.suggestions[0].reasons


def test_the_default_weights_include_the_network_and_sum_to_one():
    assert set(core.DEFAULT_WEIGHTS) == set(core.COMPONENTS)
    assert "network" in core.COMPONENTS
    assert sum(core.DEFAULT_WEIGHTS.values()) == pytest.approx(1)


@pytest.mark.parametrize("value", ["lots", "-1", "101", "nan"])
def test_a_bad_network_weight_on_the_page_is_a_form_error_not_a_500(client, zambia, value):
    params = {"applied": "1", "shared": 30, "expertise": 25, "climate": 15, "context": 10}
    response = client.get(f"/cities/{zambia['Kafue'].slug}/matches/", {**params, "network": value})
    assert response.status_code in (200, 400)
    assert response.context["form"].errors["network"]


def test_the_page_shows_the_network_slider_and_component(client, zambia):
    page = client.get(f"/cities/{zambia['Kafue'].slug}/matches/").content.decode()
    assert 'name="network"' in page
    assert "Shared partners" in page


def test_stored_suggestions_keep_the_shared_partners_as_data_and_word_them_when_shown(zambia):
    from django.utils import translation

    from partnerships.matching import reasons
    from partnerships.models import MatchSuggestion

    zambia["Kafue"].open_to_partnerships = True
    zambia["Kafue"].save(update_fields=["open_to_partnerships"])
    services.matches_refresh_city(city_id=zambia["Kafue"].pk)

    stored = MatchSuggestion.objects.get(city=zambia["Kafue"], suggested_city=zambia["Lusaka"])
    data = next(r for r in stored.reasons if r["code"] == "shared_partners")
    assert data["count"] == 3 and set(data["partners"]) == {"Essen", "Lyon", "Recife"}
    with translation.override("en"):
        words = reasons.render_all(stored.reasons, city_name="Kafue", other_name="Lusaka")
    assert any(w.startswith("3 of Kafue's partners also partner with Lusaka") for w in words)
