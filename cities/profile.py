"""Sections that other apps add to a city's profile page.

The profile (``cities/detail.html``) shows the directory's own sections, then every section
registered here, in ``order``. The apps above ``cities`` register theirs from their
``AppConfig.ready``, so the directory names none of them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProfileSection:
    name: str
    template: str  # rendered with the profile's context (``city``, ``user``, ``request``)
    order: int
    # The same for every visitor: cached as a fragment per city and language for
    # FRAGMENT_CACHE_SECONDS. Sections that depend on who is looking must say False.
    shared: bool = False


_SECTIONS: dict[str, ProfileSection] = {}


def register_profile_section(*, name: str, template: str, order: int, shared: bool = False):
    """Add a section to every profile page (idempotent for the same name and template)."""
    existing = _SECTIONS.get(name)
    if existing is not None and existing.template != template:
        raise ValueError(f"profile section {name!r} is registered twice")
    _SECTIONS[name] = ProfileSection(name=name, template=template, order=order, shared=shared)


def profile_sections() -> list[ProfileSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.name))
