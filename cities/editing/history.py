"""The change history of one city's profile (profile, officials, challenges, initiatives,
memberships) as readable entries, and reverting one recorded change."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..integrity import save_checked
from ..models import Challenge, City, Initiative, Membership, Official, Organisation, Theme
from ..services import city_profile_changed

# key used in URLs/forms -> (model, field that points at the city)
TRACKED = {
    "city": (City, "id"),
    "official": (Official, "city_id"),
    "challenge": (Challenge, "city_id"),
    "initiative": (Initiative, "city_id"),
    "membership": (Membership, "city_id"),
}
# Never shown as a change, never reverted: bookkeeping, not content.
SKIPPED_FIELDS = {"updated_at", "created_at", "search_names", "completeness"}
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
# Many-to-many fields recorded with their history (a snapshot of the set per record):
# key -> {field name: (historical through model, column holding the related id, related model)}
TRACKED_M2M = {
    "initiative": {
        "themes": ("HistoricalInitiative_themes", "theme_id", Theme),
        "partner_cities": ("HistoricalInitiative_partner_cities", "city_id", City),
    },
}
M2M_PREFIX = "m2m:"


def _m2m_sets(key: str, history_ids) -> dict[int, dict[str, frozenset]]:
    """The recorded set of each many-to-many field for each history record (one query per
    field); a record with no rows for a field had an empty set."""
    fields = TRACKED_M2M.get(key, {})
    sets: dict[int, dict[str, frozenset]] = {
        hid: dict.fromkeys(fields, frozenset()) for hid in history_ids
    }
    for name, (model_name, column, _related) in fields.items():
        rows = apps.get_model("cities", model_name).objects.filter(history_id__in=list(sets))
        grouped: dict[int, set] = {}
        for hid, related_id in rows.values_list("history_id", column):
            grouped.setdefault(hid, set()).add(related_id)
        for hid, ids in grouped.items():
            sets[hid][name] = frozenset(ids)
    return sets


@dataclass
class Change:
    field: str
    label: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RevertScope:
    """What reverting one record would do, for the permission check
    (``cities.permissions.can_revert_change``): ``action`` "delete" (undo a creation),
    "restore" (undo a deletion) or "change"; the attribute names it would set; the
    organisations the record names before and after (a membership's organisation, a city's
    verifier)."""

    kind: str
    action: str
    fields: frozenset[str]
    organisations: frozenset[int | None]

    def allows(self, user, city: City) -> bool:
        from ..permissions import can_revert_change

        return can_revert_change(
            user,
            city,
            kind=self.kind,
            action=self.action,
            fields=self.fields,
            organisations=self.organisations,
        )


ORGANISATION_FIELDS = {"membership": "organisation_id", "city": "verified_by_id"}
REVERT_ACTIONS = {"+": "delete", "-": "restore", "~": "change"}


def _scope(key: str, model, record, previous, m2m=None) -> RevertScope:
    if record.history_type == "~":
        fields = frozenset(c.field for c in _changes(model, record, previous, m2m=m2m))
    else:
        fields = frozenset()
    named = ORGANISATION_FIELDS.get(key)
    organisations = frozenset(
        getattr(r, named) for r in (record, previous) if named and r is not None
    )
    return RevertScope(
        kind=key,
        action=REVERT_ACTIONS[record.history_type],
        fields=fields,
        organisations=organisations,
    )


@dataclass
class HistoryEntry:
    key: str
    model_label: str
    object_label: str
    history_id: int
    history_type: str
    date: datetime
    user: Any
    changes: list[Change] = field(default_factory=list)
    scope: RevertScope | None = None
    # Set by mark_revertible for the person looking at the page.
    may_revert: bool = False

    @property
    def revertible(self) -> bool:
        return not (self.key == "city" and self.history_type == "+")

    @property
    def action(self) -> str:
        return str(ACTIONS.get(self.history_type, self.history_type))


def _fields(model) -> list:
    return [
        f for f in model._meta.concrete_fields if f.name not in SKIPPED_FIELDS and not f.primary_key
    ]


def _label(key: str, record) -> str:
    if key == "city":
        return record.name
    if key == "official":
        return record.name
    if key == "challenge":
        return str(getattr(record, "theme", "") or "")
    if key == "initiative":
        return record.title
    return str(getattr(record, "organisation", "") or "")


def _changes(
    model, record, previous, *, readable: bool = False, m2m: dict | None = None
) -> list[Change]:
    """Field-level differences; ``readable`` shows choice labels instead of stored values
    (for the page; reverting needs the stored ones). ``m2m`` maps history ids to the recorded
    sets of the model's many-to-many fields (see ``_m2m_sets``)."""
    changes = []
    for f in _fields(model):
        if readable and model is not City and f.name == "city":
            continue  # the page is about this city already
        new = getattr(record, f.attname, None)
        old = getattr(previous, f.attname, None) if previous is not None else None
        if previous is None and record.history_type == "+":
            if new in (None, "", [], False):
                continue
        elif previous is None or old == new:
            continue
        if readable and f.choices:
            labels = dict(f.flatchoices)
            old, new = labels.get(old, old), labels.get(new, new)
        changes.append(Change(field=f.attname, label=str(f.verbose_name), old=old, new=new))
    if m2m:
        new_sets = m2m.get(record.history_id, {})
        old_sets = m2m.get(previous.history_id, {}) if previous is not None else {}
        for name, new in new_sets.items():
            old = old_sets.get(name, frozenset())
            if old == new or (previous is None and record.history_type != "+"):
                continue
            label = str(model._meta.get_field(name).verbose_name)
            changes.append(Change(field=M2M_PREFIX + name, label=label, old=old, new=new))
    return changes


def _name_related(entries: list[HistoryEntry]) -> None:
    """Show themes and organisations by name, not id: one query per related model."""
    related = {"theme_id": Theme, "organisation_id": Organisation, "verified_by_id": Organisation}
    wanted: dict[type, set] = {}
    for entry in entries:
        for change in entry.changes:
            if change.field in related:
                wanted.setdefault(related[change.field], set()).update(
                    v for v in (change.old, change.new) if v is not None
                )
    names = {
        model: {o.pk: str(o) for o in model.objects.filter(pk__in=ids)}
        for model, ids in wanted.items()
    }
    for entry in entries:
        for change in entry.changes:
            if change.field in related:
                lookup = names.get(related[change.field], {})
                change.old = lookup.get(change.old, change.old)
                change.new = lookup.get(change.new, change.new)
    _name_m2m(entries)


def _name_m2m(entries: list[HistoryEntry]) -> None:
    """Many-to-many sets as comma-separated names: one query per related model."""
    models = {
        M2M_PREFIX + name: related
        for fields in TRACKED_M2M.values()
        for name, (_m, _c, related) in fields.items()
    }
    wanted: dict[type, set] = {}
    for entry in entries:
        for change in entry.changes:
            if change.field in models:
                wanted.setdefault(models[change.field], set()).update(change.old | change.new)
    names = {
        model: {o.pk: str(o) for o in model.objects.filter(pk__in=ids)}
        for model, ids in wanted.items()
    }
    for entry in entries:
        for change in entry.changes:
            if change.field in models:
                lookup = names.get(models[change.field], {})
                for attr in ("old", "new"):
                    ids = getattr(change, attr)
                    listed = sorted(str(lookup.get(i, i)) for i in ids)
                    setattr(change, attr, ", ".join(listed) if listed else None)


def city_history(*, city: City, limit: int = 200) -> list[HistoryEntry]:
    """The latest ``limit`` recorded changes of ``city``'s profile, newest first, each with its
    field-level old and new values. A fixed number of queries (two per tracked model)."""
    entries: list[HistoryEntry] = []
    for key, (model, city_field) in TRACKED.items():
        records = list(
            model.history.filter(**{city_field: city.pk})
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[:limit]
        )
        # The previous version of each object, to diff against: one more query.
        by_object: dict[int, list] = {}
        if records:
            oldest = min(r.history_date for r in records)
            object_ids = {r.id for r in records}
            earlier = model.history.filter(id__in=object_ids, history_date__lt=oldest).order_by(
                "id", "-history_date", "-history_id"
            )
            seen: set[int] = set()
            older = []
            for r in earlier:
                if r.id not in seen:
                    seen.add(r.id)
                    older.append(r)
            for r in sorted([*records, *older], key=lambda r: (r.history_date, r.history_id)):
                by_object.setdefault(r.id, []).append(r)
        m2m = (
            _m2m_sets(key, [r.history_id for v in by_object.values() for r in v])
            if key in TRACKED_M2M and by_object
            else None
        )
        for versions in by_object.values():
            for index, record in enumerate(versions):
                if record not in records:
                    continue
                previous = versions[index - 1] if index else None
                entries.append(
                    HistoryEntry(
                        key=key,
                        model_label=str(model._meta.verbose_name),
                        object_label=_label(key, record),
                        history_id=record.history_id,
                        history_type=record.history_type,
                        date=record.history_date,
                        user=record.history_user,
                        changes=_changes(model, record, previous, readable=True, m2m=m2m),
                        scope=_scope(key, model, record, previous, m2m=m2m),
                    )
                )
    entries.sort(key=lambda e: (e.date, e.history_id), reverse=True)
    entries = entries[:limit]
    _name_related(entries)
    _readable_values(entries)
    return entries


def _language_list(codes) -> str:
    from ..selectors import language_names

    return ", ".join(language_names([str(c) for c in codes]))


def _sdg_list(numbers) -> str:
    from ..reference import sdg_goal

    goals = [sdg_goal(n) for n in numbers]
    return "; ".join(g.label if g else str(n) for g, n in zip(goals, numbers, strict=True))


def _kind_list(kinds) -> str:
    from ..choices import PartnershipKind

    labels = dict(PartnershipKind.choices)
    return ", ".join(str(labels.get(k, k)) for k in kinds)


# JSON lists whose items are codes: shown by their names in the visitor's language.
LIST_NAMES = {
    "working_languages": _language_list,
    "languages": _language_list,
    "sdgs": _sdg_list,
    "partnership_kinds_sought": _kind_list,
}


def display_value(field: str, value) -> str | None:
    """A recorded value as a person reads it, in the active language and time zone: yes/no
    for flags, names for lists of codes (languages, goals, kinds of partnership), local
    dates and times without microseconds, numbers with the locale's separators. None stays
    None (the page shows a dash)."""
    import datetime
    from decimal import Decimal

    from django.utils import formats
    from django.utils import timezone as tz
    from django.utils.translation import gettext

    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        # Django's own catalogue has these words in every language (the yesno filter's).
        yes, no, _maybe = gettext("yes,no,maybe").split(",")
        return yes if value else no
    if isinstance(value, list | tuple):
        if field in LIST_NAMES:
            return LIST_NAMES[field](value)
        return ", ".join(str(item) for item in value)
    if isinstance(value, datetime.datetime):
        local = tz.localtime(value) if tz.is_aware(value) else value
        return formats.date_format(local, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, int | float | Decimal):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def _readable_values(entries: list[HistoryEntry]) -> None:
    for entry in entries:
        for change in entry.changes:
            name = change.field.removeprefix(M2M_PREFIX)
            change.old = display_value(name, change.old)
            change.new = display_value(name, change.new)


def mark_revertible(entries: list[HistoryEntry], *, user, city: City) -> None:
    """Set ``may_revert`` on each entry for ``user``: asked once per distinct scope, so the
    page's queries do not grow with its length."""
    answers: dict[RevertScope, bool] = {}
    for entry in entries:
        if entry.scope is None or not entry.revertible:
            continue
        if entry.scope not in answers:
            answers[entry.scope] = entry.scope.allows(user, city)
        entry.may_revert = answers[entry.scope]


def _record_for(*, city: City, key: str, history_id: int):
    if key not in TRACKED:
        raise ObjectDoesNotExist
    model, city_field = TRACKED[key]
    return model, model.history.get(history_id=history_id, **{city_field: city.pk})


def revert_scope(*, city: City, key: str, history_id: int) -> RevertScope:
    """What reverting this record of ``city`` would do (ask ``scope.allows(user, city)``
    before :func:`history_revert`). Raises ObjectDoesNotExist for a record not of ``city``."""
    model, record = _record_for(city=city, key=key, history_id=history_id)
    previous = record.prev_record if record.history_type == "~" else None
    m2m = None
    if previous is not None and key in TRACKED_M2M:
        m2m = _m2m_sets(key, [record.history_id, previous.history_id])
    return _scope(key, model, record, previous, m2m=m2m)


def history_entry(*, city: City, key: str, history_id: int) -> HistoryEntry:
    """One recorded change of ``city`` as the history page shows it (for the confirmation
    before a revert). Raises ObjectDoesNotExist for a record that is not this city's."""
    model, record = _record_for(city=city, key=key, history_id=history_id)
    previous = record.prev_record if record.history_type != "+" else None
    m2m = None
    if key in TRACKED_M2M:
        ids = [record.history_id] + ([previous.history_id] if previous is not None else [])
        m2m = _m2m_sets(key, ids)
    entry = HistoryEntry(
        key=key,
        model_label=str(model._meta.verbose_name),
        object_label=_label(key, record),
        history_id=record.history_id,
        history_type=record.history_type,
        date=record.history_date,
        user=record.history_user,
        changes=_changes(model, record, previous, readable=True, m2m=m2m),
        scope=_scope(key, model, record, previous, m2m=m2m),
    )
    _name_related([entry])
    _readable_values([entry])
    return entry


def _current_value(instance, field: str):
    if field.startswith(M2M_PREFIX):
        related = getattr(instance, field.removeprefix(M2M_PREFIX))
        return frozenset(related.values_list("pk", flat=True))
    return getattr(instance, field)


@transaction.atomic
def history_revert(*, city: City, key: str, history_id: int) -> str:
    """Undo one recorded change of ``city``'s profile: a change gets its changed fields back,
    a creation is deleted, a deletion is restored. Raises ObjectDoesNotExist for a record that
    is not this city's, ValidationError when the undo is not possible. Returns what was done.
    Callers check ``revert_scope(…).allows(user, city)`` first: the same permission as the
    direct edit of what the revert changes."""
    model, record = _record_for(city=city, key=key, history_id=history_id)
    if record.history_type == "+":
        if key == "city":
            raise ValidationError(_("A city's creation cannot be undone here."))
        deleted, _count = model.objects.filter(pk=record.id).delete()
        if not deleted:
            raise ValidationError(_("This item has already been deleted."))
        city_profile_changed(city=city)
        return "deleted"
    if record.history_type == "-":
        already = ValidationError(_("This item exists again; nothing to restore."))
        if model.objects.filter(pk=record.id).exists():
            raise already
        instance = record.instance
        try:
            # Two curators restoring it at once: the second one's check or INSERT meets the
            # first one's row; so does one that clashes with a row saved meanwhile (a
            # challenge on the same theme). Either way a message, not a 500.
            instance.full_clean()
            save_checked(instance, force_insert=True)
        except ValidationError:
            if model.objects.filter(pk=record.id).exists():
                raise already from None
            raise
        city_profile_changed(city=city)
        return "restored"
    previous = record.prev_record
    current = model.objects.select_for_update().filter(pk=record.id).first()
    if previous is None or current is None:
        raise ValidationError(_("This item no longer exists; restore its deletion first."))
    m2m = _m2m_sets(key, [record.history_id, previous.history_id]) if key in TRACKED_M2M else None
    changes = _changes(model, record, previous, m2m=m2m)
    if not changes:
        raise ValidationError(_("This record changed nothing that can be undone."))
    # The row is locked: a second revert of the same change (a double submit, or another
    # curator) waits here and then finds the old values back.
    changes = [c for c in changes if _current_value(current, c.field) != c.old]
    if not changes:
        raise ValidationError(_("This change has already been undone."))
    for change in changes:
        if not change.field.startswith(M2M_PREFIX):
            setattr(current, change.field, change.old)
    current.full_clean()
    current.save()
    for change in changes:
        if change.field.startswith(M2M_PREFIX):
            getattr(current, change.field.removeprefix(M2M_PREFIX)).set(change.old)
    city_profile_changed(city=city)
    return "reverted"
