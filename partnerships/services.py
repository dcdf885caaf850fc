"""Writes to the partnership registry and the request workflow.

Callers check permission first (partnerships.permissions; see the access rule there): these
services trust their arguments. Each validates, runs in one transaction, and writes its
notifications (and their outbox e-mails) in that same transaction, so a rolled-back change
notifies nobody. State changes of a request lock the row
(``select_for_update``) *and* update conditionally (``WHERE status = <the status read>``): on
PostgreSQL the lock serialises concurrent answers, and on any database an answer that lost the
race changes nothing and gets a clear error.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cities.models import City, OutboxEmail, Theme
from cities.notifications.services import notify, notify_many, preferences_for
from cities.permissions import public_cities

from .models import (
    OPEN_STATUSES,
    Partnership,
    PartnershipActivity,
    PartnershipRequest,
    PartnershipSource,
    PartnershipStatus,
    RequestEvent,
    RequestStatus,
)
from .models.requests import DECLINE_REASON_MAX_LENGTH


class RequestRefused(ValidationError):
    """A request or answer the workflow refuses, with a message for the user and, where it
    helps, a link to what is in the way (the open request, the existing partnership)."""

    def __init__(self, message: str, *, code: str, link: str = "") -> None:
        super().__init__(message, code=code)
        self.link = link


def _conf(key: str, default: int) -> int:
    return int(settings.CITYDIPLOMACY.get(key, default))


def city_staff_users(city: City):
    return get_user_model().objects.filter(city_roles__city=city, is_active=True).distinct()


def city_curator_users(city: City):
    return (
        get_user_model()
        .objects.filter(curator_roles__organisation__memberships__city=city, is_active=True)
        .distinct()
    )


# --- requests ---------------------------------------------------------------------------------


def request_send(
    *,
    sender,
    from_city: City,
    to_city: City,
    kind: str,
    message: str,
    themes: Iterable[Theme] = (),
    now: datetime.datetime | None = None,
) -> PartnershipRequest:
    """``sender`` (staff of ``from_city``) proposes a partnership of ``kind`` to ``to_city``.

    Refuses (``RequestRefused``, nothing stored, nothing sent): a request to the own city, to an
    unpublished city, a second open request for the same ordered pair (also enforced by the
    database, so a double submit stores one), a request while ``to_city`` has one open towards
    ``from_city``, a pair that already has a partnership of ``kind``, and more than
    REQUESTS_PER_CITY_PER_DAY requests from one city within 24 hours."""
    now = now or timezone.now()
    if from_city.pk == to_city.pk:
        raise RequestRefused(
            _("A city cannot send a partnership request to itself."), code="own_city"
        )
    if not to_city.is_published:
        raise RequestRefused(_("There is no such city in the directory."), code="unknown_city")
    themes = list(themes)
    with transaction.atomic():
        # Serialise the sending city's requests so the rate limit counts one after another.
        list(City.objects.select_for_update().filter(pk=from_city.pk).values_list("pk"))
        pair_open = PartnershipRequest.objects.open()
        existing = pair_open.filter(from_city=from_city, to_city=to_city).first()
        if existing is not None:
            raise RequestRefused(
                _("%(from)s already has an open request to %(to)s.")
                % {"from": from_city.name, "to": to_city.name},
                code="duplicate",
                link=existing.get_absolute_url(),
            )
        reverse_request = pair_open.filter(from_city=to_city, to_city=from_city).first()
        if reverse_request is not None:
            raise RequestRefused(
                _("%(to)s has already sent %(from)s a request: answer it instead.")
                % {"from": from_city.name, "to": to_city.name},
                code="reverse_open",
                link=reverse_request.get_absolute_url(),
            )
        city_a, city_b = Partnership.ordered_pair(from_city, to_city)
        partnership = Partnership.objects.filter(city_a=city_a, city_b=city_b, kind=kind).first()
        if partnership is not None:
            raise RequestRefused(
                _("%(from)s and %(to)s already have a partnership of this kind.")
                % {"from": from_city.name, "to": to_city.name},
                code="partnership_exists",
                link=partnership.get_absolute_url(),
            )
        limit = _conf("REQUESTS_PER_CITY_PER_DAY", 20)
        sent_today = PartnershipRequest.objects.filter(
            from_city=from_city, created_at__gt=now - datetime.timedelta(days=1)
        ).count()
        if sent_today >= limit:
            raise RequestRefused(
                _(
                    "%(city)s has sent %(count)d partnership requests in the last 24 hours, "
                    "the most allowed. Please try again tomorrow."
                )
                % {"city": from_city.name, "count": sent_today},
                code="rate_limited",
            )
        request = PartnershipRequest(
            from_city=from_city,
            to_city=to_city,
            sender=sender,
            kind=kind,
            message=message.strip(),
            created_at=now,
            expires_at=now + datetime.timedelta(days=_conf("REQUEST_EXPIRES_AFTER_DAYS", 60)),
        )
        # Field validation only; the open-pair constraint is checked above and by the database.
        request.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError as exc:  # a concurrent double submit won the race
            raise RequestRefused(
                _("%(from)s already has an open request to %(to)s.")
                % {"from": from_city.name, "to": to_city.name},
                code="duplicate",
            ) from exc
        request.themes.set(themes)
        RequestEvent.objects.create(
            request=request,
            actor=sender,
            from_status="",
            to_status=RequestStatus.SENT,
            created_at=now,
        )
        notify_many(
            users=city_staff_users(to_city),
            kind="request_received",
            context={"request": request, "themes": themes},
            url=request.get_absolute_url(),
            now=now,
        )
    return request


def _lock_open(request: PartnershipRequest, now: datetime.datetime) -> PartnershipRequest:
    """Reload ``request`` locked; refuse unless it is still open and not past its expiry."""
    locked = (
        PartnershipRequest.objects.select_for_update()
        .select_related("from_city", "to_city")
        .get(pk=request.pk)
    )
    messages = {
        RequestStatus.ACCEPTED: _("This request has already been accepted."),
        RequestStatus.DECLINED: _("This request has already been declined."),
        RequestStatus.WITHDRAWN: _("This request was withdrawn by the sending city."),
        RequestStatus.EXPIRED: _("This request has expired without an answer."),
    }
    if locked.status not in OPEN_STATUSES:
        raise RequestRefused(messages[locked.status], code=f"already_{locked.status}")
    if locked.expires_at <= now:
        raise RequestRefused(messages[RequestStatus.EXPIRED], code="already_expired")
    return locked


def _move(
    locked: PartnershipRequest,
    *,
    to_status: str,
    actor,
    now: datetime.datetime,
    note: str = "",
    **fields,
) -> None:
    """The conditional UPDATE behind every transition: it changes the row only if its status is
    still the one read under the lock, and records the event."""
    changed = PartnershipRequest.objects.filter(pk=locked.pk, status=locked.status).update(
        status=to_status, updated_at=now, **fields
    )
    if not changed:
        raise RequestRefused(_("This request was changed meanwhile; reload the page."), code="race")
    RequestEvent.objects.create(
        request=locked,
        actor=actor,
        from_status=locked.status,
        to_status=to_status,
        note=note,
        created_at=now,
    )
    locked.status = to_status
    for name, value in fields.items():
        setattr(locked, name, value)


def request_mark_seen(
    *, request: PartnershipRequest, user, now: datetime.datetime | None = None
) -> bool:
    """sent → seen when a staff member of the addressed city opens the request (site admins
    and curators looking at it do not count). Returns whether it changed."""
    from cities.models import CityStaff

    if request.status != RequestStatus.SENT:
        return False
    if not CityStaff.objects.filter(user=user, city_id=request.to_city_id).exists():
        return False
    now = now or timezone.now()
    with transaction.atomic():
        changed = PartnershipRequest.objects.filter(
            pk=request.pk, status=RequestStatus.SENT
        ).update(status=RequestStatus.SEEN, seen_at=now, updated_at=now)
        if changed:
            RequestEvent.objects.create(
                request=request,
                actor=user,
                from_status=RequestStatus.SENT,
                to_status=RequestStatus.SEEN,
                created_at=now,
            )
    if changed:
        request.status, request.seen_at = RequestStatus.SEEN, now
    return bool(changed)


def request_accept(
    *, request: PartnershipRequest, user, now: datetime.datetime | None = None
) -> Partnership:
    """Staff of the addressed city accept: the request becomes accepted and an active
    Partnership (source "request", the request's kind and themes) is created in the same
    transaction. Refuses a request that is not open, past its expiry, or whose pair already
    has a partnership of that kind (with a link to it) — never an IntegrityError."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_open(request, now)
        city_a, city_b = Partnership.ordered_pair(locked.from_city, locked.to_city)
        existing = Partnership.objects.filter(city_a=city_a, city_b=city_b, kind=locked.kind)
        if existing.exists():
            raise RequestRefused(
                _("These cities already have a partnership of this kind."),
                code="partnership_exists",
                link=existing.first().get_absolute_url(),
            )
        partnership = Partnership(
            city_a=city_a,
            city_b=city_b,
            kind=locked.kind,
            status=PartnershipStatus.ACTIVE,
            since=timezone.localdate(now),
            source=PartnershipSource.REQUEST,
            description=locked.message,
        )
        partnership.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                partnership.save()
        except IntegrityError as exc:
            raise RequestRefused(
                _("These cities already have a partnership of this kind."),
                code="partnership_exists",
            ) from exc
        partnership.themes.set(locked.themes.all())
        _move(
            locked,
            to_status=RequestStatus.ACCEPTED,
            actor=user,
            now=now,
            answered_at=now,
            partnership=partnership,
        )
        notify_many(
            users=city_staff_users(locked.from_city),
            kind="request_accepted",
            context={"request": locked, "partnership": partnership},
            url=partnership.get_absolute_url(),
            now=now,
        )
    request.status, request.partnership = locked.status, partnership
    return partnership


def request_decline(
    *, request: PartnershipRequest, user, reason: str = "", now: datetime.datetime | None = None
) -> PartnershipRequest:
    """Staff of the addressed city decline, optionally saying why (≤ 1,000 characters)."""
    reason = (reason or "").strip()
    if len(reason) > DECLINE_REASON_MAX_LENGTH:
        raise RequestRefused(
            _("The reason may be at most %(max)d characters long.")
            % {"max": DECLINE_REASON_MAX_LENGTH},
            code="reason_too_long",
        )
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_open(request, now)
        _move(
            locked,
            to_status=RequestStatus.DECLINED,
            actor=user,
            now=now,
            note=reason,
            answered_at=now,
            decline_reason=reason,
        )
        notify_many(
            users=city_staff_users(locked.from_city),
            kind="request_declined",
            context={"request": locked},
            url=locked.get_absolute_url(),
            now=now,
        )
    request.status, request.decline_reason = locked.status, reason
    return locked


def request_withdraw(
    *, request: PartnershipRequest, user, now: datetime.datetime | None = None
) -> PartnershipRequest:
    """Staff of the sending city take an open request back; the addressed city is told in-app."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_open(request, now)
        _move(locked, to_status=RequestStatus.WITHDRAWN, actor=user, now=now, answered_at=now)
        notify_many(
            users=city_staff_users(locked.to_city),
            kind="request_withdrawn",
            context={"request": locked},
            url=locked.get_absolute_url(),
            email=False,
            now=now,
        )
    request.status = locked.status
    return locked


def requests_expire_due(*, now: datetime.datetime) -> int:
    """Expire every open request past ``expires_at``; both cities' staff are told. Safe to run
    twice or concurrently: each request changes (and notifies) once. Returns how many."""
    count = 0
    due = PartnershipRequest.objects.open().filter(expires_at__lte=now).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            locked = (
                PartnershipRequest.objects.select_for_update()
                .select_related("from_city", "to_city")
                .filter(pk=pk, status__in=OPEN_STATUSES)
                .first()
            )
            if locked is None:
                continue
            try:
                _move(locked, to_status=RequestStatus.EXPIRED, actor=None, now=now)
            except RequestRefused:
                continue
            notify_many(
                users=[*city_staff_users(locked.from_city), *city_staff_users(locked.to_city)],
                kind="request_expired",
                context={"request": locked},
                url=locked.get_absolute_url(),
                now=now,
            )
            count += 1
    return count


def requests_remind_due(*, now: datetime.datetime) -> int:
    """One reminder per request to the addressed city's staff, REQUEST_REMINDER_AFTER_DAYS
    after sending, while it is open and not yet expired. Returns how many were reminded."""
    cutoff = now - datetime.timedelta(days=_conf("REQUEST_REMINDER_AFTER_DAYS", 14))
    due = (
        PartnershipRequest.objects.open()
        .filter(created_at__lte=cutoff, reminder_sent_at__isnull=True, expires_at__gt=now)
        .values_list("pk", flat=True)
    )
    count = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = PartnershipRequest.objects.filter(
                pk=pk, status__in=OPEN_STATUSES, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if not claimed:
                continue
            request = PartnershipRequest.objects.select_related("from_city", "to_city").get(pk=pk)
            notify_many(
                users=city_staff_users(request.to_city),
                kind="request_reminder",
                context={
                    "request": request,
                    "expires_on": date_format(request.expires_at, "DATE_FORMAT"),
                },
                url=request.get_absolute_url(),
                now=now,
            )
            count += 1
    return count


# --- registry ---------------------------------------------------------------------------------


def partnership_activity_add(
    *,
    partnership: Partnership,
    user,
    kind: str,
    date: datetime.date,
    description: str = "",
    today: datetime.date | None = None,
) -> PartnershipActivity:
    """Staff of either city record something the partners did. Keeps the partnership's
    ``last_activity_on`` current (a later date only) and clears the dormant notice, so a new
    silence is reported again; a dormant partnership with new activity is active again."""
    today = today or timezone.localdate()
    if date > today:
        raise RequestRefused(
            _("Record activities that have taken place: the date cannot be in the future."),
            code="future_date",
        )
    with transaction.atomic():
        activity = PartnershipActivity(
            partnership=partnership,
            kind=kind,
            date=date,
            description=description.strip(),
            created_by=user,
        )
        activity.full_clean()
        activity.save()
        Partnership.objects.filter(pk=partnership.pk).filter(
            Q(last_activity_on__isnull=True) | Q(last_activity_on__lt=date)
        ).update(last_activity_on=date, dormant_notified_at=None, updated_at=timezone.now())
        Partnership.objects.filter(pk=partnership.pk, status=PartnershipStatus.DORMANT).update(
            status=PartnershipStatus.ACTIVE
        )
    partnership.refresh_from_db(fields=["last_activity_on", "dormant_notified_at", "status"])
    return activity


def partnerships_flag_dormant(*, today: datetime.date, now: datetime.datetime | None = None) -> int:
    """Tell the staff and curators of both cities, once, about each active partnership with no
    activity for 24 months. Returns how many partnerships were flagged."""
    now = now or timezone.now()
    due = (
        Partnership.objects.possibly_dormant(today=today)
        .filter(dormant_notified_at__isnull=True)
        .values_list("pk", flat=True)
    )
    count = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = Partnership.objects.filter(pk=pk, dormant_notified_at__isnull=True).update(
                dormant_notified_at=now
            )
            if not claimed:
                continue
            partnership = Partnership.objects.select_related("city_a", "city_b").get(pk=pk)
            users = [
                *city_staff_users(partnership.city_a),
                *city_staff_users(partnership.city_b),
                *city_curator_users(partnership.city_a),
                *city_curator_users(partnership.city_b),
            ]
            notify_many(
                users=users,
                kind="partnership_dormant",
                context={
                    "partnership": partnership,
                    "last_sign_of_life": partnership.last_sign_of_life_on(),
                },
                url=partnership.get_absolute_url(),
                now=now,
            )
            count += 1
    return count


# --- weekly digest ----------------------------------------------------------------------------


def _suggestion_model():
    try:
        return apps.get_model("partnerships", "MatchSuggestion")
    except LookupError:
        return None


def digest_send_weekly(*, now: datetime.datetime, per_city: int = 5) -> int:
    """E-mail each staff member of a published city open to partnerships the partners
    suggested for it in the past 7 days (stored MatchSuggestion rows), skipping cities it
    already partners or exchanges open requests with. One digest per user and ISO week (the
    outbox's dedupe key), none for users who opted out. Returns how many were written."""
    suggestion_model = _suggestion_model()
    if suggestion_model is None:
        return 0
    year, week, _weekday = now.isocalendar()
    week_key = f"{year}-W{week:02d}"
    cities = public_cities().open_to_partnerships().filter(staff__isnull=False)
    suggestions = (
        suggestion_model.objects.filter(
            city__in=cities,
            computed_at__gte=now - datetime.timedelta(days=7),
            suggested_city__in=public_cities(),
        )
        .select_related("city", "suggested_city")
        .order_by("city__name", "city_id", "rank")
    )
    by_city: dict[int, list] = defaultdict(list)
    city_of: dict[int, City] = {}
    for suggestion in suggestions:
        if len(by_city[suggestion.city_id]) < per_city:
            by_city[suggestion.city_id].append(suggestion)
            city_of[suggestion.city_id] = suggestion.city
    if not by_city:
        return 0
    # The recipients are staff of the city, who see all of its partnerships (proposed ones
    # too, see partnerships.permissions), so every current one keeps a partner out.
    partnered = set()
    for a, b in Partnership.objects.current().values_list("city_a_id", "city_b_id"):
        partnered |= {(a, b), (b, a)}
    for a, b in PartnershipRequest.objects.open().values_list("from_city_id", "to_city_id"):
        partnered |= {(a, b), (b, a)}
    sections_by_user: dict[int, list] = defaultdict(list)
    users = {}
    for city_id, rows in by_city.items():
        fresh = [s for s in rows if (city_id, s.suggested_city_id) not in partnered]
        if not fresh:
            continue
        for user in city_staff_users(city_of[city_id]):
            users[user.pk] = user
            sections_by_user[user.pk].append({"city": city_of[city_id], "suggestions": fresh})
    written = 0
    for user_pk, sections in sections_by_user.items():
        user = users[user_pk]
        dedupe_key = f"weekly_digest:{user_pk}:{week_key}"
        if not preferences_for(user).wants_digest or not user.email:
            continue
        if OutboxEmail.objects.filter(dedupe_key=dedupe_key).exists():
            continue
        try:
            with transaction.atomic():
                notify(
                    user=user,
                    kind="weekly_digest",
                    context={"sections": sections, "week": week_key},
                    url=reverse("notifications:list"),
                    in_app=False,
                    dedupe_key=dedupe_key,
                    now=now,
                )
        except (IntegrityError, ValidationError):  # a concurrent run wrote it first
            continue
        written += 1
    return written
