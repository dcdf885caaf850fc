"""The demo's sample partnerships: labelled samples, with activity logs and one possibly dormant;
loading twice changes nothing."""

import datetime
import io

import pytest
from django.utils.text import slugify

from partnerships import demo
from partnerships.models import Partnership, PartnershipActivity

from ..cities.factories import CityFactory

pytestmark = pytest.mark.django_db
SAMPLES = demo.read_sample_partnerships()


def test_it_loads_labelled_sample_partnerships_once(client):
    for city in {city for sample in SAMPLES for city in sample.cities}:
        CityFactory(
            geonames_id=city.geonames_id, slug=slugify(city.name), name=city.name, is_sample=True
        )

    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())

    partnerships = Partnership.objects.all()
    assert partnerships.count() == len(SAMPLES)
    assert all(p.is_sample for p in partnerships)
    assert PartnershipActivity.objects.count() == sum(len(s.activities) for s in SAMPLES)
    dormant = list(Partnership.objects.possibly_dormant(today=datetime.date(2026, 12, 1)))
    assert [{p.city_a.slug, p.city_b.slug} for p in dormant] == [{"tunis", "bochum"}]
    assert "sample" in client.get("/partnerships/").content.decode()


def test_it_skips_partnerships_whose_cities_are_missing():
    out = io.StringIO()

    demo.load(stdout=out)

    assert not Partnership.objects.exists()
    assert "skipped: city missing" in out.getvalue()
