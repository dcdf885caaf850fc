"""The matrix's vocabulary: personas, persona groups, ``Entry``, the world every check runs in,
the URL-pattern walker and the allow/deny classification. See the package docstring."""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

# --- personas ------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
MEMBER = "member"
STAFF_OTHER = "staff_other"
STAFF_THIS = "staff_this"
CURATOR_OTHER = "curator_other"
CURATOR_THIS = "curator_this"
ORGANISER = "organiser"
ADMIN = "admin"

PERSONAS = (
    ANONYMOUS,
    MEMBER,
    STAFF_OTHER,
    STAFF_THIS,
    CURATOR_OTHER,
    CURATOR_THIS,
    ORGANISER,
    ADMIN,
)

EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {ANONYMOUS}
ANONYMOUS_ONLY = frozenset({ANONYMOUS})
CITY_STAFF = frozenset({STAFF_THIS, ADMIN})
CITY_EDITORS = frozenset({STAFF_THIS, CURATOR_THIS, ADMIN})
CURATORS = frozenset({CURATOR_THIS, CURATOR_OTHER, ADMIN})
ORG_CURATORS = frozenset({CURATOR_THIS, ADMIN})
ADMIN_ONLY = frozenset({ADMIN})
NOBODY = frozenset()

CHECKED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Entry:
    """Who may use one URL pattern, per HTTP method."""

    name: str
    methods: dict[str, frozenset[str] | set[str]]
    kwargs: Callable[[World], dict[str, Any]] | None = None
    query: str | Callable[[World], str] = ""
    data: Callable[[World, dict[str, Any]], dict[str, Any]] | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    reason: str = ""
    # Only for "<namespace>:*" families: the concrete URLs to check (world -> list of paths).
    family_urls: Callable[[World], list[str]] | None = None

    def __post_init__(self) -> None:
        unknown = {m for m in self.methods if m not in CHECKED_METHODS}
        if unknown:
            raise ValueError(f"{self.name}: unknown methods {sorted(unknown)}")
        for method, personas in self.methods.items():
            stray = set(personas) - set(PERSONAS)
            if stray:
                raise ValueError(f"{self.name} {method}: unknown personas {sorted(stray)}")

    @property
    def is_family(self) -> bool:
        return self.name.endswith(":*")

    def targets(self, world: World) -> list[tuple[str, dict[str, Any]]]:
        """(url, request body) pairs to check."""
        if self.is_family:
            assert self.family_urls, f"{self.name}: a family entry needs family_urls"
            return [(url, {}) for url in self.family_urls(world)]
        kwargs = self.kwargs(world) if self.kwargs else {}
        if self.name.startswith("route:"):
            path = "/" + self.name.removeprefix("route:")
            for key, value in kwargs.items():
                path = _replace_converter(path, key, value)
        else:
            path = reverse(self.name, kwargs=kwargs)
        query = self.query(world) if callable(self.query) else self.query
        body = self.data(world, kwargs) if self.data else {}
        return [(path + query, body)]


def _replace_converter(path: str, key: str, value: Any) -> str:
    import re

    return re.sub(rf"<(?:\w+:)?{re.escape(key)}>", str(value), path)


# --- the world -----------------------------------------------------------------------------


@dataclass
class World:
    city: Any
    other_city: Any
    organisation: Any
    other_organisation: Any
    users: dict[str, Any]


def build_world() -> World:
    """Two cities in two organisations, and one user per persona (see the package docstring)."""
    from tests.cities.factories import (
        CityFactory,
        CityStaffFactory,
        CuratorFactory,
        MembershipFactory,
        OrganisationFactory,
        UserFactory,
    )

    city = CityFactory(name="Kafue", slug="kafue", country="ZM", continent="AF")
    other_city = CityFactory(name="Recife", slug="recife", country="BR", continent="SA")
    organisation = OrganisationFactory(name="Sample Association of Cities", slug="dst")
    other_organisation = OrganisationFactory(name="Sample City Network", slug="net")
    MembershipFactory(organisation=organisation, city=city)
    MembershipFactory(organisation=other_organisation, city=other_city)
    users = {
        ANONYMOUS: None,
        MEMBER: UserFactory(username="member"),
        STAFF_OTHER: CityStaffFactory(
            user=UserFactory(username="staff_recife"), city=other_city
        ).user,
        STAFF_THIS: CityStaffFactory(user=UserFactory(username="staff_kafue"), city=city).user,
        CURATOR_OTHER: CuratorFactory(
            user=UserFactory(username="curator_net"), organisation=other_organisation
        ).user,
        CURATOR_THIS: CuratorFactory(
            user=UserFactory(username="curator_dst"), organisation=organisation
        ).user,
        ORGANISER: UserFactory(username="organiser"),
        ADMIN: UserFactory(username="admin", is_staff=True, is_superuser=True),
    }
    from partnerships.models import ProgrammeOrganiserRole

    ProgrammeOrganiserRole.objects.create(
        user=users[ORGANISER], organisation=organisation, granted_by=users[CURATOR_THIS]
    )
    return World(city, other_city, organisation, other_organisation, users)


# --- URL patterns --------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name" or "route:<full route>"
    route: str
    namespace: str


def iter_patterns(
    patterns: Iterable | None = None, prefix: str = "", namespaces: tuple[str, ...] = ()
) -> Iterator[Pattern]:
    """Every URL pattern of the project, with its full name and route, includes followed."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for item in patterns:
        route = prefix + str(item.pattern)
        if isinstance(item, URLResolver):
            ns = (*namespaces, item.namespace) if item.namespace else namespaces
            yield from iter_patterns(item.url_patterns, route, ns)
        elif isinstance(item, URLPattern):
            namespace = ":".join(namespaces)
            if item.name:
                key = f"{namespace}:{item.name}" if namespace else item.name
            else:
                key = f"route:{route}"
            yield Pattern(key=key, route=route, namespace=namespace)


def load_entries() -> list[Entry]:
    """``ENTRIES`` from every ``tests/permissions/matrix_*.py`` module."""
    import tests.permissions as package

    entries: list[Entry] = []
    for module_info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if module_info.name.startswith("matrix_"):
            module = importlib.import_module(f"{package.__name__}.{module_info.name}")
            entries.extend(module.ENTRIES)
    return entries


def entry_covers(entry: Entry, pattern: Pattern) -> bool:
    if entry.is_family:
        return pattern.namespace == entry.name.removesuffix(":*")
    return entry.name == pattern.key


# --- outcome -------------------------------------------------------------------------------

ALLOWED_STATUSES = {200, 201, 204}
REDIRECTS = {301, 302, 303, 307, 308}


def login_paths() -> set[str]:
    paths = set()
    for target in (settings.LOGIN_URL, "admin:login"):
        try:
            paths.add(urlsplit(resolve_url(target)).path)
        except NoReverseMatch:
            continue
    return paths


def classify(response) -> str:
    """ "allowed", "denied" or "unexpected <status>" (see the package docstring)."""
    status = response.status_code
    if status in ALLOWED_STATUSES:
        return "allowed"
    if status in {403, 404}:
        return "denied"
    if status in REDIRECTS:
        target = urlsplit(response.headers.get("Location", "")).path
        return "denied" if target in login_paths() else "allowed"
    return f"unexpected {status}"


def send(client, method: str, url: str, data: dict[str, Any], entry: Entry):
    """One request as the entry describes it."""
    call = getattr(client, method.lower())
    headers = entry.headers or {}
    if method == "GET":
        return call(url, headers=headers)
    if entry.content_type == "application/json":
        return call(url, data=json.dumps(data), content_type=entry.content_type, headers=headers)
    if method == "POST":
        return call(url, data=data, headers=headers)
    # PUT/PATCH/DELETE: the test client needs an encoded body.
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    return call(
        url,
        data=encode_multipart(BOUNDARY, data),
        content_type=MULTIPART_CONTENT,
        headers=headers,
    )
