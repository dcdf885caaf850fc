"""The climate page, the pair comparison and the profile's climate section."""

import pytest
from django.urls import reverse

from cities.climate import core, selectors, services

from .factories import CityFactory


@pytest.fixture(autouse=True)
def _fresh_climate_cache():
    selectors.clear_cache()
    yield
    selectors.clear_cache()


@pytest.fixture
def places(db):
    made = {}
    for slug, name, lat, lon in [
        ("dusseldorf", "Düsseldorf", 51.22, 6.78),
        ("toulouse", "Toulouse", 43.60, 1.44),
        ("tunis", "Tunis", 36.82, 10.17),
        ("london", "London", 51.51, -0.13),
        ("moscow", "Moscow", 55.75, 37.62),
        ("bordeaux", "Bordeaux", 44.84, -0.58),
    ]:
        made[slug] = CityFactory(name=name, slug=slug, latitude=lat, longitude=lon)
    made["unplaced"] = CityFactory(name="Unplaced", slug="unplaced", latitude=None, longitude=None)
    services.climate_assign_missing()
    return made


def test_it_shows_the_climate_page_with_chart_class_and_both_twin_lists(
    client, places, django_assert_max_num_queries
):
    url = reverse("cities:climate", args=["dusseldorf"])
    client.get(url)  # the first request per process loads all cities' normals once
    # City with its climate, then per twin list the cache check and the twins' rows.
    with django_assert_max_num_queries(5):
        response = client.get(url, {"warming": "ssp585-2085"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "<title id=" in html and "<desc id=" in html
    assert "<table" in html  # the data table behind the chart
    assert "Cfb" in html and "Oceanic: mild, no dry season, warm summer" in html
    assert "Cities whose climate today is your future" in html
    assert "Cities whose future is your climate today" in html
    assert reverse("cities:detail", args=["toulouse"]) in html
    assert reverse("cities:climate_compare", args=["dusseldorf", "toulouse"]) in html
    assert "Copernicus Climate Change Service" in html


def test_it_shows_the_region_the_models_range_and_what_the_projection_leaves_out(client, places):
    html = client.get(
        reverse("cities:climate", args=["dusseldorf"]), {"warming": "ssp585-2085"}
    ).content.decode()
    assert "At +4 °C or more global warming" in html
    assert "Western and Central Europe (WCE)" in html
    assert 'class="band band-projected"' in html  # the models' range in the chart
    assert "Range of the models (°C)" in html and "models: " in html
    assert "Precipitation is kept at today's values" in html
    assert "Not included: heatwaves, droughts" in html
    assert "IPCC AR6 WGI Atlas (CC BY 4.0)" in html and "Iturbide et al. (2020)" in html
    assert "thank the climate modelling groups" in html


def test_it_marks_an_island_in_an_ocean_region(client, db):
    CityFactory(name="Honolulu", slug="honolulu", latitude=21.31, longitude=-157.86)
    services.climate_assign_missing()
    html = client.get(reverse("cities:climate", args=["honolulu"])).content.decode()
    assert "North Pacific Ocean (NPO)" in html
    assert "an island: its warming follows the ocean around it" in html


@pytest.mark.parametrize("key", list(core.WARMING_LEVELS))
def test_it_offers_every_scenario_and_warming_level_and_shows_the_chosen_one(client, places, key):
    response = client.get(reverse("cities:climate", args=["toulouse"]), {"warming": key})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{key}" selected>' in html
    start = html.index('<select id="warming"')
    choices = html[start : html.index("</select>", start)]
    assert choices.count("<option value=") == len(core.WARMING_LEVELS)
    level = f"{core.WARMING_LEVELS[key].global_warming_c:g}"
    assert f"At +{level} °C" in html


@pytest.mark.parametrize(
    "bad",
    ["9", "2.7", "ssp370-2085", "<script>alert(1)</script>", "1" * 5000, "nan", "-inf"],
)
def test_it_answers_400_with_the_choices_for_an_unknown_warming_level(client, places, bad):
    response = client.get(reverse("cities:climate", args=["dusseldorf"]), {"warming": bad})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Unknown warming level or scenario" in html
    assert "ssp245-2050, ssp245-2085, ssp585-2050, ssp585-2085, 1.5, 2, 2.5, 3, 3.5, 4" in html
    assert "<script>alert" not in html
    assert '<select id="warming" name="warming">' in html  # the user can choose again
    assert "Cities whose climate today is your future" not in html  # no partial results


def test_it_answers_400_for_an_unknown_population_filter(client, places):
    response = client.get(reverse("cities:climate", args=["dusseldorf"]), {"population": "x"})
    assert response.status_code == 400
    assert "Unknown population filter" in response.content.decode()


def test_it_answers_400_on_the_comparison_for_an_unknown_warming_level(client, places):
    url = reverse("cities:climate_compare", args=["dusseldorf", "toulouse"])
    response = client.get(url, {"warming": "4.4"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Unknown warming level or scenario" in html and "Bioclimatic variables" not in html


def test_it_explains_why_a_city_without_coordinates_has_no_climate(client, places):
    response = client.get(reverse("cities:climate", args=["unplaced"]))
    assert response.status_code == 200
    assert "has no coordinates yet" in response.content.decode()


def test_it_answers_404_for_an_unknown_or_unpublished_city(client, places):
    assert client.get(reverse("cities:climate", args=["atlantis"])).status_code == 404
    hidden = CityFactory(slug="hidden", is_published=False, latitude=50.0, longitude=8.0)
    assert client.get(reverse("cities:climate", args=[hidden.slug])).status_code == 404
    url = reverse("cities:climate_compare", args=["dusseldorf", "atlantis"])
    assert client.get(url).status_code == 404


def test_it_compares_two_cities(client, places, django_assert_max_num_queries):
    url = reverse("cities:climate_compare", args=["dusseldorf", "toulouse"])
    client.get(url)
    with django_assert_max_num_queries(3):  # both cities with their climate, the cache check
        response = client.get(url, {"warming": "3.5"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Düsseldorf at +3.5 °C and Toulouse today" in html
    assert "across the climate models" in html
    assert "Summers" in html and "Köppen–Geiger class" in html


def test_it_says_a_comparison_needs_both_climates(client, places):
    url = reverse("cities:climate_compare", args=["dusseldorf", "unplaced"])
    response = client.get(url)
    assert response.status_code == 200
    assert "cannot be compared" in response.content.decode()


def test_it_rejects_writes_to_the_climate_page(client, places):
    assert client.post(reverse("cities:climate", args=["dusseldorf"])).status_code == 405


def test_it_shows_the_climate_section_on_the_profile(places):
    from django.template.loader import render_to_string

    html = render_to_string("cities/_city_climate.html", {"city": places["dusseldorf"]})
    assert "Cfb" in html and reverse("cities:climate", args=["dusseldorf"]) in html
    html = render_to_string("cities/_city_climate.html", {"city": places["unplaced"]})
    assert "no coordinates" in html


def test_it_filters_the_directory_by_climate_zone(client, places):
    url = reverse("cities:list")
    html = client.get(url, {"climate": "Cfb"}).content.decode()
    assert "London" in html and "Düsseldorf" in html and "Moscow" not in html
    html = client.get(url, {"climate": "D"}).content.decode()
    assert "Moscow" in html and "London" not in html
    response = client.get(url, {"climate": "Xyz"})
    assert response.status_code == 200
    assert "London" not in response.content.decode()  # an invalid value selects nothing


def test_it_assigns_climate_when_an_admin_adds_or_moves_a_city(client, admin):
    client.force_login(admin)
    data = {
        "name": "Handmade",
        "slug": "handmade",
        "country": "FR",
        "latitude": "43.6",
        "longitude": "1.44",
        "verification_status": "unverified",
        "is_published": "on",
        "working_languages": "[]",
        "partnership_kinds_sought": "[]",
    }
    for prefix in ("officials", "challenges", "memberships", "staff"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = client.post(reverse("admin:cities_city_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    from cities.models import City

    city = City.objects.get(slug="handmade")
    assert city.climate.koppen == "Cfa"
    data |= {"latitude": "55.75", "longitude": "37.62"}  # moved to Moscow
    response = client.post(reverse("admin:cities_city_change", args=[city.pk]), data)
    assert response.status_code == 302
    city.refresh_from_db()
    assert city.climate.koppen == "Dfb"


def test_it_assigns_climate_to_imported_cities(db, capsys):
    from django.core.management import call_command

    from cities.models import City

    call_command("import_cities", "--countries", "LU")
    assert "Climate:" in capsys.readouterr().out
    luxembourg = City.objects.filter(country="LU", latitude__isnull=False)
    assert luxembourg.exists()
    assert not luxembourg.filter(climate__isnull=True).exists()
