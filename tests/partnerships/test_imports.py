"""import_partnerships: the world's twinnings from Wikidata, idempotent and respectful of what
cities and curators reviewed. Runs on SQLite and PostgreSQL (DATABASE_URL)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cities.importers.wikidata import parse_links
from cities.importers.wikidata_load import city_wikidata_ids_assign
from partnerships.imports import SkipReason, partnerships_import
from partnerships.models import (
    Partnership,
    PartnershipConfirmation,
    PartnershipEvent,
    PartnershipEventKind,
    PartnershipSource,
    PartnershipStatus,
)
from tests.cities.factories import CityFactory

from .factories import PartnershipFactory

pytestmark = pytest.mark.django_db

# Wikidata items of the test cities (the real Q-ids, for readability).
DUSSELDORF, WARSAW, HAIFA, PALERMO, CHIBA = "Q1718", "Q270", "Q41621", "Q2656", "Q170616"


@pytest.fixture
def cities():
    return {
        DUSSELDORF: CityFactory(name="Düsseldorf", slug="dusseldorf", wikidata_id=DUSSELDORF),
        WARSAW: CityFactory(name="Warsaw", slug="warsaw", country="PL", wikidata_id=WARSAW),
        HAIFA: CityFactory(name="Haifa", slug="haifa", country="IL", wikidata_id=HAIFA),
        PALERMO: CityFactory(name="Palermo", slug="palermo", country="IT", wikidata_id=PALERMO),
        CHIBA: CityFactory(name="Chiba", slug="chiba", country="JP", wikidata_id=CHIBA),
    }


def links(*pairs, as_of="2026-04", cities_map=None):
    return parse_links(
        {
            "format": 1,
            "cities": cities_map or {},
            "twinnings": [[a, b, as_of] for a, b in pairs],
            "networks": [],
        }
    )


DUSSELDORF_PAIRS = [(DUSSELDORF, WARSAW), (HAIFA, DUSSELDORF), (DUSSELDORF, PALERMO)]


def pair(first, second) -> Partnership:
    a, b = Partnership.ordered_pair(first, second)
    return Partnership.objects.get(city_a=a, city_b=b)


def test_it_creates_unconfirmed_twinnings_labelled_with_wikidata_and_both_items(cities):
    result = partnerships_import(links=links(*DUSSELDORF_PAIRS))

    assert (result.created, result.updated, result.unchanged, result.skipped_total) == (3, 0, 0, 0)
    row = pair(cities[DUSSELDORF], cities[HAIFA])
    assert row.kind == "twinning"
    assert row.source == PartnershipSource.IMPORTED
    assert row.provenance == "Wikidata"
    assert row.source_as_of == "2026-04"
    assert row.status == PartnershipStatus.UNKNOWN  # nobody said it is alive
    assert row.confirmation == PartnershipConfirmation.UNCONFIRMED
    assert row.since is None
    # The items belong to the cities in the row's order, whatever the file's order.
    assert {row.city_a.wikidata_id: row.wikidata_a, row.city_b.wikidata_id: row.wikidata_b} == {
        DUSSELDORF: DUSSELDORF,
        HAIFA: HAIFA,
    }


def test_a_rerun_changes_nothing_and_duplicates_nothing(cities):
    partnerships_import(links=links(*DUSSELDORF_PAIRS))
    before = sorted(Partnership.objects.values_list("pk", "updated_at"))

    result = partnerships_import(links=links(*DUSSELDORF_PAIRS))

    assert (result.created, result.updated, result.unchanged, result.flagged) == (0, 0, 3, 0)
    assert sorted(Partnership.objects.values_list("pk", "updated_at")) == before


def test_a_rerun_updates_what_the_import_owns(cities):
    partnerships_import(links=links(*DUSSELDORF_PAIRS))

    result = partnerships_import(links=links(*DUSSELDORF_PAIRS, as_of="2026-10"))

    assert (result.created, result.updated) == (0, 3)
    assert set(Partnership.objects.values_list("source_as_of", flat=True)) == {"2026-10"}


def test_confirmed_corrected_ended_and_rejected_rows_survive_a_reimport(cities):
    partnerships_import(links=links(*DUSSELDORF_PAIRS))
    warsaw = pair(cities[DUSSELDORF], cities[WARSAW])
    haifa = pair(cities[DUSSELDORF], cities[HAIFA])
    palermo = pair(cities[DUSSELDORF], cities[PALERMO])
    # What the review services do (tests/partnerships/test_review.py goes through them).
    Partnership.objects.filter(pk=warsaw.pk).update(
        confirmation=PartnershipConfirmation.CITY, status="active", kind="friendship"
    )
    Partnership.objects.filter(pk=haifa.pk).update(
        confirmation=PartnershipConfirmation.CURATOR, status="ended"
    )
    Partnership.objects.filter(pk=palermo.pk).update(confirmation=PartnershipConfirmation.REJECTED)
    before = sorted(Partnership.objects.values_list("pk", "kind", "status", "confirmation"))

    result = partnerships_import(links=links(*DUSSELDORF_PAIRS, as_of="2026-10"))

    assert (result.created, result.updated, result.reviewed_kept) == (0, 0, 3)
    # Nothing changed, and the rejected pair was not brought back as a new row.
    after = sorted(Partnership.objects.values_list("pk", "kind", "status", "confirmation"))
    assert after == before
    assert Partnership.objects.count() == 3


def test_a_pair_gone_from_the_source_is_flagged_once_not_deleted(cities):
    partnerships_import(links=links(*DUSSELDORF_PAIRS))

    result = partnerships_import(links=links(*DUSSELDORF_PAIRS[:2]))

    assert result.flagged == 1
    palermo = pair(cities[DUSSELDORF], cities[PALERMO])
    assert palermo.missing_upstream_since is not None
    assert palermo.events.get().kind == PartnershipEventKind.FLAGGED
    # Flagged once: the next run leaves it (and its date) as it is.
    again = partnerships_import(links=links(*DUSSELDORF_PAIRS[:2]))
    assert (again.flagged, again.unchanged) == (0, 3)
    assert pair(cities[DUSSELDORF], cities[PALERMO]).missing_upstream_since == (
        palermo.missing_upstream_since
    )
    # Back in the source: unflagged, and the history says so.
    back = partnerships_import(links=links(*DUSSELDORF_PAIRS))
    assert back.updated == 1
    assert pair(cities[DUSSELDORF], cities[PALERMO]).missing_upstream_since is None
    assert set(palermo.events.values_list("kind", flat=True)) == {"flagged", "returned"}


def test_a_confirmed_pair_gone_from_the_source_is_not_flagged(cities):
    partnerships_import(links=links(*DUSSELDORF_PAIRS))
    palermo = pair(cities[DUSSELDORF], cities[PALERMO])
    Partnership.objects.filter(pk=palermo.pk).update(
        confirmation=PartnershipConfirmation.CITY, status="active"
    )

    result = partnerships_import(links=links(*DUSSELDORF_PAIRS[:2]))

    assert result.flagged == 0
    assert pair(cities[DUSSELDORF], cities[PALERMO]).missing_upstream_since is None


def test_bad_rows_are_skipped_and_counted(cities):
    CityFactory(name="Chiba (hand-made)", wikidata_id=CHIBA)  # a second city claims Q170616
    rows = [
        (DUSSELDORF, WARSAW),
        (WARSAW, DUSSELDORF),  # reversed duplicate
        (DUSSELDORF, WARSAW),  # plain duplicate
        (HAIFA, HAIFA),  # self-pair
        (DUSSELDORF, "Q99999999"),  # no directory city carries it
        (DUSSELDORF, CHIBA),  # two directory cities carry it
        (DUSSELDORF, "Warsaw"),  # not a Q-id
    ]

    result = partnerships_import(links=links(*rows))

    assert result.created == 1
    assert result.skipped == {
        SkipReason.DUPLICATE: 2,
        SkipReason.SELF_PAIR: 1,
        SkipReason.UNKNOWN: 1,
        SkipReason.AMBIGUOUS: 1,
        SkipReason.MALFORMED: 1,
    }
    assert Partnership.objects.count() == 1
    summary = result.summary()
    assert "6 skipped" in summary and "1 self-pair" in summary and "2 duplicate" in summary


def test_an_ambiguous_pair_that_was_imported_before_is_not_flagged_as_gone(cities):
    partnerships_import(links=links((DUSSELDORF, CHIBA)))
    CityFactory(name="Chiba (hand-made)", wikidata_id=CHIBA)

    result = partnerships_import(links=links((DUSSELDORF, CHIBA)))

    assert result.skipped == {SkipReason.AMBIGUOUS: 1}
    assert result.flagged == 0


def test_a_pair_the_cities_recorded_themselves_gets_no_imported_row_beside_it(cities):
    PartnershipFactory(
        first=cities[DUSSELDORF], second=cities[WARSAW], kind="friendship", source="request"
    )

    result = partnerships_import(links=links((DUSSELDORF, WARSAW)))

    assert (result.created, result.already_recorded) == (0, 1)
    assert Partnership.objects.count() == 1


def test_wikidata_ids_are_filled_where_empty_and_kept_where_a_person_set_another():
    dusseldorf = CityFactory(name="Düsseldorf", geonames_id=2934246)
    warsaw = CityFactory(name="Warsaw", geonames_id=756135, wikidata_id="Q999")
    mapping = {DUSSELDORF: 2934246, WARSAW: 756135, HAIFA: 294801}

    result = city_wikidata_ids_assign(links=links(cities_map=mapping))

    assert (result.assigned, result.kept_different, result.not_in_directory) == (1, 1, 1)
    dusseldorf.refresh_from_db()
    warsaw.refresh_from_db()
    assert (dusseldorf.wikidata_id, warsaw.wikidata_id) == (DUSSELDORF, "Q999")
    again = city_wikidata_ids_assign(links=links(cities_map=mapping))
    assert (again.assigned, again.unchanged) == (0, 1)


def write_file(tmp_path, data) -> str:
    path = tmp_path / "links.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


def test_the_command_reports_its_counts(cities, tmp_path):
    CityFactory(name="Kafue", geonames_id=915883)
    data = {
        "format": 1,
        "cities": {"Q1024394": 915883},
        "twinnings": [[a, b, "2026-04"] for a, b in DUSSELDORF_PAIRS] + [["Q1718", "Q1718", "x"]],
        "networks": [],
    }
    out = StringIO()
    call_command("import_partnerships", file=write_file(tmp_path, data), stdout=out)
    text = out.getvalue()
    assert "Wikidata ids: 1 assigned" in text
    assert "3 created, 0 updated, 0 unchanged, 0 flagged" in text
    assert "1 skipped (1 self-pair)" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ({"format": 1, "cities": {}, "twinnings": [["Q1", "Q2"]]}, "bad row"),
        ([1, 2, 3], "JSON object"),
    ],
)
def test_the_command_refuses_a_broken_file_and_writes_nothing(cities, tmp_path, content, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_partnerships", file=write_file(tmp_path, content), stdout=StringIO())
    assert not Partnership.objects.exists()


def test_the_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_partnerships", file=str(tmp_path / "nope.json"), stdout=StringIO())


def test_the_committed_file_imports_dusseldorfs_partners_by_geonames_id():
    """The derived file's Q-ids and GeoNames ids fit together (no database cities needed
    beyond the six made here with their real GeoNames ids)."""
    real = {
        2934246: "Düsseldorf",
        756135: "Warsaw",
        294801: "Haifa",
        2523920: "Palermo",
        524901: "Moscow",
        2113015: "Chiba",
    }
    made = {gid: CityFactory(name=name, geonames_id=gid) for gid, name in real.items()}

    call_command("import_partnerships", stdout=StringIO())

    dusseldorf = made[2934246]
    partners = {p.other(dusseldorf).name for p in Partnership.objects.involving(dusseldorf)}
    assert partners == {"Warsaw", "Haifa", "Palermo", "Moscow", "Chiba"}
    assert not PartnershipEvent.objects.exists()
