"""Reads for the partnership registry and requests. Each returns a queryset or
plain data with a bounded number of queries; views paginate, templates render."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from cities.models import City
from cities.permissions import is_site_admin

from . import permissions
from .models import (
    OPEN_STATUSES,
    Partnership,
    PartnershipActivity,
    PartnershipRequest,
    PartnershipStatus,
    RequestEvent,
)
from .models.registry import dormant_cutoff

# Lines are drawn for a filtered set up to this size (on a canvas); above it the map shows the
# partner cities clustered and asks for narrower filters — a hairball of 9,000 lines tells
# nobody anything, and it would cost every visitor the bytes.
MAP_LINES_MAX = 2500


def partnership_list(
    *, user, filterset_class, data, for_map: bool = False
) -> tuple[object, QuerySet[Partnership]]:
    """The public registry list: what ``user`` may see, filtered; returns (filterset, qs).
    ``for_map`` leaves out what only the table needs (cities' rows, themes)."""
    base = permissions.partnerships_visible_to(user).with_last_sign_of_life()
    if not for_map:
        base = (
            base.select_related("city_a", "city_b")
            .prefetch_related("themes")
            .order_by(F("since").desc(nulls_last=True), "pk")
        )
    filterset = filterset_class(data=data, queryset=base)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    return filterset, queryset


def map_status(status: str, last_sign_of_life, *, cutoff) -> str:
    """How the map draws a partnership: an active one silent since before ``cutoff`` is
    drawn like a dormant one (``Partnership.is_possibly_dormant``'s rule), not as active."""
    if status == PartnershipStatus.ACTIVE and last_sign_of_life < cutoff:
        return PartnershipStatus.DORMANT
    return status


def partnership_map(queryset: QuerySet[Partnership], *, lines_max: int | None = None) -> dict:
    """The map of a set of partnerships: one ``values_list`` query, compact JSON.

    ``points`` are the cities (``[lat, lon, name, slug]``, each once), ``lines`` the
    partnerships between them (``[id, point index, point index, status, confirmed]``, with
    ``confirmed`` 0 for an unconfirmed import). When the set has more than ``lines_max``
    partnerships, ``lines`` is empty and ``lines_drawn`` false: the map shows the cities.
    A possibly dormant partnership (active, no sign of life for 24 months) is drawn as
    dormant, as the table calls it."""
    lines_max = MAP_LINES_MAX if lines_max is None else lines_max
    cutoff = dormant_cutoff(timezone.localdate())
    rows = list(
        queryset.filter(
            city_a__latitude__isnull=False,
            city_a__longitude__isnull=False,
            city_b__latitude__isnull=False,
            city_b__longitude__isnull=False,
        )
        .order_by()
        .values_list(
            "pk",
            "status",
            "confirmation",
            "city_a_id",
            "city_a__latitude",
            "city_a__longitude",
            "city_a__name",
            "city_a__slug",
            "city_b_id",
            "city_b__latitude",
            "city_b__longitude",
            "city_b__name",
            "city_b__slug",
            "last_activity_on",
            "since",
            "created_at",
        )
    )
    index: dict[int, int] = {}
    points: list[list] = []

    def point(city_id, lat, lon, name, slug) -> int:
        if city_id not in index:
            index[city_id] = len(points)
            points.append([round(lat, 4), round(lon, 4), name, slug])
        return index[city_id]

    lines = []
    draw = len(rows) <= lines_max
    for pk, status, confirmation, *ends, last_activity_on, since, created_at in rows:
        i = point(*ends[:5])
        j = point(*ends[5:])
        if draw:
            last_sign_of_life = last_activity_on or since or timezone.localdate(created_at)
            drawn = map_status(status, last_sign_of_life, cutoff=cutoff)
            lines.append([pk, i, j, drawn, 0 if confirmation == "unconfirmed" else 1])
    return {"count": len(rows), "points": points, "lines": lines, "lines_drawn": draw}


def audience_cache_key(prefix: str, *, user, data) -> str | None:
    """A cache key for what anonymous visitors (or members without a city) see for this query
    string and language; ``None`` when nothing may be shared — an insider's view, or the
    fragment cache switched off (``FRAGMENT_CACHE_SECONDS`` 0, as in tests)."""
    from django.conf import settings
    from django.utils.translation import get_language

    if not settings.FRAGMENT_CACHE_SECONDS:
        return None
    audience = permissions.visibility_audience(user)
    if audience is None:
        return None
    query = "&".join(f"{k}={v}" for k, v in sorted(data.items()) if k != "page")
    page = data.get("page", "")
    digest = hashlib.sha256(f"{query}#{page}".encode()).hexdigest()[:32]
    return f"{prefix}:{audience}:{get_language()}:{digest}"


def partnership_map_json(*, user, data) -> str:
    """``partnership_map`` of the registry's filtered set, serialised. What anonymous visitors
    and members without a city see is the same for all of them, so the JSON text is cached
    for ``FRAGMENT_CACHE_SECONDS`` per query string; staff, curators and admins see their own
    cities' hidden rows too and always get a fresh answer."""
    import json

    from django.conf import settings
    from django.core.cache import cache

    from .filters import PartnershipFilter

    key = audience_cache_key("partnership-map", user=user, data=data)
    if key is not None:
        cached = cache.get(key)
        if cached is not None:
            return cached
    _filterset, queryset = partnership_list(
        user=user, filterset_class=PartnershipFilter, data=data, for_map=True
    )
    body = json.dumps(partnership_map(queryset), separators=(",", ":"), ensure_ascii=False)
    if key is not None:
        cache.set(key, body, settings.FRAGMENT_CACHE_SECONDS)
    return body


def partnership_detail_activities(partnership: Partnership) -> QuerySet[PartnershipActivity]:
    return partnership.activities.select_related("created_by")


@dataclass
class TwoHop:
    """A city two partnerships away, and the partners it is reached through."""

    city: City
    via: list[City]


@dataclass
class CityPartnerships:
    city: City
    partnerships: list[Partnership]
    dormant_count: int
    total: int = 0  # all visible partnerships of the city (more than listed when at the limit)
    map_data: dict | None = None
    two_hops: list[TwoHop] | None = None


def _profile_map(city: City, rows: list[Partnership]) -> dict:
    """The profile's small map from the rows already loaded (no query)."""
    points, lines = [], []
    if city.latitude is None or city.longitude is None:
        return {"count": 0, "points": [], "lines": [], "lines_drawn": True}
    points.append([round(city.latitude, 4), round(city.longitude, 4), city.name, city.slug])
    for partnership in rows:
        partner = partnership.partner
        if partner.latitude is None or partner.longitude is None:
            continue
        points.append(
            [round(partner.latitude, 4), round(partner.longitude, 4), partner.name, partner.slug]
        )
        confirmed = 0 if partnership.confirmation == "unconfirmed" else 1
        lines.append([partnership.pk, 0, len(points) - 1, partnership.status, confirmed])
    return {"count": len(lines), "points": points, "lines": lines, "lines_drawn": True}


def partners_of_partners(
    *, city: City, visible: QuerySet[Partnership], partners: dict[int, City], limit: int = 8
) -> list[TwoHop]:
    """Cities two partnerships away from ``city`` (partners of its partners that are not
    its partners), most shared partners first, then the larger city: a discovery aid. Two
    queries: the partners' partnerships (ids only) and the cities shown."""
    if not partners:
        return []
    ids = list(partners)
    via: dict[int, set[int]] = {}
    rows = (
        visible.filter(Q(city_a__in=ids) | Q(city_b__in=ids))
        .exclude(status="ended")
        .values_list("city_a_id", "city_b_id")
    )
    for a, b in rows:
        for middle, far in ((a, b), (b, a)):
            if middle in partners and far != city.pk and far not in partners:
                via.setdefault(far, set()).add(middle)
    if not via:
        return []
    # More than enough candidates to rank by population among those sharing as many partners.
    best = sorted(via, key=lambda pk: (-len(via[pk]), pk))[: limit * 5]
    cities = (
        City.objects.published().only("pk", "name", "slug", "country", "population").in_bulk(best)
    )
    ranked = sorted(
        (pk for pk in best if pk in cities),
        key=lambda pk: (-len(via[pk]), -(cities[pk].population or 0), cities[pk].name),
    )[:limit]
    return [
        TwoHop(
            city=cities[pk],
            via=sorted((partners[m] for m in via[pk]), key=lambda c: c.name),
        )
        for pk in ranked
    ]


PROFILE_PARTNERSHIPS_LIMIT = 60


def city_partnerships(
    *, city: City, user, limit: int = PROFILE_PARTNERSHIPS_LIMIT
) -> CityPartnerships:
    """A city's partnerships visible to ``user`` for its profile — confirmed first, then by
    partner name —, a small map of the links and the partners of its partners. At most six
    queries: rows, themes, the total when at the limit, two for partners of partners, and
    (signed-in users) the cities they staff or curate."""
    today = timezone.localdate()
    visible = permissions.partnerships_visible_to(user)
    rows = list(
        visible.involving(city)
        .select_related("city_a", "city_b")
        .prefetch_related("themes")
        .annotate(
            unconfirmed_first=Case(
                When(confirmation="unconfirmed", then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            partner_name=Case(When(city_a=city, then=F("city_b__name")), default=F("city_a__name")),
        )
        .order_by("unconfirmed_first", "partner_name", "pk")[:limit]
    )
    for partnership in rows:
        partnership.partner = partnership.other(city)
        partnership.possibly_dormant = partnership.is_possibly_dormant(today=today)
    total = len(rows) if len(rows) < limit else visible.involving(city).count()
    partners = {p.partner.pk: p.partner for p in rows if p.status != "ended"}
    return CityPartnerships(
        city=city,
        partnerships=rows,
        dormant_count=sum(1 for p in rows if p.possibly_dormant),
        total=total,
        map_data=_profile_map(city, rows),
        two_hops=partners_of_partners(city=city, visible=visible, partners=partners),
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


# --- review of imported partnerships ----------------------------------------------------------


def review_list(*, user, cities, city=None, state: str = "") -> QuerySet[Partnership]:
    """Imported partnerships of ``cities`` (or of ``city``, one of them) for the review list,
    those waiting first; ``state`` narrows to unconfirmed / flagged / confirmed / rejected /
    all. Site admins without cities of their own see every imported partnership."""
    from .models import PartnershipConfirmation

    queryset = Partnership.objects.imported()
    if city is not None:
        queryset = queryset.involving(city)
    elif cities is not None:
        ids = list(cities.values_list("pk", flat=True))
        queryset = queryset.filter(Q(city_a__in=ids) | Q(city_b__in=ids))
    state = state or "unconfirmed"
    if state == "unconfirmed":
        queryset = queryset.filter(confirmation=PartnershipConfirmation.UNCONFIRMED)
    elif state == "flagged":
        queryset = queryset.filter(
            confirmation=PartnershipConfirmation.UNCONFIRMED, missing_upstream_since__isnull=False
        )
    elif state == "confirmed":
        queryset = queryset.filter(
            confirmation__in=[PartnershipConfirmation.CITY, PartnershipConfirmation.CURATOR]
        )
    elif state == "rejected":
        queryset = queryset.filter(confirmation=PartnershipConfirmation.REJECTED)
    return queryset.select_related("city_a", "city_b", "confirmed_by").order_by(
        F("missing_upstream_since").desc(nulls_last=True), "city_a__name", "city_b__name", "pk"
    )


def partnership_events(partnership: Partnership):
    return partnership.events.select_related("actor").order_by("-created_at", "-pk")
