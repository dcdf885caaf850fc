"""manage.py funding_eligibility and import_funding_programmes."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from partnerships.models import FundingProgramme

from ...cities.factories import CityFactory
from ..factories import PartnershipFactory

SEED = Path(__file__).resolve().parents[3] / "partnerships" / "funding" / "data" / "programmes.json"


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def pair(db):
    run("import_funding_programmes", str(SEED))
    kassel = CityFactory(name="Kassel", slug="kassel", country="DE", geonames_id=2892518)
    kafue = CityFactory(name="Kafue", slug="kafue", country="ZM")
    PartnershipFactory(first=kassel, second=kafue, kind="climate")
    return kassel, kafue


def test_it_prints_every_programme_with_its_verdict_as_json(pair):
    rows = json.loads(run("funding_eligibility", "kassel", "kafue", "--json"))

    by_slug = {row["slug"]: row for row in rows}
    assert len(rows) == FundingProgramme.objects.count()
    assert set(rows[0]) >= {"name", "slug", "eligible", "reasons"}
    assert by_slug["nakopa"]["eligible"] is True
    assert by_slug["eui-city-to-city-exchanges"]["eligible"] is False
    assert (
        "Zambia is not a member state of the European Union."
        in (by_slug["eui-city-to-city-exchanges"]["reasons"])
    )
    assert all(isinstance(reason, str) for row in rows for reason in row["reasons"])


def test_it_answers_null_for_unknown(db):
    run("import_funding_programmes", str(SEED))
    CityFactory(slug="kassel", country="DE")
    CityFactory(slug="pristina", name="Pristina", country="XK")

    rows = json.loads(run("funding_eligibility", "kassel", "pristina", "--json"))

    assert {row["slug"]: row["eligible"] for row in rows}["kleinprojektefonds"] is None


def test_it_accepts_a_geonames_id_and_prints_sentences(pair):
    text = run("funding_eligibility", "2892518", "kafue")

    assert (
        "Nakopa – Partnership Projects for Sustainable Local Development [nakopa]: eligible" in text
    )
    assert "  - Kassel would apply, with Kafue as partner." in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("atlantis", "kafue"), "Unknown city 'atlantis'"),
        (("kassel", "999999999"), "Unknown city '999999999'"),
        (("kassel", "kassel"), "two different cities"),
    ],
)
def test_it_refuses_unknown_or_identical_cities(pair, args, message):
    with pytest.raises(CommandError, match=message):
        run("funding_eligibility", *args)


def test_the_import_reports_what_it_did_and_refuses_bad_files(db, tmp_path):
    first = run("import_funding_programmes", str(SEED))
    again = run("import_funding_programmes", str(SEED))
    broken = tmp_path / "broken.json"
    broken.write_text('{"programmes": [{"slug": "x", "rules": {"partner_groups": ["mars"]}}]}')

    with pytest.raises(CommandError, match="Nothing was imported") as caught:
        run("import_funding_programmes", str(broken))

    assert first.startswith(f"{FundingProgramme.objects.count()} created")
    assert "0 created, 0 updated" in again
    assert "Unknown country group: mars" in str(caught.value)
    assert not FundingProgramme.objects.filter(slug="x").exists()


def test_the_import_names_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_funding_programmes", str(tmp_path / "missing.json"))
