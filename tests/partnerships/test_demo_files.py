"""The sample partnerships' data file: a bad entry stops the step with an error naming the
file and the entry, and no partnership is written."""

import io
import json
import shutil

import pytest
from django.utils.text import slugify

from cities.datafile import DataFileError
from partnerships import demo
from partnerships.models import Partnership, PartnershipActivity

from ..cities.factories import CityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_file(tmp_path, monkeypatch):
    copy = tmp_path / "partnerships.json"
    shutil.copy(demo.PARTNERSHIPS_FILE, copy)
    monkeypatch.setattr(demo, "PARTNERSHIPS_FILE", copy)
    for city in {city for sample in demo.read_sample_partnerships() for city in sample.cities}:
        CityFactory(geonames_id=city.geonames_id, slug=slugify(city.name), name=city.name)
    return copy


def edit(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data["partnerships"])
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def load_refused() -> str:
    with pytest.raises(DataFileError) as refused:
        demo.load(stdout=io.StringIO())
    assert not Partnership.objects.exists()
    assert not PartnershipActivity.objects.exists()
    return str(refused.value)


def test_it_names_the_partnership_with_an_unknown_theme(data_file):
    # The last entry: the ones before it would be written if the file were not checked first.
    edit(data_file, lambda entries: entries[-1]["themes"].append("floding"))

    message = load_refused()

    assert "partnerships.json is not usable" in message
    assert "partnerships[4] (Gelsenkirchen–Kafue).themes: unknown theme 'floding'" in message


def test_it_refuses_a_city_that_is_not_a_sample_city(data_file):
    edit(data_file, lambda entries: entries[0]["cities"][1].update(geonames_id=2925533))

    message = load_refused()

    assert (
        "partnerships[0] (Kafue–Essen).cities[1]: unknown city: GeoNames id 2925533 is not "
        "a sample city"
    ) in message


def test_it_refuses_a_partnership_of_a_city_with_itself(data_file):
    edit(data_file, lambda entries: entries[1].update(cities=[entries[1]["cities"][0]] * 2))

    message = load_refused()

    assert "partnerships[1] (Recife–Recife).cities: needs two different cities" in message


def test_it_refuses_unknown_kinds_and_dates_out_of_order(data_file):
    def spoil(entries):
        entries[2]["kind"] = "marriage"
        entries[3]["until"] = "2001-01-01"

    edit(data_file, spoil)

    message = load_refused()

    assert "partnerships[2] (Tunis–Bochum).kind: unknown value 'marriage'" in message
    assert "partnerships[3] (San Antonio–Duisburg).until: is before the start" in message


def test_it_refuses_a_date_that_is_not_iso(data_file):
    edit(data_file, lambda entries: entries[3]["activities"][0].update(date="18.05.2018"))

    message = load_refused()

    assert 'partnerships[3].activities[0].date: not a date (YYYY-MM-DD): "18.05.2018"' in message
