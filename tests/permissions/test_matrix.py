"""Every URL pattern × every method it accepts × every persona: allowed or denied as declared.

How entries are written and what counts as allowed/denied: see ``tests/permissions/__init__.py``.
"""

import pytest

from .matrix import (
    ADMIN,
    CHECKED_METHODS,
    PERSONAS,
    classify,
    entry_covers,
    iter_patterns,
    load_entries,
    send,
)

ENTRIES = load_entries()

CASES = [
    pytest.param(entry, method, persona, id=f"{entry.name}-{method}-{persona}")
    for entry in ENTRIES
    for method in entry.methods
    for persona in PERSONAS
]

UNDECLARED = [
    pytest.param(entry, method, id=f"{entry.name}-{method}")
    for entry in ENTRIES
    if not entry.is_family
    for method in CHECKED_METHODS
    if method not in entry.methods
]


def test_it_has_an_entry_for_every_url_pattern():
    missing = sorted(
        {p.key for p in iter_patterns() if not any(entry_covers(e, p) for e in ENTRIES)}
    )

    assert not missing, (
        "URL patterns without an entry in the permission matrix (add them to "
        f"tests/permissions/matrix_<area>.py, see tests/permissions/__init__.py): {missing}"
    )


@pytest.mark.django_db
def test_it_serves_static_files_to_everyone(client):
    """Static files are served by WhiteNoise, not by a URL pattern: checked here."""
    response = client.get("/static/css/site.css")

    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    assert b".card" in body


def test_it_has_no_entry_for_a_pattern_that_does_not_exist():
    patterns = list(iter_patterns())
    stale = [e.name for e in ENTRIES if not any(entry_covers(e, p) for p in patterns)]

    assert not stale, f"matrix entries for URL patterns that no longer exist: {stale}"


@pytest.mark.parametrize(("entry", "method", "persona"), CASES)
def test_it_lets_exactly_the_declared_personas_through(entry, method, persona, client, world):
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    expected = "allowed" if persona in entry.methods[method] else "denied"

    for url, data in entry.targets(world):
        response = send(client, method, url, data, entry)
        outcome = classify(response)

        assert outcome == expected, (
            f"{method} {url} as {persona}: {outcome} ({response.status_code} "
            f"{response.headers.get('Location', '')}), expected {expected}. {entry.reason}"
        )


@pytest.mark.parametrize(("entry", "method"), UNDECLARED)
def test_it_refuses_methods_the_entry_does_not_declare(entry, method, client, world):
    """A method counts as accepted when the site admin gets past the door with it and an
    anonymous visitor does not get 405 (a sign-in page may redirect signed-in people on any
    method, before the method is checked)."""
    from django.test import Client

    client.force_login(world.users[ADMIN])

    for url, data in entry.targets(world):
        as_admin = send(client, method, url, data, entry)
        if as_admin.status_code == 405 or classify(as_admin) == "denied":
            continue
        as_anonymous = send(Client(), method, url, data, entry)

        assert as_anonymous.status_code == 405, (
            f"{method} {url} answered {as_admin.status_code} to the site admin and "
            f"{as_anonymous.status_code} to an anonymous visitor, but the matrix entry "
            f"{entry.name!r} does not declare {method}: declare it, or make the view refuse it "
            "(@require_safe, @require_POST, http_method_names)."
        )
