"""Writes to a city's profile. Callers check permissions first (cities.permissions); these
services trust their arguments, validate with ``full_clean()``, run atomically, and schedule
follow-up work (completeness, match suggestions) after commit. The change history is recorded
by django-simple-history on every save and delete."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction

from ..integrity import save_checked
from ..models import Challenge, City, Initiative, Membership, Official, Organisation, Theme
from ..services import city_profile_changed

# What city staff and curators may change on a city; everything else (verification, the
# published flag, is_sample, identifiers and coordinates from GeoNames) is not editable here.
CITY_EDITABLE_FIELDS = (
    "summary",
    "website",
    "population",
    "population_source",
    "population_year",
    "working_languages",
    "open_to_partnerships",
    "partnership_kinds_sought",
    "looking_for",
)
OFFICIAL_FIELDS = ("name", "role", "title", "email", "phone", "languages", "contact_visibility")
CHALLENGE_FIELDS = ("theme", "priority", "description", "seeks_help", "offers_expertise")
INITIATIVE_FIELDS = (
    "title",
    "description",
    "sdgs",
    "status",
    "start_date",
    "end_date",
    "budget",
    "budget_currency",
    "funding_sources",
    "results",
    "lessons_learned",
    "link",
)


def _assign(instance, changes: dict[str, Any], allowed: Iterable[str]) -> list[str]:
    """Set only allowed fields; returns the names that really changed."""
    allowed = set(allowed)
    stray = set(changes) - allowed
    if stray:
        raise ValueError(f"not editable here: {sorted(stray)}")
    changed = []
    for name, value in changes.items():
        try:
            current = getattr(instance, name)
        except ObjectDoesNotExist:  # a foreign key not set yet on a new object
            current = None
        if current != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def city_update(*, city: City, changes: dict[str, Any]) -> list[str]:
    """Change a city's editable profile fields; returns the names of the fields changed."""
    city = City.objects.select_for_update().get(pk=city.pk)
    changed = _assign(city, changes, CITY_EDITABLE_FIELDS)
    if changed:
        city.full_clean()
        city.save(update_fields=[*changed, "updated_at"])
        city_profile_changed(city=city)
    return changed


@transaction.atomic
def official_create(*, city: City, **fields: Any) -> Official:
    """Add an official to ``city``."""
    official = Official(city=city)
    _assign(official, fields, OFFICIAL_FIELDS)
    official.full_clean()
    official.save()
    city_profile_changed(city=city)
    return official


@transaction.atomic
def official_update(*, official: Official, changes: dict[str, Any]) -> list[str]:
    changed = _assign(official, changes, OFFICIAL_FIELDS)
    if changed:
        official.full_clean()
        official.save()
        city_profile_changed(city=official.city)
    return changed


@transaction.atomic
def official_delete(*, official: Official) -> None:
    city = official.city
    official.delete()
    city_profile_changed(city=city)


@transaction.atomic
def challenge_create(*, city: City, **fields: Any) -> Challenge:
    """Add a challenge (one per theme; it must seek help, offer expertise, or both)."""
    challenge = Challenge(city=city)
    _assign(challenge, fields, CHALLENGE_FIELDS)
    challenge.full_clean()
    save_checked(challenge)  # the same theme added at the same moment: a message, not a 500
    city_profile_changed(city=city)
    return challenge


@transaction.atomic
def challenge_update(*, challenge: Challenge, changes: dict[str, Any]) -> list[str]:
    changed = _assign(challenge, changes, CHALLENGE_FIELDS)
    if changed:
        challenge.full_clean()
        save_checked(challenge)
        city_profile_changed(city=challenge.city)
    return changed


@transaction.atomic
def challenge_delete(*, challenge: Challenge) -> None:
    city = challenge.city
    challenge.delete()
    city_profile_changed(city=city)


@transaction.atomic
def initiative_create(
    *, city: City, themes: Iterable[Theme] = (), partner_cities: Iterable[City] = (), **fields
) -> Initiative:
    """Add an initiative with its themes and partner cities."""
    initiative = Initiative(city=city)
    _assign(initiative, fields, INITIATIVE_FIELDS)
    initiative.full_clean()
    initiative.save()
    initiative.themes.set(themes)
    initiative.partner_cities.set([c for c in partner_cities if c.pk != city.pk])
    city_profile_changed(city=city)
    return initiative


@transaction.atomic
def initiative_update(
    *,
    initiative: Initiative,
    changes: dict[str, Any],
    themes: Iterable[Theme] | None = None,
    partner_cities: Iterable[City] | None = None,
) -> list[str]:
    changed = _assign(initiative, changes, INITIATIVE_FIELDS)
    if changed:
        initiative.full_clean()
        initiative.save()
    if themes is not None:
        initiative.themes.set(themes)
    if partner_cities is not None:
        initiative.partner_cities.set([c for c in partner_cities if c.pk != initiative.city_id])
    city_profile_changed(city=initiative.city)
    return changed


@transaction.atomic
def initiative_delete(*, initiative: Initiative) -> None:
    city = initiative.city
    initiative.delete()
    city_profile_changed(city=city)


@transaction.atomic
def membership_create(*, city: City, organisation: Organisation, since=None) -> Membership:
    """Record that ``city`` is a member of ``organisation`` (callers: its curators only)."""
    membership = Membership(city=city, organisation=organisation, since=since)
    membership.full_clean()
    save_checked(membership)  # the same membership added at the same moment
    city_profile_changed(city=city)
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership) -> None:
    city = membership.city
    membership.delete()
    city_profile_changed(city=city)
