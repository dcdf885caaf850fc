"""The sample profiles' data files: a bad file stops the step with an error naming the file
and the entry, and nothing of the step is written."""

import json
import shutil
from io import StringIO

import pytest
from django.utils.text import slugify

from cities import demo
from cities.datafile import DataFileError
from cities.models import Challenge, City, Initiative, Membership, Official, Organisation

from .factories import CityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A copy of the demo data files that a test may spoil, in place of the real ones."""
    copy = tmp_path / "demo"
    shutil.copytree(demo.DATA_DIR, copy)
    monkeypatch.setattr(demo, "PROFILES_DIR", copy / "profiles")
    monkeypatch.setattr(demo, "ORGANISATIONS_FILE", copy / "organisations.json")
    return copy


@pytest.fixture
def sample_cities(db):
    """The sample cities as the GeoNames import would have left them: not yet samples."""
    for sample in demo.read_sample_cities():
        CityFactory(geonames_id=sample.geonames_id, name=sample.name, slug=slugify(sample.name))


def edit(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def load_refused() -> str:
    with pytest.raises(DataFileError) as refused:
        demo.load_sample_profiles(stdout=StringIO())
    return str(refused.value)


def assert_nothing_written():
    assert not City.objects.filter(is_sample=True).exists()
    assert not Official.objects.exists()
    assert not Challenge.objects.exists()
    assert not Initiative.objects.exists()
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


def test_the_committed_files_load_as_they_are(sample_cities):
    out = StringIO()

    demo.load_sample_profiles(stdout=out)

    assert "36 filled" in out.getvalue()


def test_it_names_the_file_and_the_challenge_with_an_unknown_theme(data_dir, sample_cities):
    edit(data_dir / "profiles" / "kafue.json", lambda d: d["challenges"][2].update(theme="floding"))

    message = load_refused()

    assert "profiles/kafue.json is not usable" in message
    assert "challenges[2] (floding).theme: unknown theme 'floding'" in message
    assert_nothing_written()


def test_it_refuses_a_date_that_does_not_exist(data_dir, sample_cities):
    edit(
        data_dir / "profiles" / "recife.json",
        lambda d: d["initiatives"][0].update(start_date="2019-02-30"),
    )

    message = load_refused()

    assert "profiles/recife.json" in message
    assert (
        "initiatives[0] (Community flood maps (sample)).start_date: not a date (YYYY-MM-DD): "
        '"2019-02-30"' in message
    )
    assert_nothing_written()


def test_it_refuses_a_mistyped_key_instead_of_dropping_the_content(data_dir, sample_cities):
    edit(data_dir / "profiles" / "tunis.json", lambda d: d.update(sumary=d.pop("summary")))

    message = load_refused()

    assert "unknown key 'sumary'" in message
    assert "missing key 'summary'" in message
    assert_nothing_written()


def test_it_refuses_an_official_who_is_not_a_role_placeholder(data_dir, sample_cities):
    edit(
        data_dir / "profiles" / "berlin.json",
        lambda d: d["officials"].append({"role": "council_member", "contact_visibility": "public"}),
    )

    message = load_refused()

    assert "officials[2].role: 'council_member' is not a placeholder" in message
    assert_nothing_written()


def test_it_refuses_a_profile_that_is_not_labelled_as_a_sample(data_dir, sample_cities):
    edit(data_dir / "profiles" / "essen.json", lambda d: d.update(summary="Essen is a city."))

    message = load_refused()

    assert "summary: must begin with 'Sample profile:'" in message
    assert_nothing_written()


def test_it_refuses_two_files_for_one_city(data_dir, sample_cities):
    shutil.copy(data_dir / "profiles" / "kafue.json", data_dir / "profiles" / "kafue-copy.json")

    message = load_refused()

    assert "geonames_id: 915883 is already the city of" in message
    assert "kafue" in message
    assert_nothing_written()


def test_it_names_the_organisation_and_member_with_an_unknown_city(data_dir, sample_cities):
    def add_stranger(data):
        data["organisations"][1]["members"].append(
            {"geonames_id": 1, "name": "Nowhere", "since": "2020-01-01"}
        )

    edit(data_dir / "organisations.json", add_stranger)

    message = load_refused()

    assert "organisations.json is not usable" in message
    assert (
        "organisations[1] (sample-city-network).members[13] (Nowhere): unknown city: "
        "GeoNames id 1 is not a sample city"
    ) in message
    assert_nothing_written()


def test_it_refuses_a_member_whose_name_is_not_the_citys(data_dir, sample_cities):
    edit(
        data_dir / "organisations.json",
        lambda d: d["organisations"][0]["members"][0].update(name="Bern"),
    )

    message = load_refused()

    assert "GeoNames id 2950159 is 'Berlin', not 'Bern'" in message
    assert_nothing_written()


def test_it_writes_nothing_when_the_database_refuses_the_last_city(data_dir, sample_cities):
    # Passes the file checks, fails the model's (a title of at most 200 characters) after
    # every other city has been written: the step's one transaction takes all of it back.
    last = sorted((data_dir / "profiles").glob("*.json"))[-1]
    edit(last, lambda d: d["initiatives"][0].update(title="x" * 200 + " (sample)"))

    message = load_refused()

    assert f"profiles/{last.name} is not usable" in message
    assert ".title: Ensure this value has at most 200 characters" in message
    assert_nothing_written()
