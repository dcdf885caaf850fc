"""Confirm, correct or reject partnerships — above all those imported from Wikidata.

The views check access first (``permissions.get_partnership_for_reviewer`` gives the
reviewer's role); these services trust their arguments, validate, change the row under a lock
and record what changed in ``PartnershipEvent``. A reviewed row is never touched by the next
import (``partnerships.imports``); a rejected one ("not a partnership") stays, hidden from the
public, so the import does not bring it back.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Partnership,
    PartnershipConfirmation,
    PartnershipEvent,
    PartnershipEventKind,
)

# The facts a reviewer may set; the pair of cities is what the partnership *is*.
REVIEWED_FIELDS = ("kind", "status", "since", "until", "description")


def _value(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _apply(
    *, partnership: Partnership, user, role: str, event: str, changes: dict, note: str, now
) -> Partnership:
    """Lock the row, apply ``changes`` and the confirmation, validate, save, record."""
    with transaction.atomic():
        locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
        diff = {}
        for name, value in changes.items():
            old = getattr(locked, name)
            if old != value:
                diff[name] = [_value(old), _value(value)]
                setattr(locked, name, value)
        new_confirmation = (
            PartnershipConfirmation.REJECTED if event == PartnershipEventKind.REJECTED else role
        )
        if locked.confirmation != new_confirmation:
            diff["confirmation"] = [locked.confirmation, new_confirmation]
        locked.confirmation = new_confirmation
        locked.confirmed_by, locked.confirmed_at = user, now
        # Refuses a kind the pair already has, with the constraint's own message.
        locked.full_clean()
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError as exc:  # a concurrent change made the kind a duplicate
            raise ValidationError(
                _("These cities already have a partnership of this kind."), code="duplicate"
            ) from exc
        PartnershipEvent.objects.create(
            partnership=locked,
            kind=event,
            actor=user,
            role=role,
            changes=diff,
            note=note,
            created_at=now,
        )
    return locked


def partnership_confirm(
    *,
    partnership: Partnership,
    user,
    role: str,
    kind: str | None = None,
    since: datetime.date | None = None,
    status: str | None = None,
    now: datetime.datetime | None = None,
) -> Partnership:
    """The reviewer says the partnership exists, optionally with its kind, start and status.

    ``role`` is ``PartnershipConfirmation.CITY`` or ``CURATOR`` (from
    ``permissions.review_role``). Guarantees: the row becomes confirmed by that role, with
    who and when; only the given facts change; a kind the pair already has is refused
    (ValidationError), never an IntegrityError; one history event records the change."""
    changes = {
        name: value
        for name, value in (("kind", kind), ("since", since), ("status", status))
        if value not in (None, "")
    }
    return _apply(
        partnership=partnership,
        user=user,
        role=role,
        event=PartnershipEventKind.CONFIRMED,
        changes=changes,
        note="",
        now=now or timezone.now(),
    )


def partnership_correct(
    *,
    partnership: Partnership,
    user,
    role: str,
    kind: str,
    status: str,
    since: datetime.date | None,
    until: datetime.date | None,
    description: str,
    now: datetime.datetime | None = None,
) -> Partnership:
    """The reviewer sets the facts of the partnership (kind, status, start, end, description)
    as they are; it counts as confirmed by their role. Same guarantees as
    ``partnership_confirm``; an end before the start is refused."""
    return _apply(
        partnership=partnership,
        user=user,
        role=role,
        event=PartnershipEventKind.CORRECTED,
        changes={
            "kind": kind,
            "status": status,
            "since": since,
            "until": until,
            "description": description,
        },
        note="",
        now=now or timezone.now(),
    )


def partnership_reject(
    *,
    partnership: Partnership,
    user,
    role: str,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Partnership:
    """The reviewer says this is not a partnership. Guarantees: the row is kept, marked
    rejected (so the next import does not bring it back) and hidden from the public registry
    and profiles; an imported row's unknown status stays; the note is kept in the history."""
    return _apply(
        partnership=partnership,
        user=user,
        role=role,
        event=PartnershipEventKind.REJECTED,
        changes={},
        note=note,
        now=now or timezone.now(),
    )
