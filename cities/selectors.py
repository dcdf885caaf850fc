"""Reads of the directory: the filtered list, map points, CSV rows and the profile page."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.http import QueryDict
from django.shortcuts import get_object_or_404

from .choices import ContactVisibility, Priority
from .filters import CityFilterSet
from .models import Challenge, City, Initiative, Membership, Official
from .permissions import (
    UserLike,
    can_see_contact,
    can_view_city,
    cities_visible_to,
    public_cities,
)

MAP_POINTS_MAX = 5_000
# Long text a list row never shows; leaving it out keeps the page query small.
LIST_DEFERRED = ("alternate_names", "search_names", "summary", "looking_for")
# The export streams, so memory stays flat; the cap bounds the time one request may take.
EXPORT_ROWS_MAX = 50_000
EXPORT_CHUNK = 2_000
PRIORITY_RANK = Case(
    When(priority=Priority.HIGH, then=Value(0)),
    When(priority=Priority.MEDIUM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def directory_filterset(data: QueryDict) -> CityFilterSet:
    """The directory's FilterSet over the cities everyone may see, bound to the request's
    parameters. The results are cached for every visitor alike, so the list, the map points
    and the CSV export show the public's cities (``public_cities``) to everyone."""
    return CityFilterSet(data, queryset=public_cities())


def directory_cities(filterset: CityFilterSet) -> QuerySet:
    """The cities the filters select, ordered; none when a parameter is invalid.

    Rows carry their challenges (with theme) for the "seeks / offers" line of each entry.
    """
    if not filterset.is_valid():
        return City.objects.none()
    return filterset.qs.defer(*LIST_DEFERRED).prefetch_related(
        Prefetch(
            "challenges",
            queryset=Challenge.objects.select_related("theme").order_by(
                "-seeks_help", "theme__position"
            ),
        )
    )


def map_points(filterset: CityFilterSet, *, limit: int | None = None) -> dict:
    """At most ``limit`` located cities of the result (best-ordered first) as compact points.

    Each point is ``[latitude, longitude, name, slug]``; ``count`` is the size of the whole
    result so the map can say how many it leaves out.
    """
    limit = MAP_POINTS_MAX if limit is None else limit
    if not filterset.is_valid():
        return {"count": 0, "points": [], "truncated": False}
    located = filterset.qs.filter(latitude__isnull=False, longitude__isnull=False)
    points = [
        [round(lat, 4), round(lon, 4), name, slug]
        for lat, lon, name, slug in located.values_list("latitude", "longitude", "name", "slug")[
            : limit + 1
        ]
    ]
    truncated = len(points) > limit
    count = located.count() if truncated else len(points)
    return {"count": count, "points": points[:limit], "truncated": truncated}


# --- CSV export ---------------------------------------------------------------------------

EXPORT_COLUMNS = [
    "name",
    "country",
    "country_name",
    "region",
    "continent",
    "population",
    "population_source",
    "population_year",
    "latitude",
    "longitude",
    "timezone",
    "website",
    "open_to_partnerships",
    "partnership_kinds_sought",
    "verified",
    "verified_by",
    "sample_profile",
    "themes_seeking_help",
    "themes_offering_expertise",
    "geonames_id",
    "profile_url",
]
EXPORT_LOADED_FIELDS = [
    "name",
    "country",
    "region",
    "continent",
    "population",
    "population_source",
    "population_year",
    "latitude",
    "longitude",
    "timezone",
    "website",
    "open_to_partnerships",
    "partnership_kinds_sought",
    "verification_status",
    "verified_by__name",
    "is_sample",
    "geonames_id",
    "slug",
]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text a spreadsheet would run as a formula gets a leading quote; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def export_rows(filterset: CityFilterSet, *, build_url) -> Iterator[str]:
    """CSV lines (header first) of the filtered cities, public fields only.

    Officials are not exported at all: no e-mail address or phone number can leak this way.
    Reads in chunks, so the whole directory streams in flat memory.
    """
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_COLUMNS)
    if not filterset.is_valid():
        return
    cities = (
        filterset.qs.select_related("verified_by")
        .prefetch_related(
            Prefetch("challenges", queryset=Challenge.objects.select_related("theme"))
        )
        .only(*EXPORT_LOADED_FIELDS)[:EXPORT_ROWS_MAX]
    )
    for city in cities.iterator(chunk_size=EXPORT_CHUNK):
        challenges = list(city.challenges.all())
        row = [
            city.name,
            city.country.code,
            city.country.name,
            city.region,
            city.continent,
            city.population,
            city.population_source,
            city.population_year,
            city.latitude,
            city.longitude,
            city.timezone,
            city.website,
            "yes" if city.open_to_partnerships else "no",
            "; ".join(city.partnership_kinds_sought),
            "yes" if city.is_verified else "no",
            city.verified_by.name if city.is_verified and city.verified_by else "",
            "yes" if city.is_sample else "no",
            "; ".join(c.theme.name for c in challenges if c.seeks_help),
            "; ".join(c.theme.name for c in challenges if c.offers_expertise),
            city.geonames_id or "",
            build_url(city.get_absolute_url()),
        ]
        yield writer.writerow([spreadsheet_safe(value) for value in row])


# --- profile page -------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficialEntry:
    official: Official
    show_contact: bool


def city_for_profile(user: UserLike, slug: str) -> City:
    """The city with ``slug`` and everything its profile shows, in a fixed number of queries.

    404 when unknown, and when unpublished unless ``user`` may view it.
    """
    city = get_object_or_404(
        City.objects.select_related("verified_by").prefetch_related(
            Prefetch("officials", queryset=Official.objects.order_by("role", "name")),
            Prefetch(
                "challenges",
                queryset=Challenge.objects.select_related("theme", "theme__parent")
                .annotate(priority_rank=PRIORITY_RANK)
                .order_by("priority_rank", "theme__position", "theme__name"),
            ),
            Prefetch(
                "initiatives",
                queryset=Initiative.objects.prefetch_related(
                    "themes",
                    Prefetch(
                        "partner_cities",
                        queryset=cities_visible_to(user).only("name", "slug", "country"),
                    ),
                ),
            ),
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("organisation").order_by(
                    "organisation__name"
                ),
            ),
        ),
        slug=slug,
    )
    if not can_view_city(user, city):
        from django.http import Http404

        raise Http404
    return city


def official_entries(user: UserLike, city: City) -> list[OfficialEntry]:
    """The city's officials, each with whether ``user`` may see their contact details.

    ``can_see_contact`` depends only on the user, the visibility level and the city, so it is
    asked once per visibility level: the page costs the same however many officials there are.
    """
    answers: dict[str, bool] = {}
    entries = []
    for official in city.officials.all():
        official.city = city  # already loaded; spares the predicate a query
        level = official.contact_visibility
        if level not in answers:
            answers[level] = can_see_contact(user, official)
        entries.append(OfficialEntry(official, answers[level]))
    return entries


def visibility_note(entries: list[OfficialEntry]) -> str | None:
    """Which visibility levels keep contact details from this visitor (for a hint)."""
    hidden = {e.official.contact_visibility for e in entries if not e.show_contact}
    if ContactVisibility.MEMBERS in hidden:
        return ContactVisibility.MEMBERS
    return ContactVisibility.HIDDEN if hidden else None


def language_names(codes: list[str]) -> list[str]:
    """Display names of ISO 639-1 codes, in the visitor's language where Django knows them."""
    from django.conf.locale import LANG_INFO
    from django.utils.translation import gettext

    names = []
    for code in codes:
        info = LANG_INFO.get(str(code).lower())
        names.append(gettext(info["name"]) if info and "name" in info else str(code).upper())
    return names
