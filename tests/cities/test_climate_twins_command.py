"""``manage.py climate_twins``: text and JSON output, candidate files and clear errors."""

import json

import pytest
from django.core.management import CommandError, call_command

from cities.climate import selectors, services

from .factories import CityFactory


@pytest.fixture(autouse=True)
def _fresh_climate_cache():
    selectors.clear_cache()
    yield
    selectors.clear_cache()


@pytest.fixture
def cities(db):
    made = {
        slug: CityFactory(
            name=name, slug=slug, geonames_id=gid, latitude=lat, longitude=lon, population=pop
        )
        for slug, name, gid, lat, lon, pop in [
            ("dusseldorf", "Düsseldorf", 2934246, 51.22, 6.78, 620_000),
            ("toulouse", "Toulouse", 2972315, 43.60, 1.44, 510_000),
            ("tunis", "Tunis", 2464470, 36.82, 10.17, 690_000),
            ("london", "London", 2643743, 51.51, -0.13, 8_900_000),
            ("moscow", "Moscow", 524901, 55.75, 37.62, 12_000_000),
            ("singapore", "Singapore", 1880252, 1.29, 103.85, 5_600_000),
            ("bordeaux", "Bordeaux", 3031582, 44.84, -0.58, 260_000),
            ("small-town", "Small Town", 1, 44.0, 1.5, 20_000),
        ]
    }
    CityFactory(name="Unplaced", slug="unplaced", latitude=None, longitude=None)
    services.climate_assign_missing()
    return made


def run(*args):
    import io

    out = io.StringIO()
    call_command("climate_twins", *args, stdout=out)
    return out.getvalue()


def test_it_prints_both_twin_lists_with_reasons_and_the_models_range(cities):
    out = run("dusseldorf", "--warming", "3.5", "--top", "3")
    assert "Düsseldorf (DE) — +3.5 °C global warming" in out
    assert "IPCC AR6 region: Western and Central Europe (WCE)" in out
    assert "Cities whose climate today is its future:" in out
    assert "Cities whose future is its climate today:" in out
    assert "Summers: Düsseldorf at +3.5 °C ≈" in out and "(models: " in out


@pytest.mark.parametrize(
    ("warming", "level"),
    [("1.5", 1.5), ("2", 2.0), ("2.5", 2.5), ("+3", 3.0), ("3.5", 3.5), ("4", 4.0)],
)
def test_it_accepts_every_half_degree_from_one_and_a_half_to_four(cities, warming, level):
    data = json.loads(run("dusseldorf", "--warming", warming, "--json", "--top", "2"))
    assert data[0]["global_warming_c"] == level
    assert len(data[0]["future_twins"]) == 2


def test_it_accepts_scenario_names(cities):
    data = json.loads(run("dusseldorf", "--warming", "ssp585-2085", "--json", "--top", "3"))
    entry = data[0]
    assert entry["warming"] == "ssp585-2085" and entry["global_warming_c"] == 4.0
    assert entry["scenario"].startswith("+4 °C or more ≈ SSP5-8.5")
    assert entry["region"]["code"] == "WCE" and entry["region"]["is_ocean"] is False
    twin = entry["future_twins"][0]
    assert twin["distance_low"] <= twin["distance"] <= twin["distance_high"]
    mid = json.loads(run("dusseldorf", "--warming", "SSP245-2050", "--json"))[0]
    assert mid["warming"] == "ssp245-2050" and mid["global_warming_c"] == 2.2


def test_it_answers_in_json_for_several_cities_by_slug_or_geonames_id(cities):
    data = json.loads(run("dusseldorf", "2972315", "--warming", "3.5", "--json", "--top", "5"))
    assert [entry["slug"] for entry in data] == ["dusseldorf", "toulouse"]
    twins = data[0]["future_twins"]
    assert len(twins) == 5
    assert set(twins[0]) >= {"name", "country", "geonames_id", "distance", "reasons", "rank"}
    assert [t["distance"] for t in twins] == sorted(t["distance"] for t in twins)
    assert "dusseldorf" not in [t["slug"] for t in twins]
    assert twins[0]["name"] in {"Toulouse", "Bordeaux", "Small Town"}


def test_it_restricts_candidates_to_a_file_of_geonames_ids(cities, tmp_path):
    members = tmp_path / "members.txt"
    members.write_text("# network members\n2643743\n\n524901\n1880252\n", encoding="utf-8")
    data = json.loads(run("dusseldorf", "--among-file", str(members), "--json"))
    names = {t["name"] for t in data[0]["future_twins"] + data[0]["past_twins"]}
    assert names == {"London", "Moscow", "Singapore"}


def test_it_restricts_candidates_by_population(cities):
    data = json.loads(run("toulouse", "--min-population", "100000", "--json", "--top", "10"))
    assert "Small Town" not in {t["name"] for t in data[0]["past_twins"]}


def test_it_names_a_bad_line_of_the_candidate_file(cities, tmp_path):
    members = tmp_path / "members.txt"
    members.write_text("2643743\nToulouse\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"line 2: 'Toulouse' is not a GeoNames id"):
        run("dusseldorf", "--among-file", str(members))
    with pytest.raises(CommandError, match="Cannot read"):
        run("dusseldorf", "--among-file", str(tmp_path / "missing.txt"))


def test_it_names_an_unknown_city(cities):
    with pytest.raises(CommandError, match="Unknown city 'atlantis'"):
        run("dusseldorf", "atlantis")


@pytest.mark.parametrize("warming", ["7", "2.7", "ssp370-2085", "hot"])
def test_it_lists_the_valid_warming_levels_and_scenarios_for_an_unknown_one(cities, warming):
    valid = r"choose one of: ssp245-2050, ssp245-2085, ssp585-2050, ssp585-2085, 1.5, 2, 2.5, "
    with pytest.raises(CommandError, match=valid):
        run("dusseldorf", "--warming", warming)


def test_it_says_when_a_city_has_no_climate(cities):
    assert "No climate data" in run("unplaced")
    data = json.loads(run("unplaced", "--json"))
    assert data[0]["has_climate"] is False and data[0]["future_twins"] == []
