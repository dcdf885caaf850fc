"""Sign-in throttling and the problem-report rate limit behind the reverse proxy: every
request reaches the portal from the proxy's address, and clients are told apart by the
X-Forwarded-For entry the proxy wrote (citydiplomacy.clientip)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from cities.models import ContentFlag

from .factories import UserFactory

PASSWORD = "a-long-test-password"
PROXY = "10.0.0.2"
ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"


@pytest.fixture
def behind_proxy(settings):
    """One trusted proxy in front of the portal; each request comes from its address."""
    settings.TRUSTED_PROXY_COUNT = 1
    cache.clear()
    yield
    cache.clear()


def via_proxy(client_address: str, *, spoofed: str = "") -> dict:
    """What the proxy forwards: the client's own header (if any) plus the address it saw."""
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def sign_in(client, username, password, address, **extra):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        **via_proxy(address, **extra),
    )


@pytest.mark.django_db
def test_it_does_not_lock_the_owner_out_when_someone_else_guesses_their_password(
    client, settings, behind_proxy
):
    settings.AXES_ENABLED = True
    UserFactory(username="ana")
    for _attempt in range(6):
        sign_in(client, "ana", "wrong", ATTACKER)

    owner = sign_in(client, "ana", PASSWORD, OWNER)

    assert owner.status_code == 302
    assert client.session["_auth_user_id"]


@pytest.mark.django_db
def test_it_locks_the_guesser_even_when_they_forge_the_header(client, settings, behind_proxy):
    settings.AXES_ENABLED = True
    UserFactory(username="ana")
    for attempt in range(5):
        sign_in(client, "ana", "wrong", ATTACKER, spoofed=f"192.0.2.{attempt + 1}")

    locked = sign_in(client, "ana", PASSWORD, ATTACKER, spoofed="192.0.2.200")

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def report(client, address, **extra):
    return client.post(
        reverse("cities:report", kwargs={"slug": "kafue"}),
        {"reason": "other", "message": "The population figure is from 2010."},
        **via_proxy(address, **extra),
    )


@pytest.mark.django_db
def test_it_counts_problem_reports_of_two_visitors_apart(client, kafue, behind_proxy):
    for _report in range(5):
        report(client, ATTACKER)
    assert report(client, ATTACKER).status_code == 429

    other = report(client, OWNER)

    assert other.status_code == 302
    assert ContentFlag.objects.count() == 6


@pytest.mark.django_db
def test_it_counts_a_reporter_who_forges_the_header_as_one(client, kafue, behind_proxy):
    for n in range(5):
        report(client, ATTACKER, spoofed=f"192.0.2.{n + 1}")

    refused = report(client, ATTACKER, spoofed="192.0.2.99")

    assert refused.status_code == 429
    assert ContentFlag.objects.count() == 5
