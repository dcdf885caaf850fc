"""Writes to funding programmes: save from the curators' form, mark as checked, import a data
file. Every write validates the whole entry first (``full_clean``: unknown country groups and
contradictory rules are refused with a message) and runs in one transaction; the change history
(django-simple-history) records who changed what."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cities.models import Theme
from partnerships.models import FundingProgramme

# Keys of an entry in the data file that are model fields as they are.
PLAIN_FIELDS = (
    "name",
    "funder",
    "url",
    "summary",
    "summary_translations",
    "sdgs",
    "amount_min",
    "amount_max",
    "currency",
    "cofunding_share",
    "duration_months_min",
    "duration_months_max",
    "call_type",
    "next_deadline",
    "other_conditions",
    "source_url",
    "last_checked_on",
    "checked_by",
)
RULE_FIELDS = (
    "applicant_groups",
    "partner_groups",
    "min_countries",
    "min_cities",
    "max_cities",
    "partners_in_different_countries",
    "min_population",
    "max_population",
    "requires_existing_partnership",
    "required_partnership_kinds",
    "partners_assigned_by_programme",
)
ENTRY_KEYS = {"slug", "themes", "rules", *PLAIN_FIELDS}
DATE_FIELDS = ("next_deadline", "last_checked_on")


class ImportRefused(Exception):
    """The file, or an entry in it, is not valid; nothing was written."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _checker_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def funding_programme_save(*, programme: FundingProgramme, themes, user) -> FundingProgramme:
    """Validates and saves ``programme`` with ``themes`` (all or nothing); the history names
    ``user``."""
    programme.full_clean()
    with transaction.atomic():
        programme._history_user = user
        programme.save()
        programme.themes.set(themes)
    return programme


def funding_programme_mark_checked(
    *, programme: FundingProgramme, user, today: datetime.date | None = None
) -> FundingProgramme:
    """Records that ``user`` checked the entry against its source today (nothing else
    changes; the history keeps who and when)."""
    programme.last_checked_on = today or timezone.localdate()
    programme.checked_by = _checker_name(user)
    programme._history_user = user
    with transaction.atomic():
        programme.save(update_fields=["last_checked_on", "checked_by", "updated_at"])
    return programme


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{name}: {message}" if name != "__all__" else str(message)
            for name, errors in exc.message_dict.items()
            for message in errors
        ]
    return [str(message) for message in exc.messages]


def _prepare(entry, index: int, themes_by_slug: dict[str, Theme]):
    """(programme instance not yet saved, theme list) for one entry; raises ImportRefused."""
    where = _("entry %(number)s") % {"number": index + 1}
    if not isinstance(entry, dict):
        raise ImportRefused([_("%(where)s: not an object.") % {"where": where}])
    slug = entry.get("slug")
    if isinstance(slug, str) and slug:
        where = f"{where} ({slug})"
    problems = []
    stray = sorted(set(entry) - ENTRY_KEYS)
    if stray:
        problems.append(
            _("%(where)s: unknown keys %(keys)s.") % {"where": where, "keys": ", ".join(stray)}
        )
    rules = entry.get("rules", {})
    if not isinstance(rules, dict):
        problems.append(_("%(where)s: “rules” must be an object.") % {"where": where})
        rules = {}
    stray_rules = sorted(set(rules) - set(RULE_FIELDS))
    if stray_rules:
        problems.append(
            _("%(where)s: unknown rules %(keys)s.")
            % {"where": where, "keys": ", ".join(stray_rules)}
        )
    theme_slugs = entry.get("themes", [])
    if not isinstance(theme_slugs, list):
        problems.append(_("%(where)s: “themes” must be a list.") % {"where": where})
        theme_slugs = []
    unknown_themes = [s for s in theme_slugs if s not in themes_by_slug]
    if unknown_themes:
        problems.append(
            _("%(where)s: unknown themes %(themes)s.")
            % {"where": where, "themes": ", ".join(map(str, unknown_themes))}
        )
    values = {name: entry[name] for name in PLAIN_FIELDS if name in entry}
    values.update({name: rules[name] for name in RULE_FIELDS if name in rules})
    for name in DATE_FIELDS:
        if isinstance(values.get(name), str):
            try:
                values[name] = datetime.date.fromisoformat(values[name])
            except ValueError:
                problems.append(
                    _("%(where)s: %(field)s is not a date (YYYY-MM-DD).")
                    % {"where": where, "field": name}
                )
    for name in ("currency", "summary", "other_conditions"):
        if values.get(name) is None and name in values:
            values[name] = ""
    if problems:
        raise ImportRefused(problems)
    existing = FundingProgramme.objects.filter(slug=slug).first() if slug else None
    programme = existing or FundingProgramme(slug=slug or "")
    defaults = FundingProgramme()
    for name in (*PLAIN_FIELDS, *RULE_FIELDS):
        # A key left out of the file means the field's default, so the file is the truth.
        setattr(programme, name, values.get(name, getattr(defaults, name)))
    try:
        programme.full_clean(validate_unique=existing is None)
    except ValidationError as exc:
        raise ImportRefused([f"{where}: {message}" for message in _messages(exc)]) from exc
    return programme, existing, [themes_by_slug[s] for s in theme_slugs]


def _snapshot(programme: FundingProgramme) -> dict:
    return {name: getattr(programme, name) for name in (*PLAIN_FIELDS, *RULE_FIELDS)}


def funding_programmes_import(*, path: Path, user=None) -> ImportResult:
    """Creates or updates (by slug) every programme in the JSON file at ``path``.

    Every entry is validated before anything is written; one bad entry refuses the whole file
    with all the problems found, so the data never ends half imported. Entries already equal
    to the file are left alone (no history row)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportRefused(
            [_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}]
        ) from exc
    except json.JSONDecodeError as exc:
        raise ImportRefused(
            [_("%(path)s is not valid JSON: %(error)s") % {"path": path, "error": exc}]
        ) from exc
    entries = data.get("programmes") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ImportRefused([_("The file needs a list under “programmes”.")])
    themes_by_slug = {theme.slug: theme for theme in Theme.objects.all()}
    problems: list[str] = []
    prepared = []
    slugs: set[str] = set()
    for index, entry in enumerate(entries):
        try:
            item = _prepare(entry, index, themes_by_slug)
        except ImportRefused as exc:
            problems += exc.problems
            continue
        if item[0].slug in slugs:
            problems.append(_("The slug %(slug)s appears twice.") % {"slug": item[0].slug})
        slugs.add(item[0].slug)
        prepared.append(item)
    if problems:
        raise ImportRefused(problems)
    result = ImportResult()
    with transaction.atomic():
        for programme, existing, themes in prepared:
            if existing is not None:
                before = _snapshot(FundingProgramme.objects.get(pk=existing.pk))
                same_themes = {t.pk for t in existing.themes.all()} == {t.pk for t in themes}
                if before == _snapshot(programme) and same_themes:
                    result.unchanged.append(programme.slug)
                    continue
            programme._history_user = user
            programme._change_reason = f"import from {Path(path).name}"
            programme.save()
            programme.themes.set(themes)
            (result.updated if existing else result.created).append(programme.slug)
    return result
