"""Linking Wikidata items to directory cities (pure rule, no database) and the derived file."""

import json

import pytest

from cities.importers.wikidata import (
    LinksFileError,
    Outcome,
    PortalCity,
    WikidataItem,
    match_items,
    normalise_country,
    parse_links,
    read_links,
)


def city(geonames_id, name, *, population, lat=51.22, lon=6.78, country="DE", alternates=()):
    return PortalCity(
        geonames_id=geonames_id,
        name=name,
        ascii_name=name,
        alternate_names=tuple(alternates),
        country=country,
        population=population,
        latitude=lat,
        longitude=lon,
    )


def item(qid, *names, lat=51.22, lon=6.78, country="DE"):
    return WikidataItem(qid=qid, names=names, country=country, latitude=lat, longitude=lon)


DUSSELDORF = city(2934246, "Düsseldorf", population=620_000, alternates=("Duesseldorf",))


def test_it_links_an_item_by_folded_name_country_and_distance():
    result = match_items([item("Q1718", "Dusseldorf", lat=51.23, lon=6.79)], [DUSSELDORF])
    assert result.links == {"Q1718": 2934246}
    assert result.outcomes["Q1718"] == Outcome.MATCHED


def test_it_links_by_an_alternate_name():
    cologne = city(
        2886242, "Köln", population=960_000, lat=50.94, lon=6.96, alternates=("Cologne",)
    )
    result = match_items([item("Q365", "Cologne", lat=50.94, lon=6.96)], [cologne])
    assert result.links == {"Q365": 2886242}


def test_it_does_not_link_a_namesake_more_than_20_km_away():
    far = item("Q1", "Düsseldorf", lat=51.22 + 0.2, lon=6.78)  # about 22 km north
    result = match_items([far], [DUSSELDORF])
    assert result.links == {}
    assert result.outcomes["Q1"] == Outcome.NOT_FOUND


def test_it_never_links_by_coordinates_alone():
    neighbour = item("Q2", "Neuss", lat=51.20, lon=6.69)  # 7 km from Düsseldorf's centre
    result = match_items([neighbour], [DUSSELDORF])
    assert result.links == {}
    assert result.outcomes["Q2"] == Outcome.COORDINATES_ONLY


def test_it_reports_an_item_with_no_city_near_as_not_found():
    result = match_items([item("Q3", "Somewhere", lat=10.0, lon=10.0)], [DUSSELDORF])
    assert result.outcomes["Q3"] == Outcome.NOT_FOUND


def test_it_requires_the_same_country():
    result = match_items([item("Q4", "Düsseldorf", country="NL")], [DUSSELDORF])
    assert result.links == {}


def test_it_picks_the_most_populous_of_several_candidates():
    big = city(10, "Kansas City", population=475_000, lat=39.10, lon=-94.58, country="US")
    small = city(11, "Kansas City", population=152_000, lat=39.11, lon=-94.63, country="US")
    result = match_items(
        [item("Q5", "Kansas City", lat=39.11, lon=-94.63, country="US")], [big, small]
    )
    assert result.links == {"Q5": 10}


def test_a_tie_in_population_makes_the_item_ambiguous_and_unlinked():
    one = city(20, "Nanto", population=47_976, lat=36.56, lon=136.87, country="JP")
    two = city(21, "Nanto-shi", population=47_976, lat=36.57, lon=136.88, country="JP",
               alternates=("Nanto",))  # fmt: skip
    result = match_items([item("Q6", "Nanto", lat=36.56, lon=136.87, country="JP")], [one, two])
    assert result.links == {}
    assert result.outcomes["Q6"] == Outcome.AMBIGUOUS
    assert set(result.ambiguous["Q6"]) == {20, 21}


def test_one_city_goes_to_one_item_and_the_other_tries_its_next_candidate():
    delhi = city(1273294, "Delhi", population=10_900_000, lat=28.65, lon=77.23, country="IN",
                 alternates=("New Delhi",))  # fmt: skip
    new_delhi = city(1261481, "New Delhi", population=317_797, lat=28.64, lon=77.22, country="IN")
    items = [
        item("Q987", "New Delhi", lat=28.61, lon=77.21, country="IN"),
        item("Q1353", "Delhi", lat=28.66, lon=77.23, country="IN"),
    ]
    result = match_items(items, [delhi, new_delhi])
    assert result.links == {"Q1353": 1273294, "Q987": 1261481}
    # The order of the items does not change the outcome.
    assert match_items(items[::-1], [delhi, new_delhi]).links == result.links


def test_an_item_that_loses_its_only_candidate_is_contested_and_unlinked():
    tilburg = city(2746301, "Tilburg", population=221_947, lat=51.5555, lon=5.0913, country="NL")
    items = [
        item("Q9871", "Tilburg", lat=51.5572, lon=5.0911, country="NL"),  # the city, nearer
        item("Q26430", "Tilburg", lat=51.57, lon=5.07, country="NL"),  # the municipality
    ]
    result = match_items(items, [tilburg])
    assert result.links == {"Q9871": 2746301}
    assert result.outcomes["Q26430"] == Outcome.CONTESTED
    assert result.contested_for["Q26430"] == 2746301


@pytest.mark.parametrize(
    ("wikidata", "geonames"),
    [("CN-TW", "TW"), ("XK", "XK"), ("XC", "CY"), ("xs", "SO"), ("DE", "DE")],
)
def test_it_maps_wikidata_country_codes_to_geonames_ones(wikidata, geonames):
    assert normalise_country(wikidata) == geonames


def test_a_taiwanese_item_finds_its_city_once_the_country_is_mapped():
    taipei = city(1668341, "Taipei", population=7_871_900, lat=25.05, lon=121.53, country="TW")
    wikidata = item("Q1867", "Taipei", lat=25.04, lon=121.56, country=normalise_country("CN-TW"))
    assert match_items([wikidata], [taipei]).links == {"Q1867": 1668341}


def valid_file(**changes):
    data = {
        "format": 1,
        "cities": {"Q1718": 2934246, "Q270": 756135},
        "twinnings": [["Q270", "Q1718", "2026-04"]],
        "networks": [
            {
                "slug": "eurocities",
                "name": "Eurocities",
                "source": "Eurocities",
                "as_of": "2025-06",
                "members": [["Q1718", 2934246, "Düsseldorf"]],
            }
        ],
    }
    data.update(changes)
    return data


def test_it_reads_a_well_formed_file():
    links = parse_links(valid_file())
    assert links.cities["Q1718"] == 2934246
    assert links.twinnings[0].qid_a == "Q270"
    assert links.networks[0].members[0].geonames_id == 2934246


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"format": 2}, "Unsupported format"),
        ({"cities": [1, 2]}, '"cities" must map'),
        ({"cities": {"1718": 2934246}}, "bad entry"),
        ({"cities": {"Q1718": "2934246"}}, "bad entry"),
        ({"twinnings": "Q1-Q2"}, '"twinnings" must be a list'),
        ({"twinnings": [["Q1", "Q2"]]}, "bad row"),
        ({"networks": [{"slug": "x"}]}, "needs a slug, a name"),
    ],
)
def test_it_refuses_a_malformed_file_naming_the_problem(changes, message):
    with pytest.raises(LinksFileError, match=message):
        parse_links(valid_file(**changes))


def test_it_refuses_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "links.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(LinksFileError, match="not valid JSON"):
        read_links(path)
    with pytest.raises(LinksFileError, match="Cannot read"):
        read_links(tmp_path / "missing.json")


def test_the_committed_file_links_dusseldorf_to_its_wikidata_partners():
    links = read_links()
    assert links.cities["Q1718"] == 2934246  # Düsseldorf
    partners = {
        pair.qid_b if pair.qid_a == "Q1718" else pair.qid_a
        for pair in links.twinnings
        if "Q1718" in (pair.qid_a, pair.qid_b)
    }
    # Warsaw, Moscow, Palermo, Haifa, Chiba
    assert {"Q270", "Q649", "Q2656", "Q41621", "Q170616"} <= partners
    eurocities = {network.slug: network for network in links.networks}["eurocities"]
    assert len(eurocities.members) > 150
    assert ("Q1718", 2934246) in {(m.qid, m.geonames_id) for m in eurocities.members}
    assert json.dumps(links.provenance).count("CC0") >= 2
