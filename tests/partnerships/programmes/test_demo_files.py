"""The sample programme's data file: a bad entry stops the step with an error naming the file
and the entry, and nothing of the programme is written."""

import io
import json
import shutil

import pytest

from cities.datafile import DataFileError
from cities.models import Official, Organisation
from partnerships.models import AgendaItem, Participant, Programme
from partnerships.programmes import demo
from tests.cities.factories import CityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_file(tmp_path, monkeypatch):
    """A copy of the programme file that a test may spoil, and the cities and association
    it needs (without officials: the programme makes its own placeholders)."""
    copy = tmp_path / "programme.json"
    shutil.copy(demo.PROGRAMME_FILE, copy)
    monkeypatch.setattr(demo, "PROGRAMME_FILE", copy)
    programme = demo.read_programme()
    for gid in programme.visitor_city_ids | programme.host_city_ids:
        CityFactory(
            geonames_id=gid,
            slug=f"sample-{gid}",
            country="DE" if gid in programme.host_city_ids else "KE",
            is_sample=True,
        )
    OrganisationFactory(
        slug="sample-association-of-cities", name="Sample Association of Cities", country="DE"
    )
    return copy


def edit(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def load_refused() -> str:
    with pytest.raises(DataFileError) as refused:
        demo.load(stdout=io.StringIO())
    assert not Programme.objects.exists()
    assert not Participant.objects.exists()
    assert not AgendaItem.objects.exists()
    assert not Official.objects.exists()
    assert list(Organisation.objects.values_list("slug", flat=True)) == [
        "sample-association-of-cities"
    ]
    return str(refused.value)


def test_the_committed_file_loads_as_it_is(data_file):
    out = io.StringIO()

    demo.load(stdout=out)

    assert "Sample programme: created with" in out.getvalue()
    assert Organisation.objects.filter(kind="ministry", is_sample=True).count() == 2


def test_it_names_the_agenda_item_on_a_day_the_programme_does_not_have(data_file):
    edit(data_file, lambda d: d["agenda"][3].update(day=6))

    message = load_refused()

    assert "programme.json is not usable" in message
    assert "agenda[3] (Evening at leisure).day: day 6 is not a day of the programme" in message


def test_it_refuses_an_attendee_who_is_not_among_the_visitors(data_file):
    def spoil(data):
        side_meeting = data["agenda"][12]
        side_meeting["attendees"].append(
            {"geonames_id": 915883, "name": "Kafue", "representative": 3}
        )
        side_meeting["attendees"].append(
            {"geonames_id": 2950159, "name": "Berlin", "representative": 1}
        )

    edit(data_file, spoil)

    message = load_refused()

    where = "agenda[12] (Side meeting on climate adaptation).attendees"
    assert f"{where}[3] (Kafue): is not one of the visiting city's representatives" in message
    assert f"{where}[4] (Berlin): is not one of the visiting city's representatives" in message


def test_it_refuses_hosts_and_themes_the_programme_does_not_have(data_file):
    def spoil(data):
        data["agenda"][0]["host_organisation"] = "sample-chamber-of-commerce"
        data["themes"].append("space-travel")
        data["agenda"][1]["end"] = data["agenda"][1]["start"]

    edit(data_file, spoil)

    message = load_refused()

    assert (
        "agenda[0] (Welcome and introductions).host_organisation: is not one of the "
        "host_organisations"
    ) in message
    assert "themes: unknown theme 'space-travel'" in message
    assert (
        "agenda[1] (Municipal partnerships for sustainable development).end: must be after "
        "the start"
    ) in message


def test_it_takes_everything_back_when_a_service_refuses_the_last_agenda_item(data_file):
    # Passes the file checks, fails the agenda item's (a title of at most 200 characters)
    # after the ministries, the programme, its participants and their officials were written.
    edit(data_file, lambda d: d["agenda"][-1].update(title="Departures " + "x" * 200))

    message = load_refused()

    assert "agenda[16] (Departures xxx" in message
    assert ".title: Ensure this value has at most 200 characters" in message
