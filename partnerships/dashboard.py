"""The registry's and the programmes' sections of the dashboard (``cities.dashboard``):
partnership requests to answer, new suggested partners since the last visit, and the
programmes a person organises. Registered in ``PartnershipsConfig.ready``; each takes the
dashboard's ``Viewer`` and costs at most two queries."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from cities.permissions import public_cities

from .models import (
    MatchSuggestion,
    PartnershipRequest,
    Programme,
    ProgrammeOrganiserRole,
    ProgrammeStatus,
)

REQUESTS_LISTED = 5
SUGGESTIONS_PER_CITY = 3
# Suggestions are looked at among each city's best this many (the rest are far below).
SUGGESTIONS_CONSIDERED_RANK = 20
PROGRAMMES_LISTED = 10


def requests_section(viewer) -> dict | None:
    """Open requests to the person's cities, oldest first (they expire first), and how many
    of their own requests still wait for an answer. Two queries."""
    if not viewer.cities:
        return None
    ids = viewer.city_ids
    counts = PartnershipRequest.objects.open().aggregate(
        to_answer=Count("pk", filter=Q(to_city__in=ids)),
        waiting=Count("pk", filter=Q(from_city__in=ids)),
    )
    waiting_requests = []
    if counts["to_answer"]:
        waiting_requests = list(
            PartnershipRequest.objects.open()
            .filter(to_city__in=ids)
            .select_related("from_city", "to_city")
            .order_by("expires_at", "pk")[:REQUESTS_LISTED]
        )
    return {
        "requests": waiting_requests,
        "to_answer": counts["to_answer"],
        "sent_waiting": counts["waiting"],
    }


def suggestions_section(viewer) -> dict | None:
    """Per city the person keeps, the suggested partners that entered its list since their
    last visit (on the first visit: the best ones), at most ``SUGGESTIONS_PER_CITY`` each.
    One query; only cities the public may see, like the profile's list."""
    if not viewer.cities:
        return None
    rows = MatchSuggestion.objects.filter(
        city__in=viewer.city_ids,
        rank__lte=SUGGESTIONS_CONSIDERED_RANK,
        suggested_city__in=public_cities(),
    )
    if viewer.since is not None:
        rows = rows.filter(first_suggested_at__gt=viewer.since)
    cities = {city.pk: city for city in viewer.cities}
    by_city: dict[int, list[MatchSuggestion]] = {}
    for row in rows.select_related("suggested_city").order_by("city_id", "rank"):
        listed = by_city.setdefault(row.city_id, [])
        if len(listed) < SUGGESTIONS_PER_CITY:
            row.city = cities[row.city_id]  # the sentences name it: no query per row
            row.sentences = row.reason_sentences()  # stored as data, worded for the reader
            listed.append(row)
    return {
        "groups": [(city, by_city[city.pk]) for city in viewer.cities if city.pk in by_city],
        "since": viewer.since,
    }


def programmes_section(viewer) -> dict | None:
    """The programmes the person organises that are not over, soonest first, with their
    participants counted; or, for an organiser with none yet, the way to start one. Two
    queries at most."""
    user = viewer.user
    programmes = list(
        Programme.objects.filter(organisers=user)
        .exclude(status=ProgrammeStatus.COMPLETED)
        .filter(end_date__gte=timezone.localdate(viewer.now))
        .annotate(participant_count=Count("participants", distinct=True))
        .order_by("start_date", "pk")[:PROGRAMMES_LISTED]
    )
    holds_role = user.is_superuser or ProgrammeOrganiserRole.objects.filter(user=user).exists()
    if not programmes and not holds_role:
        return None
    return {"programmes": programmes, "can_create": holds_role}
