"""The pure climate core: Köppen–Geiger rules, features, projection and standardisation.
No database."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cities.climate import chart, core, twins, warming

# Synthetic monthly normals (Jan..Dec) for each rule of Beck et al. (2018).
EQUATORIAL_T = [27.0] * 12
EVEN_RAIN = [200.0] * 12


def classify(t, p, lat=10.0):
    return str(core.koppen_classes(np.array([t]), np.array([p]), np.array([lat]))[0])


def test_it_classifies_the_polar_climates_by_the_warmest_month():
    assert classify([-30.0] * 12, [10.0] * 12, 80) == "EF"
    assert classify([-20.0] * 6 + [5.0] * 6, [30.0] * 12, 70) == "ET"


def test_it_classifies_a_hot_wet_climate_as_rainforest_and_a_dry_season_as_monsoon_or_savanna():
    assert classify(EQUATORIAL_T, EVEN_RAIN) == "Af"
    monsoon = [400.0] * 10 + [30.0, 30.0]  # one short dry season, 4,060 mm a year
    assert classify(EQUATORIAL_T, monsoon) == "Am"
    savanna = [250.0] * 5 + [5.0] * 7
    assert classify(EQUATORIAL_T, savanna) == "Aw"


def test_it_uses_the_arid_threshold_with_precipitation_seasonality():
    hot = [20.0, 22, 25, 28, 32, 35, 36, 36, 33, 29, 24, 21]
    assert classify(hot, [2.0] * 12, 25) == "BWh"
    # 300 mm a year, MAT 10.75 °C: semi-arid when rain is even (threshold 2×MAT+14 = 35.5,
    # arid below 10× = 355 mm, desert below 5× = 177.5 mm)…
    cool = [0.0, 2, 6, 10, 15, 19, 22, 21, 17, 11, 5, 1]
    assert classify(cool, [25.0] * 12, 40) == "BSk"
    # …but the same 300 mm falling in winter (> 70 %) lowers the threshold to 2×MAT: 215 mm.
    winter_rain = [50.0, 50, 45, 30, 5, 1, 1, 1, 2, 35, 40, 40]
    assert classify(cool, winter_rain, 40) != "BSk"


def test_it_tells_dry_summer_dry_winter_and_even_temperate_climates_apart():
    t = [8.0, 9, 11, 14, 18, 22, 25, 25, 22, 17, 12, 9]
    assert classify(t, [100.0, 90, 80, 60, 30, 10, 5, 10, 40, 90, 110, 110], 40) == "Csa"
    assert classify(t, [5.0, 5, 10, 40, 100, 200, 250, 230, 120, 40, 10, 5], 25) == "Cwa"
    assert classify(t, [80.0] * 12, 40) == "Cfa"
    cool = [3.0, 4, 7, 10, 13, 16, 18, 18, 15, 11, 7, 4]
    assert classify(cool, [70.0] * 12, 51) == "Cfb"
    assert classify([2.0, 2, 3, 5, 7, 9, 11, 10, 8, 6, 4, 3], [90.0] * 12, 62) == "Cfc"


def test_it_marks_very_cold_winters_as_d():
    yakutsk_like = [-42.0, -37, -23, -8, 6, 15, 19, 15, 6, -8, -29, -40]
    assert classify(yakutsk_like, [20.0, 15, 10, 15, 25, 35, 45, 40, 30, 25, 20, 20], 62) == "Dfd"
    moscow_like = [-7.0, -6, -1, 7, 13, 17, 20, 18, 12, 6, 0, -5]
    assert classify(moscow_like, [50.0, 40, 40, 40, 50, 80, 90, 80, 60, 60, 50, 50], 56) == "Dfb"


def test_it_classifies_the_southern_hemisphere_by_its_own_summer():
    t = np.array([[8.0, 9, 11, 14, 18, 22, 25, 25, 22, 17, 12, 9]])
    p = np.array([[100.0, 90, 80, 60, 30, 10, 5, 10, 40, 90, 110, 110]])
    north = core.koppen_classes(t, p, np.array([40.0]))[0]
    south = core.koppen_classes(np.roll(t, 6, axis=1), np.roll(p, 6, axis=1), np.array([-40.0]))
    assert north == south[0] == "Csa"


def test_it_describes_a_class_in_plain_words():
    assert core.koppen_meaning("Cfb") == "Oceanic: mild, no dry season, warm summer"
    assert core.koppen_meaning("BWh") == "Hot desert"


def random_climates(n=50, seed=1):
    rng = np.random.default_rng(seed)
    base = rng.uniform(-20, 28, size=(n, 1))
    amplitude = rng.uniform(0, 20, size=(n, 1))
    months = np.arange(12)
    t = base + amplitude * np.cos(2 * np.pi * (months - 6) / 12)
    p = rng.gamma(2.0, 40.0, size=(n, 12))
    lat = rng.uniform(-70, 70, size=n)
    return t, p, lat


def test_it_gives_the_same_features_for_the_same_climate_six_months_later():
    t, p, lat = random_climates()
    north = core.bioclim_features(t, p, lat)
    south = core.bioclim_features(np.roll(t, 6, axis=1), np.roll(p, 6, axis=1), -lat)
    np.testing.assert_allclose(north, south)


def test_it_computes_the_quarter_features_over_the_year_boundary():
    t = np.array([[10.0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 15]])  # warmest quarter Dec–Feb
    p = np.zeros((1, 12))
    features = dict(zip(core.FEATURE_NAMES, core.bioclim_features(t, p)[0], strict=True))
    assert features["warmest_quarter_temperature"] == pytest.approx(10.0)
    assert features["annual_temperature_range"] == pytest.approx(15.0)


def test_it_standardises_to_zero_mean_unit_spread_and_reuses_given_statistics():
    x = np.array([[1.0, 5.0], [3.0, 5.0], [5.0, 5.0]])
    z, mean, std = core.standardise(x)
    np.testing.assert_allclose(z.mean(axis=0), [0, 0])
    np.testing.assert_allclose(z[:, 0].std(), 1.0)
    assert np.all(np.isfinite(z))  # the constant column does not divide by zero
    z2, _, _ = core.standardise(x + 2, mean, std)
    np.testing.assert_allclose(z2[:, 0], z[:, 0] + 2 / std[0])


def test_it_warms_the_arctic_most_and_mediterranean_summers_more_than_winters():
    # AR6 WGI Atlas patterns, as the CMIP6 table gives them at +3 °C.
    t = np.zeros((3, 12))
    p = np.full((3, 12), 50.0)
    projected, _ = core.project(t, p, ["RAR", "WCE", "MED"], 3.0)
    annual = projected.mean(axis=1)
    world = warming.world_change(3.0)["median"]
    assert annual[0] > 2 * world  # Arctic amplification
    assert annual[1] > world and annual[2] > world  # land warms more than the global mean
    assert projected[2, 7] > projected[2, 0] + 0.5  # Mediterranean: August > January
    assert projected[0, 11] > projected[0, 6] + 2  # Russian Arctic: December > July


def test_it_knows_the_warming_levels_and_scenarios_by_what_users_type():
    assert core.scenario_for("3").global_warming_c == 3.0
    assert core.scenario_for("+2.5").key == "2.5"
    assert core.scenario_for("3,5 °C").key == "3.5"
    assert core.scenario_for("SSP245-2085").key == "ssp245-2085"
    assert core.scenario_for(None).key == core.DEFAULT_WARMING_KEY == "ssp245-2085"
    with pytest.raises(core.UnknownWarmingLevel) as error:
        core.scenario_for("2.7")  # the old default is no longer a choice: not in the table
    assert "ssp245-2050, ssp245-2085, ssp585-2050, ssp585-2085, 1.5, 2, 2.5, 3, 3.5, 4" in str(
        error.value
    )
    for bad in ("5", "hot", "ssp126-2050", "nan", "x" * 500):
        with pytest.raises(core.UnknownWarmingLevel):
            core.scenario_for(bad)


def test_it_labels_every_choice_with_its_level_first_for_the_matching_reasons():
    for scenario in core.WARMING_LEVELS.values():
        short = scenario.label.split("—")[0].split("≈")[0].strip()
        level = f"{scenario.global_warming_c:g}"
        assert short.startswith(f"+{level} °C"), scenario.label


def test_it_never_returns_the_query_or_excluded_cities_as_twins():
    t, p, lat = random_climates(30)
    space = twins.twin_space(t, p, lat, core.WARMING_LEVELS["ssp245-2085"], region=[17] * 30)
    allowed = np.ones(30, dtype=bool)
    allowed[[3, 4, 5]] = False
    for direction in (twins.FUTURE, twins.PAST):
        found = twins.find_twins(space, 0, direction=direction, top=30, candidates=allowed)
        indices = [m.index for m in found]
        assert 0 not in indices and not {3, 4, 5} & set(indices)
        assert len(indices) == 26
        distances = [m.distance for m in found]
        assert distances == sorted(distances)


def test_it_finds_the_city_whose_climate_today_is_the_projected_climate():
    t, p, lat = random_climates(20)
    region = np.full(20, 17)  # all in West & Central Europe
    scenario = core.WARMING_LEVELS["3"]
    # City 19 is city 0 in its future: same rain, the projected temperatures.
    t[19], p[19] = core.project(t[:1], p[:1], region[:1], 3.0)[0][0], p[0]
    space = twins.twin_space(t, p, lat, scenario, region=region)
    future = twins.find_twins(space, 0, direction=twins.FUTURE, top=1)[0]
    assert future.index == 19 and future.distance == pytest.approx(0, abs=1e-9)
    assert twins.find_twins(space, 19, direction=twins.PAST, top=1)[0].index == 0
    # The models' range around that perfect match: 0 at the median, more at either end.
    assert future.distance_low == pytest.approx(0, abs=1e-9)
    assert future.distance_high > 0.01


def test_it_explains_a_twin_with_the_numbers_of_the_distance_and_the_models_range():
    t, p, lat = random_climates(5)
    space = twins.twin_space(t, p, lat, core.WARMING_LEVELS["ssp585-2085"], region=[19] * 5)
    reasons = twins.reasons(space, 0, 1, query_name="A", match_name="B")
    k = core.FEATURE_NAMES.index("warmest_quarter_temperature")
    summer, spread = space.projected[0][k], space.spread([0])
    low, high = sorted((spread.low[0][k], spread.high[0][k]))
    assert reasons[0] == (
        f"Summers: A at +4 °C ≈ {summer:.1f} °C (models: {low:.1f} °C to {high:.1f} °C), "
        f"B today {space.present[1][k]:.1f} °C"
    )
    assert low < summer < high
    rain = reasons[2]
    assert rain.startswith("Annual precipitation: A at +4 °C ≈ ") and "models" not in rain
    assert len(reasons) == 4
    past = twins.reasons(space, 0, 1, query_name="A", match_name="B", direction=twins.PAST)
    assert past[0].startswith(f"Summers: A today {space.present[0][k]:.1f} °C, B at +4 °C ≈ ")


def test_it_formats_the_numbers_of_a_reason_with_the_given_number_format():
    t, p, lat = random_climates(3)
    space = twins.twin_space(t, p, lat, core.WARMING_LEVELS["2.5"], region=[17] * 3)
    german = twins.reasons(
        space,
        0,
        1,
        query_name="A",
        match_name="B",
        number=lambda v, d: f"{v:.{d}f}".replace(".", ","),
    )
    assert german[0].startswith("Summers: A at +2,5 °C ≈ ") and "." not in german[0]


def test_it_draws_the_chart_inside_its_plot_area():
    drawn = chart.climate_chart(
        {"present": [-5.0, 0, 5, 10, 15, 20, 25, 20, 15, 10, 5, 0]}, [0, 10, 300] + [50] * 9
    )
    ys = [y for _, y, _ in drawn.lines[0].dots]
    assert min(ys) >= drawn.plot_top and max(ys) <= drawn.plot_bottom
    assert drawn.zero_y is not None
    assert drawn.bars[2]["height"] > drawn.bars[1]["height"] > drawn.bars[0]["height"] == 0


monthly_temperature = st.lists(
    st.floats(min_value=-60, max_value=45, allow_nan=False), min_size=12, max_size=12
)
monthly_precipitation = st.lists(
    st.floats(min_value=0, max_value=1500, allow_nan=False), min_size=12, max_size=12
)


@settings(max_examples=300, deadline=None)
@given(monthly_temperature, monthly_precipitation, st.floats(min_value=-90, max_value=90))
def test_it_always_gives_one_of_the_defined_classes_and_the_same_one_six_months_later(t, p, lat):
    code = str(core.koppen_classes(np.array([t]), np.array([p]), np.array([lat]))[0])
    assert code in core.KOPPEN_CLASS_CODES
    shifted = core.koppen_classes(
        np.roll([t], 6, axis=1), np.roll([p], 6, axis=1), np.array([-lat])
    )[0]
    assert shifted == code or np.isclose(np.mean(t[3:9]), np.mean(t[:3] + t[9:]))
