"""Permission matrix entries for the partnership registry, requests and notifications
(docs/requests.md).

- The registry is public for active partnerships; a proposed one only for both cities' staff
  and curators; activities are recorded by staff of either city.
- Only staff of a city send on its behalf (the request form needs a city the user staffs);
  inbox and outbox are for city staff and (read-only) curators of their member cities.
- A request from "this" city (kafue) to the "other" city (recife) is seen by both cities' staff
  and curators; only recife's staff accept or decline it, only kafue's staff withdraw it;
  everyone else gets a 404 (they cannot view it) or a 403 (they can view but not act).
- Notifications are personal: only their owner reads or marks them.
"""

import datetime

from django.utils import timezone

from tests.partnerships.factories import PartnershipFactory, PartnershipRequestFactory

from .matrix import (
    ADMIN,
    CURATOR_OTHER,
    CURATOR_THIS,
    EVERYONE,
    SIGNED_IN,
    STAFF_OTHER,
    STAFF_THIS,
    Entry,
)

BOTH_CITIES = frozenset({STAFF_THIS, STAFF_OTHER, CURATOR_THIS, CURATOR_OTHER, ADMIN})
ANY_CITY_STAFF = frozenset({STAFF_THIS, STAFF_OTHER, ADMIN})


def _partnership(world, **fields):
    return {"pk": PartnershipFactory(first=world.city, second=world.other_city, **fields).pk}


def _request(world):
    return {
        "pk": PartnershipRequestFactory(
            from_city=world.city, to_city=world.other_city, sender=world.users[STAFF_THIS]
        ).pk
    }


def _own_notification(world):
    from cities.models import Notification

    notification = Notification.objects.create(
        user=world.users[STAFF_THIS],
        kind="request_received",
        title="Recife proposes a partnership",
        url="/partnerships/",
        created_at=timezone.now(),
    )
    return {"pk": notification.pk}


ENTRIES = [
    Entry(
        "partnerships:list",
        methods={"GET": EVERYONE},
        reason="the public registry; each persona sees what it may (filtered in the queryset)",
    ),
    Entry(
        "partnerships:detail",
        kwargs=lambda w: _partnership(w, status="proposed"),
        methods={"GET": BOTH_CITIES},
        reason="a proposed partnership: only the two cities' staff and curators (an active one "
        "is public: tests/partnerships/test_registry.py)",
    ),
    Entry(
        "partnerships:activity_add",
        kwargs=lambda w: _partnership(w),
        methods={"POST": ANY_CITY_STAFF},
        data=lambda w, kwargs: {
            "kind": "meeting",
            "date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "description": "Mayors met",
        },
        reason="staff of either city record activities; curators and others may not",
    ),
    Entry(
        "partnerships:request_new",
        query="?from=kafue&to=recife",
        methods={"GET": ANY_CITY_STAFF, "POST": ANY_CITY_STAFF},
        data=lambda w, kwargs: {
            "from_city": "kafue",
            "to_city": "recife",
            "kind": "project",
            "message": "Shall we work together on flood protection?",
        },
        reason="only staff of a city send requests (on behalf of a city they staff)",
    ),
    Entry(
        "partnerships:inbox",
        methods={"GET": BOTH_CITIES},
        reason="city staff and curators have an inbox; members without a city do not",
    ),
    Entry(
        "partnerships:outbox",
        query="?city=kafue",
        methods={"GET": {STAFF_THIS, CURATOR_THIS, ADMIN}},
        reason="a city's outbox: its staff, its curators (read-only) and site admins",
    ),
    Entry(
        "partnerships:request_detail",
        kwargs=_request,
        methods={"GET": BOTH_CITIES},
        reason="a request is seen by both cities' staff and curators; a 404 to others",
    ),
    Entry(
        "partnerships:request_accept",
        kwargs=_request,
        methods={"POST": {STAFF_OTHER, ADMIN}},
        reason="only staff of the addressed city accept",
    ),
    Entry(
        "partnerships:request_decline",
        kwargs=_request,
        methods={"POST": {STAFF_OTHER, ADMIN}},
        data=lambda w, kwargs: {"reason": "Not this year."},
        reason="only staff of the addressed city decline",
    ),
    Entry(
        "partnerships:request_withdraw",
        kwargs=_request,
        methods={"POST": {STAFF_THIS, ADMIN}},
        reason="only staff of the sending city withdraw",
    ),
    Entry(
        "notifications:list",
        methods={"GET": SIGNED_IN},
        reason="everyone signed in has their own notifications",
    ),
    Entry(
        "notifications:read",
        kwargs=_own_notification,
        methods={"POST": {STAFF_THIS}},
        reason="a notification is marked read by its owner only (a 404 to everyone else)",
    ),
    Entry(
        "notifications:read_all",
        methods={"POST": SIGNED_IN},
        reason="marks the signed-in user's own notifications read",
    ),
]
