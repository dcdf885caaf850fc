"""Assigning climate normals to cities: in bulk, by command, and for one edited city."""

import pytest
from django.core.management import call_command

from cities.climate import core, selectors, services, warming
from cities.models import CityClimate

from .factories import CityFactory


@pytest.fixture(autouse=True)
def _fresh_climate_cache():
    selectors.clear_cache()
    yield
    selectors.clear_cache()


@pytest.mark.django_db
def test_it_assigns_normals_and_a_koppen_class_to_every_city_with_coordinates():
    london = CityFactory(name="London", latitude=51.51, longitude=-0.13)
    rome = CityFactory(name="Rome", latitude=41.89, longitude=12.48)
    nowhere = CityFactory(name="Unplaced", latitude=None, longitude=None)
    result = services.climate_assign_missing()
    assert result.assigned == 2
    assert london.climate.koppen == "Cfb" and rome.climate.koppen == "Csa"
    assert len(london.climate.temperature_c) == 12 and len(london.climate.precipitation_mm) == 12
    assert not CityClimate.objects.filter(city=nowhere).exists()


@pytest.mark.django_db
def test_it_is_idempotent_and_only_touches_what_changed():
    city = CityFactory(latitude=51.22, longitude=6.78)
    first = services.climate_assign_missing()
    assert first.assigned == 1
    assert services.climate_assign_missing().assigned == 0
    city.latitude, city.longitude = 43.60, 1.44  # moved to Toulouse
    city.save()
    assert services.climate_assign_missing().assigned == 1
    city.refresh_from_db()
    assert city.climate.koppen == "Cfa"
    assert services.climate_assign_missing(reassign_all=True).assigned == 1
    assert CityClimate.objects.count() == 1


@pytest.mark.django_db
def test_it_removes_the_climate_of_a_city_that_lost_its_coordinates():
    city = CityFactory(latitude=51.22, longitude=6.78)
    services.climate_assign_missing()
    city.latitude = city.longitude = None
    city.save()
    assert services.climate_assign_missing().removed == 1
    assert not CityClimate.objects.exists()


@pytest.mark.django_db
def test_it_reports_cities_out_of_reach_of_the_dataset():
    lost = CityFactory(latitude=0.0, longitude=-140.0)  # mid-Pacific
    result = services.climate_assign_missing()
    assert result.not_covered == [lost.pk]
    assert not CityClimate.objects.exists()


@pytest.mark.django_db
def test_it_reassigns_one_city_added_by_hand_or_moved():
    city = CityFactory(latitude=55.75, longitude=37.62)
    climate = services.city_climate_assign(city=city)
    assert climate.koppen == "Dfb"
    city.latitude, city.longitude = 1.29, 103.85
    assert services.city_climate_assign(city=city).koppen == "Af"
    assert CityClimate.objects.count() == 1
    city.latitude = None
    assert services.city_climate_assign(city=city) is None
    assert not CityClimate.objects.exists()


@pytest.mark.django_db
def test_it_assigns_by_command_and_says_how_many(capsys):
    CityFactory(latitude=51.51, longitude=-0.13)
    call_command("assign_climate")
    assert "1 cities assigned" in capsys.readouterr().out
    call_command("assign_climate")
    assert "0 cities assigned" in capsys.readouterr().out
    call_command("assign_climate", "--all")
    assert "1 cities assigned" in capsys.readouterr().out


@pytest.mark.django_db
def test_it_loads_demo_climate_for_cities_lacking_it():
    import io

    CityFactory(latitude=51.51, longitude=-0.13)
    out = io.StringIO()
    services.demo_load(stdout=out)
    assert "1 cities assigned" in out.getvalue()
    assert CityClimate.objects.count() == 1


@pytest.mark.django_db
def test_it_serves_the_arrays_matching_uses():
    a = CityFactory(latitude=51.51, longitude=-0.13)
    b = CityFactory(latitude=41.89, longitude=12.48)
    CityFactory(latitude=None, longitude=None)
    services.climate_assign_missing()
    arrays = selectors.climate_arrays()
    assert list(arrays.city_ids) == sorted([a.pk, b.pk])
    assert arrays.temperature.shape == (2, 12) and arrays.precipitation.shape == (2, 12)
    assert list(arrays.latitude) == [51.51, 41.89] if a.pk < b.pk else [41.89, 51.51]
    assert list(selectors.climate_arrays([b.pk]).city_ids) == [b.pk]
    # Each row's IPCC region comes from its coordinates: London lies in Northern Europe,
    # Rome in the Mediterranean.
    codes = [warming.load_table().regions[i].code for i in arrays.region]
    assert codes == (["NEU", "MED"] if a.pk < b.pk else ["MED", "NEU"])


@pytest.mark.django_db
def test_it_gives_a_city_added_by_hand_its_region_and_projection(
    settings, django_capture_on_commit_callbacks
):
    settings.CLIMATE_ARRAYS_RECHECK_SECONDS = 60
    CityFactory(latitude=51.22, longitude=6.78)
    services.climate_assign_missing()
    selectors.climate_arrays()
    added = CityFactory(name="Handmade", latitude=21.31, longitude=-157.86)  # Honolulu
    with django_capture_on_commit_callbacks(execute=True):
        services.city_climate_assign(city=added)
    added.refresh_from_db()
    assert selectors.city_climate_region(added)["code"] == "NPO"
    projection = selectors.city_climate_projection(
        added, scenario=core.WARMING_LEVELS["ssp245-2085"]
    )
    january = projection["months"][0]
    assert january["change_low_c"] <= january["change_c"] <= january["change_high_c"]
    assert january["temperature_projected_c"] == pytest.approx(
        january["temperature_today_c"] + january["change_c"], abs=0.06
    )
    assert january["precipitation_projected_mm"] == january["precipitation_today_mm"]


@pytest.mark.django_db
@pytest.mark.parametrize("overfetch", [(4, 10), (0, 1)])
def test_it_ranks_filtered_twins_as_if_only_the_allowed_cities_existed(monkeypatch, overfetch):
    from cities.climate import core, twins

    monkeypatch.setattr(selectors, "OVERFETCH_FACTOR", overfetch[0])
    monkeypatch.setattr(selectors, "OVERFETCH_EXTRA", overfetch[1])
    query = CityFactory(name="Düsseldorf", latitude=51.22, longitude=6.78, population=600_000)
    places = [
        (43.60, 1.44, 500_000, True),  # Toulouse
        (44.84, -0.58, 20_000, True),  # Bordeaux-sized town, too small
        (45.76, 4.84, 500_000, False),  # Lyon, unpublished
        (41.89, 12.48, 2_800_000, True),  # Rome
        (55.75, 37.62, 12_000_000, True),  # Moscow
        (47.21, -1.55, 300_000, True),  # Nantes
    ]
    made = [
        CityFactory(latitude=lat, longitude=lon, population=pop, is_published=published)
        for lat, lon, pop, published in places
    ]
    services.climate_assign_missing()
    found = selectors.city_climate_twins(
        query, scenario=core.WARMING_LEVELS["3.5"], top=3, min_population=100_000
    )
    allowed = {made[i].pk for i in (0, 3, 4, 5)}
    assert len(found) == 3 and {t.city.pk for t in found} <= allowed
    # The same order as ranking over everyone and dropping the cities that are not allowed.
    arrays, space = selectors.climate_twin_space(core.WARMING_LEVELS["3.5"])
    everyone = twins.find_twins(space, arrays.index_of(query.pk), top=10)
    expected = [int(arrays.city_ids[m.index]) for m in everyone]
    assert [t.city.pk for t in found] == [cid for cid in expected if cid in allowed][:3]


@pytest.mark.django_db
def test_it_serves_cached_arrays_without_a_query_between_checks(
    settings, django_assert_num_queries
):
    settings.CLIMATE_ARRAYS_RECHECK_SECONDS = 60
    CityFactory(latitude=51.22, longitude=6.78)
    services.climate_assign_missing()
    assert len(selectors.climate_arrays()) == 1

    with django_assert_num_queries(0):
        assert len(selectors.climate_arrays()) == 1


@pytest.mark.django_db
def test_it_shows_a_city_added_in_this_process_at_once_despite_the_cache(
    settings, django_capture_on_commit_callbacks
):
    settings.CLIMATE_ARRAYS_RECHECK_SECONDS = 60
    CityFactory(latitude=51.22, longitude=6.78)
    services.climate_assign_missing()
    assert len(selectors.climate_arrays()) == 1

    added = CityFactory(latitude=43.60, longitude=1.44)
    with django_capture_on_commit_callbacks(execute=True):
        services.city_climate_assign(city=added)

    assert added.pk in selectors.climate_arrays().city_ids


def test_it_lists_every_choice_for_the_api_with_the_default_marked():
    choices = selectors.scenario_choices()
    assert [c["key"] for c in choices] == list(core.WARMING_LEVELS)
    assert [c["key"] for c in choices if c["default"]] == ["ssp245-2085"]
    ssp585 = next(c for c in choices if c["key"] == "ssp585-2085")
    assert ssp585 == {
        "key": "ssp585-2085",
        "kind": "scenario",
        "global_warming_c": 4.0,
        "at_least": True,
        "experiment": "ssp585",
        "year": 2085,
        "label": "+4 °C or more ≈ SSP5-8.5 (very high emissions) around 2085",
        "default": False,
    }


@pytest.mark.django_db
def test_it_gives_twins_as_plain_data_with_the_models_range():
    query = CityFactory(name="Düsseldorf", latitude=51.22, longitude=6.78)
    for lat, lon in ((43.60, 1.44), (44.84, -0.58), (55.75, 37.62)):
        CityFactory(latitude=lat, longitude=lon)
    services.climate_assign_missing()
    data = selectors.city_climate_twins_data(
        query, scenario=core.WARMING_LEVELS["ssp585-2085"], top=2
    )
    assert [t["rank"] for t in data] == [1, 2]
    for twin in data:
        assert twin["distance_low"] <= twin["distance"] <= twin["distance_high"]
        assert twin["reasons"][0].startswith("Summers: Düsseldorf at +4 °C ≈ ")
    unplaced = CityFactory(latitude=None, longitude=None)
    assert selectors.city_climate_region(unplaced) is None
    assert selectors.city_climate_projection(unplaced, scenario=core.WARMING_LEVELS["2"]) is None
