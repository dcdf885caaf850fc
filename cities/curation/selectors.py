"""Reads for curators: the queue of member cities needing attention and the member list."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import (
    Challenge,
    City,
    ContentFlag,
    FlagStatus,
    Initiative,
    JoinRequest,
    JoinRequestStatus,
    Official,
    Organisation,
    VerificationStatus,
)

STALE_AFTER = timedelta(days=365)


def _count(model, **filters):
    return Coalesce(
        Subquery(
            model.objects.filter(city=OuterRef("pk"), **filters)
            .order_by()
            .values("city")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def member_cities(organisation: Organisation):
    return City.objects.filter(memberships__organisation=organisation)


def stale_q(now=None) -> Q:
    """Not updated and not (re-)verified for 12 months."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    return Q(updated_at__lt=cutoff) & (Q(verified_at__isnull=True) | Q(verified_at__lt=cutoff))


def curation_queue(organisation: Organisation, *, now=None):
    """Member cities needing attention, each annotated with why: never verified, stale, open
    problem reports, pending join requests. A fixed number of queries."""
    now = now or timezone.now()
    return (
        member_cities(organisation)
        .annotate(
            open_flags=_count(ContentFlag, status=FlagStatus.OPEN),
            pending_joins=_count(JoinRequest, status=JoinRequestStatus.PENDING),
        )
        .filter(
            Q(verification_status=VerificationStatus.UNVERIFIED)
            | stale_q(now)
            | Q(open_flags__gt=0)
            | Q(pending_joins__gt=0)
        )
        .select_related("verified_by")
        .order_by("-open_flags", "-pending_joins", "verified_at", "name")
    )


def members_with_completeness(organisation: Organisation):
    return (
        member_cities(organisation)
        .annotate(
            official_count=_count(Official),
            challenge_count=_count(Challenge),
            initiative_count=_count(Initiative),
        )
        .select_related("verified_by")
        .order_by("name")
    )


def open_flags(organisation: Organisation):
    return (
        ContentFlag.objects.filter(city__in=member_cities(organisation), status=FlagStatus.OPEN)
        .select_related("city", "reported_by")
        .order_by("-created_at")
    )


def pending_join_requests(organisation: Organisation):
    return (
        JoinRequest.objects.filter(
            city__in=member_cities(organisation), status=JoinRequestStatus.PENDING
        )
        .select_related("city", "user")
        .order_by("created_at")
    )
