"""The directory's filters and results are cached per query string and language."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from .factories import CityFactory


@pytest.fixture(autouse=True)
def _fragment_cache(settings):
    settings.FRAGMENT_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_it_keeps_the_results_of_different_searches_apart(client):
    CityFactory(name="Kafue", ascii_name="Kafue", slug="kafue")
    CityFactory(name="Recife", ascii_name="Recife", slug="recife")
    url = reverse("cities:list")

    kafue = client.get(url, {"q": "kafue"}).content.decode()
    recife = client.get(url, {"q": "recife"}).content.decode()
    partial = client.get(url, {"q": "recife"}, headers={"HX-Request": "true"}).content.decode()

    assert "/cities/kafue/" in kafue and "/cities/recife/" not in kafue
    assert "/cities/recife/" in recife and "/cities/kafue/" not in recife
    assert "/cities/recife/" in partial and "<html" not in partial


@pytest.mark.django_db
def test_it_serves_a_repeated_query_from_the_cache_until_it_expires(client):
    CityFactory(name="Kafue", ascii_name="Kafue", slug="kafue")
    url = reverse("cities:list")
    assert "/cities/kafue/" in client.get(url, {"q": "kaf"}).content.decode()

    CityFactory(name="Kafubu", ascii_name="Kafubu", slug="kafubu")
    cached = client.get(url, {"q": "kaf"}).content.decode()
    cache.clear()  # what the expiry does after FRAGMENT_CACHE_SECONDS
    fresh = client.get(url, {"q": "kaf"}).content.decode()

    assert "/cities/kafubu/" not in cached
    assert "/cities/kafubu/" in fresh


@pytest.mark.django_db
def test_it_caches_each_language_separately(client):
    CityFactory(name="Kafue", ascii_name="Kafue", slug="kafue")
    url = reverse("cities:list")
    english = client.get(url, {"q": "kafue"}).content.decode()

    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    german = client.get(url, {"q": "kafue"}).content.decode()

    assert "1 city" in english
    assert "1 Stadt" in german
