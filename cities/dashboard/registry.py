"""Sections of the dashboard: the extension point the apps above ``cities`` fill in.

An app registers a section once, from its ``AppConfig.ready``::

    from cities.dashboard.registry import register_section

    register_section(
        key="requests", order=20, template="partnerships/dashboard/_requests.html",
        build=requests_section,
    )

``build(viewer)`` gets a :class:`Viewer` and returns the template's context (a dict), or
``None`` when the section has nothing for this person (it is then left out). A section must
cost a bounded number of queries whatever the person's data: the dashboard's query budget is
tested (tests/cities/test_dashboard.py). The order decides the position, lowest first.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User


@dataclass(frozen=True)
class Viewer:
    """Who looks at the dashboard, loaded once for every section.

    ``cities``: the cities the person keeps (``CityStaff``), each annotated as
    ``cities.dashboard.selectors.staffed_cities`` says; ``organisations``: those they curate;
    ``since``: the end of their previous visit (None on the first), for "new since your last
    visit"; ``now``: this visit's time."""

    user: User
    now: datetime.datetime
    since: datetime.datetime | None
    cities: list = field(default_factory=list)
    organisations: list = field(default_factory=list)

    @property
    def city_ids(self) -> list[int]:
        return [city.pk for city in self.cities]


@dataclass(frozen=True)
class Section:
    key: str
    order: int
    template: str
    build: Callable[[Viewer], dict[str, Any] | None]


_sections: dict[str, Section] = {}


def register_section(
    *, key: str, order: int, template: str, build: Callable[[Viewer], dict[str, Any] | None]
) -> None:
    """Add a section; registering the same key again replaces it (``ready`` may run twice)."""
    _sections[key] = Section(key=key, order=order, template=template, build=build)


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))
