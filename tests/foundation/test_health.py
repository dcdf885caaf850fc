import pytest
from django.urls import reverse

from citydiplomacy import health


@pytest.mark.django_db
def test_it_reports_every_component_healthy(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    # The test settings run tasks in-process, and /healthz says so rather than "ok".
    assert body["broker"] == "eager"


@pytest.mark.django_db
def test_it_answers_503_naming_the_failed_component(client, monkeypatch):
    def broken():
        raise ConnectionError("cache down")

    monkeypatch.setitem(health.CHECKS, "cache", broken)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["cache"] == "error: ConnectionError"
    assert body["database"] == "ok"


@pytest.mark.django_db
def test_it_checks_the_real_broker_when_one_is_configured(settings):
    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is not set")
    settings.CELERY_TASK_ALWAYS_EAGER = False

    assert health.check_broker() == "ok"


@pytest.mark.django_db
def test_it_answers_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["broker"].startswith("error: ")


@pytest.mark.django_db
def test_it_refuses_methods_other_than_get_and_head(client):
    assert client.post(reverse("healthz")).status_code == 405
