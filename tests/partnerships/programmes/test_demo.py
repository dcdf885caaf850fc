"""The sample programme of the demo: labelled, complete, scheduled, and loaded only once."""

import io

import pytest

from partnerships.models import Meeting, Participant, Programme
from partnerships.programmes import demo
from partnerships.programmes.scheduler import check
from partnerships.programmes.services import build_problem
from tests.cities.factories import CityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample_cities(db):
    ids = {gid for _name, cities in demo.VISITORS for gid, _n in cities} | set(demo.HOST_CITIES)
    host_ids = set(demo.HOST_CITIES)
    for n, gid in enumerate(sorted(ids)):
        CityFactory(
            geonames_id=gid,
            slug=f"sample-{gid}",
            country="DE"
            if gid in host_ids
            else ["ZM", "KE", "GH", "SN", "TN", "MA", "US", "BR", "CO", "IN", "ID", "VN"][n % 12],
            is_sample=True,
        )
    OrganisationFactory(
        slug="sample-association-of-cities", name="Sample Association of Cities", country="DE"
    )


def test_it_loads_a_labelled_sample_programme_once(sample_cities):
    out = io.StringIO()
    demo.load(stdout=out)
    demo.load(stdout=out)
    assert "already there" in out.getvalue()
    programme = Programme.objects.get(slug=demo.SLUG)
    assert programme.is_sample
    assert programme.status == "published"
    visitors = Participant.objects.filter(programme=programme, side="visitor")
    assert visitors.count() == 15
    assert all("(sample)" in p.name for p in Participant.objects.filter(programme=programme))
    hosts = programme.confirmed_host_organisations()
    assert hosts.filter(kind="ministry", is_sample=True).count() == 2
    assert programme.agenda.filter(kind="site_visit").count() >= 5
    meetings = Meeting.objects.filter(programme=programme)
    assert meetings.exists()
    problem = build_problem(programme)
    from partnerships.programmes.scheduler import Assignment

    assert (
        check(
            problem, [Assignment(m.participant_id, m.host_id, m.slot_id, m.score) for m in meetings]
        )
        == []
    )


def test_it_skips_the_programme_when_the_sample_cities_are_missing(db):
    out = io.StringIO()
    demo.load(stdout=out)
    assert "skipped" in out.getvalue()
    assert not Programme.objects.exists()
