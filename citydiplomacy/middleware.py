"""Project-wide middleware.

``SecurityHeadersMiddleware`` adds the browser hardening headers to every response.

``RefuseControlCharactersMiddleware`` answers 400 with a clear message, before any view runs,
when the path, the query string, a cookie or a form value carries a control character. The
reason is one of storage, not taste: PostgreSQL cannot hold a NUL byte in a text value (psycopg
raises ``ValueError`` on the lookup, a 500 in every view that compares a URL or parameter with
a column), XLSX exports cannot hold the other C0 controls, and a carriage return in a header or
a calendar line splits it. Django's form fields refuse NUL, but a view that reads
``request.GET`` or a URL argument directly does not go through a form; checking once here covers
every URL, including the ones written later.

Form values may contain tab, line feed and carriage return (a textarea sends ``\\r\\n``); the
path, the query string and cookies may contain no control character at all.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

# C0 controls and DEL; the form variant spares tab, line feed and carriage return.
ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has(pattern: re.Pattern, items) -> bool:
    return any(pattern.search(key) or pattern.search(value) for key, value in items)


def refused_part(request) -> str | None:
    """The part of ``request`` that carries a control character ("address", "query", "cookie",
    "form"), or None when the request is clean."""
    if ANY_CONTROL.search(request.path):
        return "address"
    if _has(ANY_CONTROL, _pairs(request.GET)):
        return "query"
    if _has(ANY_CONTROL, request.COOKIES.items()):
        return "cookie"
    # Reading POST here parses the body once; the CSRF middleware would read it next anyway.
    # Files are not inspected (their content is binary); Django strips non-printable characters
    # from their names.
    if (
        request.method == "POST"
        and request.content_type in FORM_CONTENT_TYPES
        and _has(CONTROL_IN_TEXT, _pairs(request.POST))
    ):
        return "form"
    return None


def _pairs(query_dict):
    for key, values in query_dict.lists():
        for value in values:
            yield key, value


class RefuseControlCharactersMiddleware:
    """400 for a request with a control character in its path, query, cookies or form values
    (see the module docstring). Placed after LocaleMiddleware so the message is in the
    visitor's language, and before anything that reads the session or the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        part = refused_part(request)
        if part is not None:
            return bad_input_response(request, part)
        return self.get_response(request)


def bad_input_response(request, part: str):
    messages = {
        "address": _("The address contains a control character (such as a NUL byte)."),
        "query": _("A parameter of the address contains a control character (such as a NUL byte)."),
        "cookie": _("A cookie sent by your browser contains a control character."),
        "form": _(
            "A field of the form contains a control character (such as a NUL byte); only "
            "text, tabs and line breaks are accepted."
        ),
    }
    return render(request, "400.html", {"reason": messages[part]}, status=400)


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy and the Permissions-Policy of the settings to every
    response that does not set its own. The policy allows scripts, styles, images and fetches
    from this site only: no inline script, no inline style attribute, nothing from outside."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
