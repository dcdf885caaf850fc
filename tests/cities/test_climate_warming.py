"""The committed CMIP6 regional warming table, region assignment by coordinates and the
projection built on them. No database."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cities.climate import core, regions, warming

TABLE = warming.load_table()
LEVELS = [float(level) for level in TABLE.levels]


def code_at(latitude, longitude):
    found = regions.region_of(latitude, longitude)
    return [TABLE.regions[i].code for i in found.index]


# --- the table ---------------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_it_gives_back_each_global_warming_level_from_its_world_row(level):
    # The 20-year windows start when a model first reaches the level, so a hair above it.
    assert warming.world_change(level, since="1850-1900")["median"] == pytest.approx(level, abs=0.1)


def area_weights():
    """Share of the globe's area in each region, from a 0.5° grid."""
    lats = np.arange(-89.75, 90, 0.5)
    lons = np.arange(-179.75, 180, 0.5)
    lat, lon = (a.ravel() for a in np.meshgrid(lats, lons, indexing="ij"))
    index = regions.region_of(lat, lon).index
    area = np.bincount(index, weights=np.cos(np.radians(lat)), minlength=len(TABLE.regions))
    return area / area.sum()


@pytest.mark.parametrize("level", LEVELS)
def test_it_reproduces_the_world_mean_warming_of_each_level_from_its_regions(level):
    # The 58 regions' annual changes over 2000–2025, weighted by area, plus the models' own
    # warming up to 2000–2025 must give back the level: the regions add up to the world.
    weights = area_weights()
    index = LEVELS.index(level)
    regional = float((weights * TABLE.change["median"][:, index, warming.ANNUAL]).sum())
    assert regional + warming.world_warming_to_2000_2025(level) == pytest.approx(level, abs=0.1)


def test_it_interpolates_the_half_degrees_and_scenario_levels_between_neighbours():
    wce = [TABLE.region("WCE").index]
    at = {level: warming.monthly_change(wce, level)[0] for level in (2.0, 2.5, 3.0, 2.8)}
    np.testing.assert_allclose(at[2.5], (at[2.0] + at[3.0]) / 2, atol=0.011)  # stored rounded
    np.testing.assert_allclose(at[2.8], at[2.5] + 0.6 * (at[3.0] - at[2.5]), atol=1e-9)


def test_it_refuses_levels_outside_the_table():
    for level in (1.0, 4.5, float("nan")):
        with pytest.raises(warming.LevelOutOfRange):
            warming.monthly_change([0], level)


def test_it_maps_the_scenarios_to_the_levels_derived_from_the_atlas_table():
    for scenario in core.WARMING_LEVELS.values():
        if not scenario.is_scenario:
            continue
        derived = TABLE.scenarios[scenario.key]
        assert derived["experiment"] == scenario.experiment
        assert derived["central_year"] == scenario.year
        assert derived["global_warming_c"] == scenario.global_warming_c
        assert (derived["bounded"] == "above") == scenario.at_least


def test_it_stays_small_and_carries_its_licence_and_attribution():
    assert warming.TABLE_PATH.stat().st_size < 300_000
    provenance = TABLE.provenance
    assert "CC BY 4.0" in provenance["licence"]
    assert "Iturbide" in provenance["attribution"] and "2959" in provenance["attribution"]
    assert "Gutierrez" in provenance["attribution"]
    assert "climate modeling groups" in provenance["acknowledgement"]
    assert len(TABLE.models) == 35 and TABLE.models_per_level["4.0"] == 20


def test_it_agrees_with_the_shipped_cross_check_table_to_its_rounding():
    checks = json.loads(warming.TABLE_PATH.read_text())["checks"]["cross_check_table"]
    assert len(checks) == 8  # two baselines × four Atlas levels
    for result in checks.values():
        assert max(result["max_abs_difference_c"].values()) <= 0.005 + 1e-9


# --- regions -----------------------------------------------------------------------------


def test_it_puts_cities_on_either_side_of_a_region_border_in_their_own_region():
    # The Mediterranean region ends at 45° N; West & Central Europe begins there.
    places = {
        "Valence": (44.93, 4.89, "MED"),
        "Vienne": (45.52, 4.87, "WCE"),
        "Genoa": (44.41, 8.93, "MED"),
        "Turin": (45.07, 7.69, "WCE"),
        "Toulouse": (43.60, 1.44, "MED"),
        "Düsseldorf": (51.22, 6.78, "WCE"),
        "on the border": (45.0, 5.0, "WCE"),  # half-open edges: exactly one region
    }
    lat = [v[0] for v in places.values()]
    lon = [v[1] for v in places.values()]
    assert code_at(lat, lon) == [v[2] for v in places.values()]


def test_it_finds_the_region_on_both_sides_of_the_antimeridian():
    # The Russian Arctic comes as two polygons, split at 180°.
    assert code_at([68.0, 68.0, 68.0, 68.0], [179.9, -179.9, 180.0, -180.0]) == ["RAR"] * 4
    assert code_at([64.73, -18.14, -13.83], [177.51, 178.44, -171.76]) == ["RFE", "SPO", "SPO"]


def test_it_keeps_islands_in_their_ocean_region_and_big_islands_on_land():
    places = {
        "Honolulu": (21.31, -157.86, "NPO"),
        "Colombo": (6.93, 79.85, "EIO"),
        "Port Louis": (-20.16, 57.50, "SIO"),
        "Reykjavík": (64.15, -21.94, "GIC"),
        "Tokyo": (35.69, 139.69, "EAS"),
        "Auckland": (-36.85, 174.76, "NZ"),
    }
    lat = [v[0] for v in places.values()]
    lon = [v[1] for v in places.values()]
    assert code_at(lat, lon) == [v[2] for v in places.values()]
    assert TABLE.region("NPO").is_ocean and not TABLE.region("GIC").is_ocean


def test_it_gives_a_point_in_a_gap_between_polygons_the_nearest_region():
    found = regions.region_of(-32.25, 144.25)  # a sliver inside Australia
    assert not found.inside[0]
    assert TABLE.regions[found.index[0]].code in {"CAU", "EAU", "SAU"}


def test_it_refuses_coordinates_that_are_not_on_earth():
    for lat, lon in ((91.0, 0.0), (float("nan"), 0.0), (0.0, float("inf"))):
        with pytest.raises(ValueError):
            regions.region_of(lat, lon)


def test_it_names_every_region_in_plain_words():
    assert set(regions.REGION_LABELS) == set(TABLE.codes) and len(TABLE.codes) == 58
    assert regions.region_label(TABLE.region("WCE")) == "Western and Central Europe"


@settings(max_examples=200, deadline=None)
@given(st.floats(-90, 90), st.floats(-540, 540))
def test_it_gives_every_point_on_earth_exactly_one_region(lat, lon):
    found = regions.region_of(lat, lon)
    assert 0 <= found.index[0] < len(TABLE.regions)
    # The same place written with another longitude lands in the same region.
    assert regions.region_of(lat, lon + 360).index[0] == found.index[0]


# --- the projection, as properties -------------------------------------------------------

temperatures = st.lists(st.floats(-60, 45, allow_nan=False), min_size=12, max_size=12)
precipitations = st.lists(st.floats(0, 1500, allow_nan=False), min_size=12, max_size=12)
region_index = st.integers(0, len(TABLE.regions) - 1)
level = st.floats(1.5, 4.0)


@settings(max_examples=200, deadline=None)
@given(temperatures, precipitations, region_index, level, level)
def test_it_never_cools_a_month_as_the_warming_level_rises(t, p, region, a, b):
    low, high = sorted((a, b))
    for quantile in warming.QUANTILES:
        at_low, _ = core.project([t], [p], [region], low, quantile=quantile)
        at_high, _ = core.project([t], [p], [region], high, quantile=quantile)
        assert np.all(at_high >= at_low - 1e-9)
    # At the median every region warms in every month (a few models cool a month or two
    # near Greenland at low levels: the 10th percentile may be slightly negative there).
    at_low, _ = core.project([t], [p], [region], low)
    assert np.all(at_low > np.array([t]))


@settings(max_examples=200, deadline=None)
@given(temperatures, precipitations, region_index, level)
def test_it_keeps_the_median_inside_the_models_range_and_precipitation_unchanged(t, p, region, lvl):
    median, rain = core.project([t], [p], [region], lvl)
    p10, rain10 = core.project([t], [p], [region], lvl, quantile="p10")
    p90, rain90 = core.project([t], [p], [region], lvl, quantile="p90")
    assert np.all(p10 <= median + 1e-9) and np.all(median <= p90 + 1e-9)
    for projected in (rain, rain10, rain90):
        np.testing.assert_array_equal(projected, np.array([p]))


@settings(max_examples=100, deadline=None)
@given(temperatures, precipitations)
def test_it_gives_todays_climate_for_zero_change(t, p):
    projected_t, projected_p = core.apply_change([t], [p], np.zeros((1, 12)))
    np.testing.assert_array_equal(projected_t, np.array([t]))
    np.testing.assert_array_equal(projected_p, np.array([p]))


def test_it_never_returns_negative_precipitation():
    _, rain = core.project([[10.0] * 12], [[-5.0] + [20.0] * 11], ["WCE"], 2.0)
    assert rain.min() == 0.0


def test_it_refuses_latitudes_where_regions_belong_and_unknown_regions():
    with pytest.raises(TypeError, match="region must be AR6 region indices or codes"):
        core.project([[10.0] * 12], [[50.0] * 12], np.array([51.2]), 3.0)
    with pytest.raises(ValueError, match="unknown AR6 region 'XXX'"):
        core.project([[10.0] * 12], [[50.0] * 12], ["XXX"], 3.0)
    with pytest.raises(ValueError, match="2 regions for 1 rows"):
        core.project([[10.0] * 12], [[50.0] * 12], ["WCE", "MED"], 3.0)
