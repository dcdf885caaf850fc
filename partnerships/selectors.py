"""Reads for the partnership registry and requests. Each returns a queryset or
plain data with a bounded number of queries; views paginate, templates render."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cities.models import City
from cities.permissions import is_site_admin

from . import permissions
from .models import (
    OPEN_STATUSES,
    Partnership,
    PartnershipActivity,
    PartnershipRequest,
    RequestEvent,
)

MAP_LINES_LIMIT = 1000


def partnership_list(*, user, filterset_class, data) -> tuple[object, QuerySet[Partnership]]:
    """The public registry list: what ``user`` may see, filtered; returns (filterset, qs)."""
    base = (
        permissions.partnerships_visible_to(user)
        .select_related("city_a", "city_b")
        .prefetch_related("themes")
        .with_last_sign_of_life()
        .order_by("-since", "pk")
    )
    filterset = filterset_class(data=data, queryset=base)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    return filterset, queryset


def partnership_map_lines(queryset: QuerySet[Partnership]) -> list[dict]:
    """The lines for the map: one query, values only, capped at ``MAP_LINES_LIMIT``."""
    rows = (
        queryset.filter(
            city_a__latitude__isnull=False,
            city_a__longitude__isnull=False,
            city_b__latitude__isnull=False,
            city_b__longitude__isnull=False,
        )
        .order_by()
        .values(
            "pk",
            "kind",
            "status",
            "city_a__name",
            "city_a__latitude",
            "city_a__longitude",
            "city_b__name",
            "city_b__latitude",
            "city_b__longitude",
        )[:MAP_LINES_LIMIT]
    )
    return [
        {
            "id": row["pk"],
            "kind": row["kind"],
            "status": row["status"],
            "a": [row["city_a__latitude"], row["city_a__longitude"], row["city_a__name"]],
            "b": [row["city_b__latitude"], row["city_b__longitude"], row["city_b__name"]],
        }
        for row in rows
    ]


def partnership_detail_activities(partnership: Partnership) -> QuerySet[PartnershipActivity]:
    return partnership.activities.select_related("created_by")


@dataclass
class CityPartnerships:
    city: City
    partnerships: list[Partnership]
    dormant_count: int


def city_partnerships(*, city: City, user, limit: int = 50) -> CityPartnerships:
    """A city's partnerships visible to ``user`` for its profile: two queries (rows + themes)."""
    today = timezone.localdate()
    rows = list(
        permissions.partnerships_visible_to(user)
        .involving(city)
        .select_related("city_a", "city_b")
        .prefetch_related("themes")
        .order_by("status", "-since", "pk")[:limit]
    )
    for partnership in rows:
        partnership.partner = partnership.other(city)
        partnership.possibly_dormant = partnership.is_possibly_dormant(today=today)
    return CityPartnerships(
        city=city,
        partnerships=rows,
        dormant_count=sum(1 for p in rows if p.possibly_dormant),
    )


@dataclass
class RequestBox:
    """One side of the request lists for a user: inbox (received) or outbox (sent)."""

    cities: list[City]
    requests: QuerySet[PartnershipRequest]
    open_count: int
    answerable_city_ids: set[int]


def request_box(*, user, box: str, city_slug: str = "", status: str = "") -> RequestBox:
    """Requests to (``box="inbox"``) or from (``"outbox"``) the cities ``user`` staffs, plus
    the member cities of the organisations ``user`` curates (read-only). ``city_slug`` narrows
    to one of them (site admins: any city); ``status`` to "open" or one status."""
    staffed = list(permissions.staffed_cities(user))
    curated = [c for c in permissions.curated_cities(user).order_by("name") if c not in staffed]
    cities = staffed + curated
    if city_slug:
        cities = [c for c in cities if c.slug == city_slug]
        if not cities and is_site_admin(user):
            cities = list(City.objects.filter(slug=city_slug))
            staffed = cities
    field = "to_city" if box == "inbox" else "from_city"
    requests = (
        PartnershipRequest.objects.filter(**{f"{field}__in": cities})
        .select_related("from_city", "to_city", "sender")
        .order_by("-created_at", "-pk")
    )
    open_count = requests.filter(status__in=OPEN_STATUSES).count() if cities else 0
    if status == "open":
        requests = requests.filter(status__in=OPEN_STATUSES)
    elif status:
        requests = requests.filter(status=status)
    return RequestBox(
        cities=cities,
        requests=requests,
        open_count=open_count,
        answerable_city_ids={c.pk for c in staffed},
    )


def open_request_counts(*, user) -> dict[str, int]:
    """Open requests received and sent by the cities ``user`` staffs: one query."""
    staffed_ids = list(permissions.staffed_cities(user).values_list("pk", flat=True))
    if not staffed_ids:
        return {"inbox": 0, "outbox": 0}
    counts = PartnershipRequest.objects.open().aggregate(
        inbox=Count("pk", filter=Q(to_city__in=staffed_ids)),
        outbox=Count("pk", filter=Q(from_city__in=staffed_ids)),
    )
    return {"inbox": counts["inbox"], "outbox": counts["outbox"]}


def request_history(request: PartnershipRequest) -> QuerySet[RequestEvent]:
    return request.events.select_related("actor").order_by("created_at", "pk")
