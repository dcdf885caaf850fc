"""Garbage in, never a 5xx: every URL pattern of the project, fed garbage.

For each pattern (the resolver is walked, includes and the admin too) and for an anonymous
visitor, a city's staff member who organises a programme, and a site admin:

- every path argument replaced, one at a time, by garbage (very long, NUL, broken UTF-8,
  other scripts and emoji, ``..``, numbers beyond 64 bits, zero, SQL and HTML);
- GET with garbage query strings: the names of every form field on the page, the
  parameters the views read, and the names of the common filters, with garbage values;
- POST (for patterns that take it) with garbage form values: the valid data of the
  permission matrix with fields replaced, the page's own form fields, garbage files.

Any 5xx, or an exception that escapes a view, fails the test with the list of requests.
The garbage is drawn from a fixed seed, so every run sends the same requests; the number of
requests is bounded per pattern. Valid URLs and data come from the permission matrix's
entries (``tests/permissions``), so a new URL is fuzzed as soon as it is declared there.
"""

from __future__ import annotations

import random
import re
import traceback
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.permissions.matrix import (
    ADMIN,
    ANONYMOUS,
    STAFF_THIS,
    build_world,
    entry_covers,
    iter_patterns,
    load_entries,
)

SEED = 20_261_129
PERSONAS = (ANONYMOUS, STAFF_THIS, ADMIN)
QUERY_VARIANTS = 4
POST_VARIANTS = 4

# Path segments, already percent-encoded as they would arrive on the wire.
PATH_GARBAGE = [
    "x" * 1500,
    "%00",
    "kafue%00",
    "%0A",
    "%FF%FE%ED%A0%80",  # not UTF-8, and an encoded lone surrogate
    quote("日本語-ünïcödé-😀-\u202e"),
    "..",
    "..%2F..%2Fetc%2Fpasswd",
    "9" * 40,
    "9223372036854775808",  # 2**63
    "2147483648",  # 2**31
    "0",
    "-1",
    quote("'; SELECT pg_sleep(5); --"),
    quote("<script>alert(1)</script>"),
]

VALUE_GARBAGE = [
    "",
    " ",
    "x" * 5000,
    "-1",
    "0",
    "9" * 40,
    "-" + "9" * 40,
    "1e309",
    "NaN",
    "inf",
    "1.5",
    "0x10",
    "2026-13-45",
    "9999-12-31T25:61",
    "0000-00-00",
    "日本語 ünïcödé 😀 \u202e",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "[]",
    "{}",
    "null",
    "true",
    "a,b,,c",
    "line one\r\nline two",
    "on",
    "http://evil.example/",
    "//evil.example",
    "javascript:alert(1)",
    "%s%n%x",
]

# Headers a view or middleware may read: language, proxies, htmx, where the visitor came from.
GARBAGE_HEADERS = {
    "HTTP_ACCEPT_LANGUAGE": "xx-YY-ZZ;q=abc, de;q=2, *;q=-1, " + "a" * 300,
    "HTTP_X_FORWARDED_FOR": "not-an-address, 999.1.1.1, ::ffff:zz, " + "1." * 200,
    "HTTP_X_FORWARDED_PROTO": "gopher",
    "HTTP_X_REAL_IP": "garbage",
    "HTTP_REFERER": "javascript:alert(1)//" + "x" * 500,
    "HTTP_HX_REQUEST": "maybe",
    "HTTP_HX_TARGET": "<script>",
    "HTTP_HX_CURRENT_URL": "http://[::1:bad",
    "HTTP_IF_MODIFIED_SINCE": "yesterday",
    "HTTP_IF_NONE_MATCH": '"' * 30,
    "HTTP_RANGE": "bytes=-5-3",
    "HTTP_COOKIE": "django_language=xx-garbage; csrftoken=short; sessionid=" + "z" * 40,
}

# What the views read from request.GET / request.POST, and the filters' names, in case a
# page does not render a form for them.
KNOWN_NAMES = [
    "q",
    "page",
    "sort",
    "o",
    "p",
    "e",
    "all",
    "format",
    "next",
    "next_page",
    "to",
    "from",
    "to_city",
    "from_city",
    "kind",
    "status",
    "theme",
    "country",
    "continent",
    "population",
    "stance",
    "climate",
    "warming",
    "view",
    "health",
    "host_country",
    "year",
    "when",
    "city",
    "key",
    "history_id",
    "decision",
    "confirm",
    "respond",
    "published",
    "locked",
    "language",
    "_changelist_filters",
]

PATTERNS = list(iter_patterns())
ENTRIES = load_entries()
CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
# A capturing group of a regular-expression pattern, named or not (not "(?:…)").
GROUP = re.compile(r"\((?:\?P<(?P<name>\w+)>|(?!\?))(?P<body>[^()]*)\)")


def _is_regex(route: str) -> bool:
    return any(marker in route for marker in ("^", "$", "(?P"))


def _arguments(route: str) -> list[tuple[str, str]]:
    """(name, what it accepts) of each argument of a route or regular-expression pattern."""
    if _is_regex(route):
        return [
            (m["name"] or f"_{index}", m["body"]) for index, m in enumerate(GROUP.finditer(route))
        ]
    return [(m["name"], m["converter"] or "str") for m in CONVERTER.finditer(route)]


class FormFields(HTMLParser):
    """Names of the fields of a page's forms, by the form's method; file inputs apart."""

    def __init__(self):
        super().__init__()
        self.method = "get"
        self.names: dict[str, set[str]] = {"get": set(), "post": set()}
        self.files: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.method = (attributes.get("method") or "get").lower()
        elif tag in ("input", "select", "textarea", "button") and attributes.get("name"):
            if attributes.get("type") == "file":
                self.files.add(attributes["name"])
            else:
                self.names.setdefault(self.method, set()).add(attributes["name"])


def _entry_for(pattern):
    exact = [e for e in ENTRIES if not e.is_family and entry_covers(e, pattern)]
    if exact:
        return exact[0]
    family = [e for e in ENTRIES if e.is_family and entry_covers(e, pattern)]
    return family[0] if family else None


def _methods(pattern, entry) -> list[str]:
    declared = set(entry.methods) if entry is not None else {"GET"}
    if entry is not None and entry.is_family:
        declared = {"GET", "POST"}
    return [m for m in ("GET", "POST") if m in declared]


def _admin_kwargs(pattern, world) -> dict[str, str]:
    """Valid arguments for an admin route: an existing object of the route's model."""
    kwargs: dict[str, str] = {}
    parts = pattern.route.split("/")
    for name, accepts in _arguments(pattern.route):
        if re.fullmatch(r"\w+(\|\w+)*", accepts) and "|" in accepts:
            kwargs[name] = accepts.split("|")[0]  # an app label the pattern lists
        elif name in ("object_id", "id", "_0"):  # "_0": the first unnamed group
            model = None
            if len(parts) > 2:
                try:
                    model = apps.get_model(parts[1], parts[2])
                except (LookupError, ValueError):
                    model = None
            first = model._default_manager.order_by("pk").first() if model else None
            kwargs[name] = str(first.pk) if first is not None else "1"
        elif name == "content_type_id":
            from django.contrib.contenttypes.models import ContentType

            kwargs[name] = str(ContentType.objects.get_for_model(world.city.__class__).pk)
        else:
            kwargs[name] = "1"
    return kwargs


def _base(pattern, entry, world) -> tuple[dict, str, dict]:
    """(valid path kwargs, query string, valid POST data) for ``pattern``."""
    if entry is None or entry.is_family:
        return _admin_kwargs(pattern, world), "", {}
    kwargs = entry.kwargs(world) if entry.kwargs else {}
    query = entry.query(world) if callable(entry.query) else entry.query
    data = entry.data(world, kwargs) if entry.data else {}
    return {k: str(v) for k, v in kwargs.items()}, query or "", data


def _path(pattern, kwargs: dict[str, str]) -> str:
    """The URL of ``pattern`` with ``kwargs`` put in as they are (already encoded)."""
    route = pattern.route

    def value(match):
        return kwargs[match["name"]]

    if _is_regex(route):
        names = iter(name for name, _accepts in _arguments(route))
        path = GROUP.sub(lambda match: kwargs[next(names)], route)
        return "/" + path.replace("^", "").replace("$", "")
    return "/" + CONVERTER.sub(value, route)


def _valid_path(pattern, kwargs) -> str:
    return _path(pattern, {k: quote(v, safe="") for k, v in kwargs.items()})


class Fuzzer:
    def __init__(self, pattern, world, seed: int):
        self.pattern = pattern
        self.world = world
        self.rng = random.Random(f"{seed}:{pattern.key}")
        self.failures: list[str] = []
        self.sent = 0

    def garbage(self) -> str:
        return self.rng.choice(VALUE_GARBAGE)

    def send(self, client, persona, method, url, data=None, **extra):
        self.sent += 1
        try:
            if method == "GET":
                response = client.get(url, **extra)
            else:
                response = client.post(url, data or {}, **extra)
        except Exception as exc:  # an exception that escaped the view is a 500
            frames = [
                f"{f.filename.split('site-packages/')[-1].split('/work/')[-1]}:{f.lineno}"
                for f in traceback.extract_tb(exc.__traceback__)
            ]
            self.failures.append(
                f"{persona} {method} {url[:300]} {_short(data)} -> "
                f"{type(exc).__name__}: {str(exc)[:300]} at {frames[-4:]}"
            )
            return None
        if response.status_code >= 500:
            self.failures.append(
                f"{persona} {method} {url[:300]} {_short(data)} -> {response.status_code}"
            )
        return response

    def form_fields(self, client, url) -> FormFields:
        parser = FormFields()
        try:
            response = client.get(url)
        except Exception:  # reported by the GET fuzzing itself
            return parser
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            parser.feed(response.content.decode("utf-8", "replace"))
        return parser

    def chosen(self, names: list[str], variant: int) -> list[str]:
        """Every name in even variants (each gets garbage), a few in odd ones (so that one
        refused parameter does not hide what the others would do)."""
        if variant % 2 == 0:
            return list(names)
        return self.rng.sample(names, k=min(len(names), self.rng.randint(1, 4)))

    def query(self, names: list[str], variant: int) -> str:
        chosen = self.chosen(names, variant)
        pairs = []
        for name in chosen:
            for _ in range(self.rng.choice((1, 1, 1, 2))):  # sometimes a repeated key
                pairs.append((name, self.garbage()))
        return urlencode(pairs)

    def post_data(self, valid: dict, names: list[str], files: set[str], variant: int) -> dict:
        data = dict(valid)
        for name in self.chosen(names, variant):
            data[name] = (
                [self.garbage(), self.garbage()] if self.rng.random() < 0.2 else self.garbage()
            )
        for name in files:
            content = bytes(self.rng.getrandbits(8) for _ in range(self.rng.randint(0, 2048)))
            filename = self.rng.choice(["x.csv", "x.xlsx", "x.pdf", "..\\..\\x.csv", ".csv"])
            data[name] = SimpleUploadedFile(filename, content)
        return data


def _short(data) -> str:
    if not data:
        return ""
    return "{" + ", ".join(f"{k}={str(v)[:40]!r}" for k, v in list(data.items())[:8]) + "}"


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.key for p in PATTERNS])
def test_it_answers_garbage_without_a_server_error(pattern):
    cache.clear()  # rate limits must not turn later requests into 429s
    world = build_world()
    entry = _entry_for(pattern)
    kwargs, base_query, valid_data = _base(pattern, entry, world)
    valid_path = _valid_path(pattern, kwargs)
    fuzzer = Fuzzer(pattern, world, SEED)
    methods = _methods(pattern, entry)

    for persona in PERSONAS:
        client = Client()
        if world.users[persona] is not None:
            client.force_login(world.users[persona])
        fields = fuzzer.form_fields(client, valid_path + base_query) if "GET" in methods else None
        get_names = sorted({*(fields.names.get("get", ()) if fields else ()), *KNOWN_NAMES})
        post_names = sorted(
            {*(fields.names.get("post", ()) if fields else ()), *valid_data, *KNOWN_NAMES}
            - {"csrfmiddlewaretoken"}
        )
        files = fields.files if fields else set()

        # Garbage in each path argument, the others valid.
        for name in kwargs:
            for segment in PATH_GARBAGE:
                path = _path(
                    pattern, {**{k: quote(v, safe="") for k, v in kwargs.items()}, name: segment}
                )
                for method in methods:
                    fuzzer.send(
                        client, persona, method, path, valid_data if method == "POST" else None
                    )

        # Garbage query strings (and one with a NUL in it) on the valid path.
        if "GET" in methods:
            separator = "&" if "?" in base_query else "?"
            for variant in range(QUERY_VARIANTS):
                query = fuzzer.query(get_names, variant)
                fuzzer.send(client, persona, "GET", valid_path + base_query + separator + query)
            nul = urlencode(dict.fromkeys(get_names, "kafue\x00"))
            fuzzer.send(client, persona, "GET", valid_path + "?" + nul)
            fuzzer.send(client, persona, "GET", valid_path + base_query, HTTP_HX_REQUEST="true")
            fuzzer.send(client, persona, "GET", valid_path + base_query, **GARBAGE_HEADERS)

        # Garbage form values.
        if "POST" in methods:
            for variant in range(POST_VARIANTS):
                data = fuzzer.post_data(valid_data, post_names, files, variant)
                fuzzer.send(client, persona, "POST", valid_path + base_query, data)
            nul = {**valid_data, **dict.fromkeys(post_names, "kafue\x00")}
            fuzzer.send(client, persona, "POST", valid_path + base_query, nul)
            fuzzer.send(
                client, persona, "POST", valid_path + base_query, valid_data, **GARBAGE_HEADERS
            )
        cache.clear()

    assert not fuzzer.failures, (
        f"{len(fuzzer.failures)} of {fuzzer.sent} requests to {pattern.key} failed:\n"
        + "\n".join(fuzzer.failures[:25])
    )
