"""The directory's own dashboard sections: the cities a person keeps and the curators' queues.

Each ``*_section`` takes a :class:`~cities.dashboard.registry.Viewer` and returns its
template's context or None; they are registered in ``CitiesConfig.ready``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..curation.selectors import STALE_AFTER
from ..models import (
    Challenge,
    City,
    ContentFlag,
    FlagStatus,
    Initiative,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Official,
    StaffRole,
    VerificationStatus,
)
from ..permissions import curated_organisations
from ..services import PROFILE_PARTS, profile_parts_present
from .registry import Viewer

# A dashboard lists this many of a person's cities or organisations, and links to the rest.
LISTED_MAX = 20

# What to fill in next, per missing part of a profile: the advice and where to act on it
# (URL name; the location is not the staff's to edit, so they ask the curators).
NEXT_STEPS = {
    "summary": (_("Write a short summary of the city"), "cities:edit"),
    "officials": (_("Add an official whom partners can contact"), "cities:edit_officials"),
    "challenges": (
        _("Say what the city seeks help with and what expertise it offers"),
        "cities:edit_challenges",
    ),
    "initiatives": (_("Describe an initiative and what it taught"), "cities:edit_initiatives"),
    "coordinates": (_("Ask the curators to add the city's location"), "cities:report"),
    "languages": (_("Add the city's working languages"), "cities:edit"),
}


def staffed_cities(user, *, limit: int = LISTED_MAX) -> list[City]:
    """The cities ``user`` keeps, with what their completeness needs, in one query: each
    carries ``staff_role`` and ``has_officials`` / ``has_challenges`` / ``has_initiatives``."""
    if not user.is_authenticated:
        return []
    return list(
        City.objects.filter(staff__user=user)
        .annotate(
            staff_role=F("staff__role"),
            has_officials=Exists(Official.objects.filter(city=OuterRef("pk"))),
            has_challenges=Exists(Challenge.objects.filter(city=OuterRef("pk"))),
            has_initiatives=Exists(Initiative.objects.filter(city=OuterRef("pk"))),
        )
        .defer("alternate_names", "search_names", "looking_for")
        .order_by("name", "pk")[:limit]
    )


@dataclass(frozen=True)
class NextStep:
    label: str
    url: str
    weight: int


@dataclass(frozen=True)
class CityProgress:
    city: City
    role: str
    completeness: int
    next_steps: list[NextStep]


def city_progress(city: City) -> CityProgress:
    """``city``'s completeness (computed now, so an edit shows at once) and what is missing,
    the most valuable first. ``city`` carries the annotations of :func:`staffed_cities`."""
    present = profile_parts_present(
        has_summary=bool(city.summary.strip()),
        officials=int(city.has_officials),
        challenges=int(city.has_challenges),
        initiatives=int(city.has_initiatives),
        has_coordinates=city.latitude is not None and city.longitude is not None,
        has_languages=bool(city.working_languages),
    )
    steps = []
    for part, weight in sorted(PROFILE_PARTS, key=lambda item: -item[1]):
        if not present[part]:
            label, url_name = NEXT_STEPS[part]
            steps.append(
                NextStep(str(label), reverse(url_name, kwargs={"slug": city.slug}), weight)
            )
    completeness = sum(weight for part, weight in PROFILE_PARTS if present[part])
    role = str(dict(StaffRole.choices).get(city.staff_role, city.staff_role))
    return CityProgress(city=city, role=role, completeness=completeness, next_steps=steps)


def my_cities_section(viewer: Viewer) -> dict | None:
    """The cities the person keeps: completeness and the next things to fill in."""
    if not viewer.cities:
        return None
    return {"progress": [city_progress(city) for city in viewer.cities]}


@dataclass(frozen=True)
class QueueSummary:
    organisation: object
    needing_attention: int
    open_flags: int
    pending_joins: int


def curation_section(viewer: Viewer) -> dict | None:
    """Per curated organisation: how many member cities need attention (never verified,
    stale, reported, with people asking to join), open reports and join requests. Three
    aggregate queries, however many organisations and cities."""
    organisations = viewer.organisations
    if not organisations:
        return None
    ids = [o.pk for o in organisations]
    flags = dict(
        ContentFlag.objects.filter(status=FlagStatus.OPEN, city__memberships__organisation__in=ids)
        .values_list("city__memberships__organisation")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    joins = dict(
        JoinRequest.objects.filter(
            status=JoinRequestStatus.PENDING, city__memberships__organisation__in=ids
        )
        .values_list("city__memberships__organisation")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    cutoff = viewer.now - STALE_AFTER
    stale = Q(city__updated_at__lt=cutoff) & (
        Q(city__verified_at__isnull=True) | Q(city__verified_at__lt=cutoff)
    )
    attention = dict(
        Membership.objects.filter(organisation__in=ids)
        .filter(
            Q(city__verification_status=VerificationStatus.UNVERIFIED)
            | stale
            | Exists(ContentFlag.objects.filter(city=OuterRef("city"), status=FlagStatus.OPEN))
            | Exists(
                JoinRequest.objects.filter(city=OuterRef("city"), status=JoinRequestStatus.PENDING)
            )
        )
        .values_list("organisation")
        .annotate(n=Count("city", distinct=True))
        .order_by()
    )
    return {
        "queues": [
            QueueSummary(
                organisation=o,
                needing_attention=attention.get(o.pk, 0),
                open_flags=flags.get(o.pk, 0),
                pending_joins=joins.get(o.pk, 0),
            )
            for o in organisations
        ]
    }


def viewer_for(user, *, since, now=None) -> Viewer:
    """The :class:`Viewer` for ``user``: two queries (their cities, their organisations)."""
    return Viewer(
        user=user,
        now=now or timezone.now(),
        since=since,
        cities=staffed_cities(user),
        organisations=list(curated_organisations(user).order_by("name")[:LISTED_MAX]),
    )
