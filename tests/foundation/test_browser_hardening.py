"""Browser hardening: the policy headers, and pages that need nothing the policy forbids
(inline script, inline event handlers, inline style attributes)."""

import re

import pytest
from django.urls import reverse

from ..partnerships.programmes.factories import ProgrammeFactory
from .test_settings_and_deploy import run_manage

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


@pytest.fixture
def pages(kafue, recife, staff_kafue, curator_dst):
    return [
        reverse("home"),
        reverse("cities:list"),
        reverse("cities:list") + "?q=kafue",
        reverse("cities:detail", kwargs={"slug": "kafue"}),
        reverse("cities:climate", kwargs={"slug": "kafue"}),
        reverse("partnerships:matches", kwargs={"slug": "kafue"}),
        reverse("partnerships:list"),
        reverse("partnerships:programme_list"),
        reverse("login"),
    ]


@pytest.mark.django_db
def test_it_sends_the_content_security_policy_and_permissions_policy(client, pages):
    response = client.get(pages[0])

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_it_renders_no_inline_script_handler_or_style_the_policy_would_block(
    client, pages, staff_kafue, curator_dst
):
    programme = ProgrammeFactory()
    pages.append(reverse("partnerships:programme_print", kwargs={"slug": programme.slug}))
    found = {}
    for who in (None, staff_kafue, curator_dst):
        if who is not None:
            client.force_login(who)
        extra = [reverse("curation:members", kwargs={"org_slug": "dst"})]
        for url in [*pages, *extra] if who is curator_dst else pages:
            html = client.get(url, follow=True).content.decode()
            for name, pattern in (
                ("inline script", INLINE_SCRIPT),
                ("event handler", EVENT_HANDLER),
                ("style attribute", STYLE_ATTRIBUTE),
            ):
                if pattern.search(html):
                    found.setdefault(url, []).append(name)

    assert found == {}


def test_it_makes_the_language_cookie_secure_in_production():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_HTTPONLY)",
        DJANGO_ENV="production",
        SECRET_KEY="a-production-secret-key-that-is-long-and-random-0123456789-abcdef",
        ALLOWED_HOSTS="example.org",
    )

    assert result.stdout.split()[-3:] == ["True", "Lax", "True"], result.stderr
