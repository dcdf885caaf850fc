"""The visitor-independent profile sections (climate, suggestions) are cached briefly."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cities.climate import selectors, services

from .factories import CityFactory


@pytest.fixture(autouse=True)
def _section_cache(settings):
    settings.FRAGMENT_CACHE_SECONDS = 60
    cache.clear()
    selectors.clear_cache()
    yield
    cache.clear()
    selectors.clear_cache()


def _queries_for(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.django_db
def test_it_serves_the_climate_and_suggestion_sections_from_the_cache_on_a_second_view(client):
    city = CityFactory(name="Düsseldorf", slug="dusseldorf", latitude=51.22, longitude=6.78)
    services.climate_assign_missing()
    url = reverse("cities:detail", args=[city.slug])

    first, first_html = _queries_for(client, url)
    second, second_html = _queries_for(client, url)

    assert "Cfb" in first_html
    assert second < first
    assert _climate_section(second_html) == _climate_section(first_html)


def _climate_section(html: str) -> str:
    start = html.index('id="climate"')
    return html[start : html.index("</section>", start)]


@pytest.mark.django_db
def test_it_shows_the_new_climate_at_once_when_a_city_moves(client):
    city = CityFactory(name="Movedtown", slug="movedtown", latitude=51.22, longitude=6.78)
    services.climate_assign_missing()
    url = reverse("cities:detail", args=[city.slug])
    assert "Cfb" in client.get(url).content.decode()

    city.latitude, city.longitude = 41.89, 12.48  # to Rome's climate
    city.save()
    services.city_climate_assign(city=city)
    selectors.clear_cache()

    html = client.get(url).content.decode()
    assert "Csa" in html
