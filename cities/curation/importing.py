"""Bulk import of cities, officials, challenges and initiatives from CSV (UTF-8) or XLSX.

All or nothing: every row is parsed and validated (``full_clean``) before anything is
written; one invalid row rejects the whole file with row-level messages. Curators may only
import rows for the member cities of their organisation. Files over 500 rows are validated and
written by a Celery task (``ImportJob`` shows the progress)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from citydiplomacy.celery import enqueue_on_commit

from ..choices import ContactVisibility, Priority
from ..models import (
    Challenge,
    City,
    ImportJob,
    ImportKind,
    ImportStatus,
    Initiative,
    InitiativeStatus,
    Official,
    OfficialRole,
    Organisation,
    Theme,
)
from ..services import city_profile_changed

SYNC_LIMIT = 500  # more rows than this run in Celery
# Lines under the header, blank ones included: a few megabytes of empty lines would otherwise
# cost seconds and hundreds of megabytes of lists before the blank lines are dropped.
MAX_ROWS = 20_000
MAX_ERRORS = 200
# Cells per line: more than any kind has (extra columns are reported as unknown), and a bound
# on the work per line: the check for repeated columns and the row dicts are linear in it.
MAX_COLUMNS = 40
# What an .xlsx archive may unpack to, all members together (sheets, shared strings, styles),
# checked in the zip directory before anything is parsed: openpyxl holds the whole
# shared-string table in memory, about six times its XML size, and parses it at a few MB/s.
# A 20,000-row export of initiatives (the widest kind, 200-character descriptions) unpacks to
# 17 MB.
XLSX_MAX_UNPACKED_BYTES = 32 * 1_048_576
PROGRESS_EVERY = 100

# kind -> (columns in file order, required columns). Exports write the same columns, so an
# exported file can be edited and imported again.
COLUMNS: dict[str, tuple[list[str], set[str]]] = {
    ImportKind.CITIES: (
        [
            "slug",
            "name",
            "country",
            "summary",
            "website",
            "population",
            "working_languages",
            "open_to_partnerships",
            "looking_for",
        ],
        {"slug"},
    ),
    ImportKind.OFFICIALS: (
        ["city", "id", "name", "role", "title", "email", "phone", "contact_visibility"],
        {"city", "name", "role"},
    ),
    ImportKind.CHALLENGES: (
        ["city", "theme", "priority", "seeks_help", "offers_expertise", "description"],
        {"city", "theme"},
    ),
    ImportKind.INITIATIVES: (
        [
            "city",
            "title",
            "description",
            "status",
            "start_date",
            "end_date",
            "budget",
            "budget_currency",
            "themes",
            "sdgs",
            "link",
        ],
        {"city", "title"},
    ),
}
# Columns exported for reading only; ignored on import (a city's name comes from GeoNames).
INFORMATIONAL = {ImportKind.CITIES: {"name", "country"}}


class ImportRejected(Exception):
    """The file cannot be imported; ``messages`` say why (row by row where that applies)."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


# --- reading the file ---------------------------------------------------------------------------


def _cell(value: Any) -> str | Any:
    if value is None:
        return ""
    if isinstance(value, str):
        value = value.strip()
        # Our exports protect cells that look like formulas with a leading apostrophe.
        if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@"):
            value = value[1:]
        return value
    return value


def read_upload(upload, *, kind: str) -> list[dict[str, Any]]:
    """Rows of an uploaded CSV or XLSX file as dicts keyed by column; rejects a file that is
    too large, of another type, not UTF-8, unreadable, or has the wrong columns."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ImportRejected(
            [
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": round(upload.size / 1_048_576, 1), "limit": round(limit / 1_048_576)}
            ]
        )
    name = (upload.name or "").lower()
    if name.endswith(".csv"):
        header, rows = _read_csv(upload)
    elif name.endswith(".xlsx"):
        header, rows = _read_xlsx(upload)
    else:
        raise ImportRejected([_("Upload a .csv (UTF-8) or .xlsx file.")])
    columns, required = COLUMNS[kind]
    header = [str(h or "").strip().lower() for h in header]
    missing = [c for c in columns if c in required and c not in header]
    unknown = [h for h in header if h and h not in columns]
    duplicate = sorted(h for h, count in Counter(header).items() if h and count > 1)
    problems = []
    if missing:
        problems.append(_("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)})
    if unknown:
        problems.append(
            _("Unknown columns: %(cols)s. Expected: %(expected)s.")
            % {"cols": ", ".join(unknown), "expected": ", ".join(columns)}
        )
    if duplicate:
        problems.append(_("Repeated columns: %(cols)s.") % {"cols": ", ".join(duplicate)})
    if problems:
        raise ImportRejected(problems)
    result = []
    for raw in rows:
        values = [_cell(v) for v in raw]
        if not any(v not in ("", None) for v in values):
            continue  # blank lines are not rows
        if len(values) > len(header) and any(v not in ("", None) for v in values[len(header) :]):
            raise ImportRejected(
                [_("Row %(row)d has more cells than there are columns.") % {"row": len(result) + 1}]
            )
        result.append(
            {h: (values[i] if i < len(values) else "") for i, h in enumerate(header) if h}
        )
        if len(result) > MAX_ROWS:
            raise ImportRejected([_("At most %(max)d rows per file.") % {"max": MAX_ROWS}])
    if not result:
        raise ImportRejected([_("The file has no rows under its header.")])
    return result


def _too_many_lines() -> ImportRejected:
    return ImportRejected(
        [_("At most %(max)d rows per file; blank lines count too.") % {"max": MAX_ROWS}]
    )


def _too_many_columns(count: int) -> ImportRejected:
    return ImportRejected(
        [
            _("The header has %(count)d columns; at most %(max)d are read.")
            % {"count": count, "max": MAX_COLUMNS}
        ]
    )


def _read_csv(upload) -> tuple[list, list]:
    """Header and lines of a CSV file, streaming: refuses a line wider than MAX_COLUMNS and
    more than MAX_ROWS lines under the header as soon as it meets them."""
    data = upload.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected(
            [_("The file is not UTF-8 encoded. Save it as “CSV UTF-8” and upload it again.")]
        ) from None
    if "\x00" in text:
        raise ImportRejected([_("This is not a CSV text file.")])
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for record in reader:
            if len(record) > MAX_COLUMNS:
                if not rows:
                    raise _too_many_columns(len(record))
                raise ImportRejected(
                    [
                        _("Line %(line)d has %(count)d cells; at most %(max)d are read.")
                        % {"line": reader.line_num, "count": len(record), "max": MAX_COLUMNS}
                    ]
                )
            rows.append(record)
            if len(rows) > MAX_ROWS + 1:  # + the header
                raise _too_many_lines()
    except csv.Error as error:
        raise ImportRejected(
            [_("The CSV file cannot be read: %(error)s") % {"error": error}]
        ) from None
    if not rows:
        raise ImportRejected([_("The file is empty.")])
    return rows[0], rows[1:]


def _check_unpacked_size(upload) -> None:
    """Refuse an .xlsx archive that unpacks to more than XLSX_MAX_UNPACKED_BYTES, from the
    sizes in its zip directory, before any member is decompressed. The sizes are binding:
    Python's zipfile stops reading a member at its declared size (and then fails its CRC)."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ImportRejected([_("This is not a readable .xlsx workbook.")]) from None
    finally:
        upload.seek(0)
    if unpacked > XLSX_MAX_UNPACKED_BYTES:
        raise ImportRejected(
            [
                _(
                    "The workbook unpacks to %(size)s MB; at most %(limit)d MB are read. "
                    "Split it into smaller files, or save it as CSV."
                )
                % {
                    "size": number_format(unpacked / 1_048_576, decimal_pos=1),
                    "limit": XLSX_MAX_UNPACKED_BYTES // 1_048_576,
                }
            ]
        )


def _read_xlsx(upload) -> tuple[list, list]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    # A small upload can unpack to a huge archive: check the sizes before parsing. Then read at
    # most MAX_ROWS lines under the header (blank ones count: a sheet can declare a row a
    # million lines down) and MAX_COLUMNS, streaming, and refuse anything bigger.
    _check_unpacked_size(upload)
    rows = []
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:  # + the header
                workbook.close()
                raise _too_many_lines()
        workbook.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, IndexError):
        raise ImportRejected([_("This is not a readable .xlsx workbook.")]) from None
    if not rows:
        raise ImportRejected([_("The file is empty.")])
    return rows[0], rows[1:]


# --- validating rows ------------------------------------------------------------------------


@dataclass
class Plan:
    """What one valid row will do."""

    instance: Any
    city: City
    themes: list[Theme] | None = None
    is_new: bool = True


@dataclass
class Validation:
    plans: list[Plan] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


TRUE = {"yes", "y", "true", "1", "x", "ja", "oui", "sí", "si", "sim"}
FALSE = {"no", "n", "false", "0", "", "nein", "non", "não", "nao"}


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValidationError(_("“%(value)s” is not yes or no."), params={"value": value})


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value):
    if value in ("", None):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(_text(value))
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a date (YYYY-MM-DD)."), params={"value": value}
        ) from None


def _choice(value, choices) -> str:
    text = _text(value).lower()
    valid = {c.value for c in choices}
    labels = {str(c.label).lower(): c.value for c in choices}
    if text in valid:
        return text
    if text in labels:
        return labels[text]
    raise ValidationError(
        _("“%(value)s” is not one of: %(choices)s."),
        params={"value": value, "choices": ", ".join(sorted(valid))},
    )


def _codes(value) -> list[str]:
    items = [v.strip().lower() for v in _text(value).split(",") if v.strip()]
    bad = [v for v in items if not (v.isalpha() and 2 <= len(v) <= 3)]
    if bad:
        raise ValidationError(_("Use language codes separated by commas, e.g. “en, fr”."))
    return items


def _sdgs(value) -> list[int]:
    try:
        numbers = [int(float(v)) for v in _text(value).split(",") if v.strip()]
    except ValueError:
        raise ValidationError(_("Use numbers from 1 to 17 separated by commas.")) from None
    return sorted(set(numbers))


class RowErrors(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors


def _convert(row: dict, converters: dict, errors: dict) -> dict[str, Any]:
    """Typed values of the row's cells; cells that cannot be read go into ``errors``."""
    values = {}
    for column, convert in converters.items():
        if column not in row:
            continue
        try:
            values[column] = convert(row[column])
        except ValidationError as error:
            errors[column] = error.messages
    return values


def _full_clean(instance, errors: dict, exclude=None) -> None:
    """Model validation of the row; raises every problem of the row at once."""
    try:
        instance.full_clean(exclude=[*(exclude or []), *errors])
    except ValidationError as error:
        for name, messages in getattr(error, "message_dict", {"row": error.messages}).items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise RowErrors(errors)


class Validator:
    """Validates the rows of one import for one organisation; loads what it needs up front."""

    def __init__(self, *, kind: str, organisation: Organisation):
        self.kind = kind
        self.organisation = organisation
        self.cities = {
            c.slug: c for c in City.objects.filter(memberships__organisation=organisation)
        }
        self.themes = {t.slug: t for t in Theme.objects.all()}
        self.seen: set = set()

    def city(self, row) -> City:
        slug = _text(row.get("city" if self.kind != ImportKind.CITIES else "slug", ""))
        city = self.cities.get(slug)
        if city is None:
            column = "city" if self.kind != ImportKind.CITIES else "slug"
            raise RowErrors(
                {
                    column: [
                        _("“%(slug)s” is not a member city of %(organisation)s.")
                        % {"slug": slug, "organisation": self.organisation.name}
                    ]
                }
            )
        return city

    def once(self, key, column: str) -> None:
        if key in self.seen:
            raise RowErrors({column: [_("This appears more than once in the file.")]})
        self.seen.add(key)

    def validate(self, row: dict) -> Plan:
        return getattr(self, f"_{self.kind}")(row)

    def _cities(self, row) -> Plan:
        city = self.city(row)
        self.once(city.pk, "slug")
        errors: dict = {}
        values = _convert(
            row,
            {
                "summary": _text,
                "website": _text,
                "population": _whole_number,
                "working_languages": _codes,
                "open_to_partnerships": _bool,
                "looking_for": _text,
            },
            errors,
        )
        instance = City.objects.get(pk=city.pk)
        for name, value in values.items():
            setattr(instance, name, value)
        _full_clean(instance, errors)
        return Plan(instance=instance, city=city, is_new=False)

    def _officials(self, row) -> Plan:
        city = self.city(row)
        errors: dict = {}
        values = _convert(
            row,
            {
                "name": _text,
                "role": lambda v: _choice(v, OfficialRole),
                "title": _text,
                "email": _text,
                "phone": _text,
                "contact_visibility": lambda v: _choice(
                    v or ContactVisibility.MEMBERS, ContactVisibility
                ),
            },
            errors,
        )
        official_id = _text(row.get("id", ""))
        if official_id:
            try:
                instance = Official.objects.get(pk=int(float(official_id)), city=city)
            except (ValueError, Official.DoesNotExist):
                raise RowErrors({"id": [_("No official with this id in this city.")]}) from None
            self.once(("official", instance.pk), "id")
            is_new = False
        else:
            instance, is_new = Official(city=city), True
        for name, value in values.items():
            setattr(instance, name, value)
        _full_clean(instance, errors)
        return Plan(instance=instance, city=city, is_new=is_new)

    def _challenges(self, row) -> Plan:
        city = self.city(row)
        theme = self.themes.get(_text(row.get("theme", "")))
        if theme is None:
            raise RowErrors({"theme": [_("Unknown theme; use a theme slug from the directory.")]})
        self.once((city.pk, theme.pk), "theme")
        errors: dict = {}
        values = _convert(
            row,
            {
                "priority": lambda v: _choice(v or Priority.MEDIUM, Priority),
                "seeks_help": _bool,
                "offers_expertise": _bool,
                "description": _text,
            },
            errors,
        )
        instance = Challenge.objects.filter(city=city, theme=theme).first()
        is_new = instance is None
        if is_new:
            instance = Challenge(city=city, theme=theme)
        for name, value in values.items():
            setattr(instance, name, value)
        _full_clean(instance, errors, exclude=["city", "theme"] if is_new else None)
        if not (instance.seeks_help or instance.offers_expertise):
            raise RowErrors(
                {"seeks_help": [_("A challenge must seek help, offer expertise, or both.")]}
            )
        return Plan(instance=instance, city=city, is_new=is_new)

    def _initiatives(self, row) -> Plan:
        city = self.city(row)
        title = _text(row.get("title", ""))
        self.once((city.pk, title.lower()), "title")
        errors: dict = {}
        values = _convert(
            row,
            {
                "title": _text,
                "description": _text,
                "status": lambda v: _choice(v or InitiativeStatus.ONGOING, InitiativeStatus),
                "start_date": _date,
                "end_date": _date,
                "budget": lambda v: None if v in ("", None) else _decimal(v),
                "budget_currency": lambda v: _text(v).upper(),
                "sdgs": _sdgs,
                "link": _text,
            },
            errors,
        )
        themes = None
        if "themes" in row:
            slugs = [s.strip() for s in _text(row["themes"]).split(",") if s.strip()]
            unknown = [s for s in slugs if s not in self.themes]
            if unknown:
                raise RowErrors(
                    {"themes": [_("Unknown themes: %(s)s.") % {"s": ", ".join(unknown)}]}
                )
            themes = [self.themes[s] for s in slugs]
        instance = Initiative.objects.filter(city=city, title__iexact=title).first()
        is_new = instance is None
        if is_new:
            instance = Initiative(city=city)
        for name, value in values.items():
            setattr(instance, name, value)
        _full_clean(instance, errors)
        return Plan(instance=instance, city=city, themes=themes, is_new=is_new)


def _whole_number(value):
    if value in ("", None):
        return None
    try:
        number = float(_text(value).replace(" ", "").replace(",", ""))
    except ValueError:
        raise ValidationError(_("“%(value)s” is not a number."), params={"value": value}) from None
    if not number.is_integer() or number < 0:
        raise ValidationError(_("“%(value)s” is not a whole number."), params={"value": value})
    return int(number)


def _decimal(value):
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(_text(value).replace(" ", ""))
    except InvalidOperation:
        raise ValidationError(_("“%(value)s” is not a number."), params={"value": value}) from None


def validate_rows(
    *, kind: str, organisation: Organisation, rows: list[dict], progress=None
) -> Validation:
    """Validate every row; ``progress(done)`` is called every ``PROGRESS_EVERY`` rows."""
    validator = Validator(kind=kind, organisation=organisation)
    result = Validation()
    for number, row in enumerate(rows, start=1):
        try:
            result.plans.append(validator.validate(row))
        except RowErrors as bad:
            for column, messages in bad.errors.items():
                label = "" if column in ("__all__", "row") else f"{column}: "
                for message in messages:
                    if len(result.errors) < MAX_ERRORS:
                        # +1: the header is line 1 of the file.
                        result.errors.append(
                            _("Row %(row)d (line %(line)d): %(label)s%(message)s")
                            % {
                                "row": number,
                                "line": number + 1,
                                "label": label,
                                "message": message,
                            }
                        )
        if progress and number % PROGRESS_EVERY == 0:
            progress(number)
    return result


@transaction.atomic
def write_plans(plans: list[Plan]) -> tuple[int, int]:
    """Write every validated row in one transaction; returns (created, updated)."""
    created = updated = 0
    touched: dict[int, City] = {}
    for plan in plans:
        plan.instance.save()
        if plan.themes is not None:
            plan.instance.themes.set(plan.themes)
        created += plan.is_new
        updated += not plan.is_new
        touched[plan.city.pk] = plan.city
    for city in touched.values():
        city_profile_changed(city=city)
    return created, updated


# --- jobs -----------------------------------------------------------------------------------


def import_start(*, organisation: Organisation, user, kind: str, upload) -> ImportJob:
    """Read ``upload`` and import it: small files now, large ones in Celery. Raises
    ImportRejected for a file that cannot be read; a file with invalid rows gives a FAILED job
    with its row-level errors, and nothing written."""
    rows = read_upload(upload, kind=kind)
    job = ImportJob.objects.create(
        organisation=organisation,
        created_by=user,
        kind=kind,
        filename=(upload.name or "")[:255],
        total_rows=len(rows),
        rows=rows if len(rows) > SYNC_LIMIT else [],
    )
    if len(rows) > SYNC_LIMIT:
        # With the broker down the job stays pending; sweep_import_jobs hands it out later.
        enqueue_on_commit("cities.curation.tasks.run_import_job", job.pk)
        return job
    _run(job, rows)
    return job


def _run(job: ImportJob, rows: list[dict]) -> None:
    """Validate, then write the rows and mark the job done in ONE transaction: a worker that
    dies half-way leaves neither rows nor a finished job, so running the job again is safe."""

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)

    validation = validate_rows(
        kind=job.kind, organisation=job.organisation, rows=rows, progress=progress
    )
    job.processed_rows = len(rows)
    job.rows = []  # the data is in the directory now (or rejected); do not keep a copy
    fields = ["status", "errors", "created_count", "updated_count", "processed_rows", "rows"]
    if validation.errors:
        job.status, job.errors, job.finished_at = (
            ImportStatus.FAILED,
            validation.errors,
            timezone.now(),
        )
        job.save(update_fields=[*fields, "finished_at"])
        return
    try:
        with transaction.atomic():
            # Fence: of two runs of one job (a redelivered task, the sweeper), the second
            # waits here for the first and then finds the job finished.
            locked = ImportJob.objects.select_for_update().only("status").get(pk=job.pk)
            if locked.is_finished:
                return
            job.created_count, job.updated_count = write_plans(validation.plans)
            job.status, job.finished_at = ImportStatus.SUCCEEDED, timezone.now()
            job.save(update_fields=[*fields, "finished_at"])
    except DatabaseError as error:  # a database constraint the validation could not see
        job.status, job.finished_at = ImportStatus.FAILED, timezone.now()
        job.created_count = job.updated_count = 0
        job.errors = [_("Nothing was written: %(error)s") % {"error": error}]
        job.save(update_fields=[*fields, "finished_at"])


def import_job_run(*, job_id: int) -> str | None:
    """Run a job that is not finished; returns its final status (None if already finished).
    Claimed with a conditional UPDATE. A RUNNING job is taken again because Celery only
    redelivers a task whose worker died (the broker's visibility timeout exceeds the task's
    time limit), and an unfinished job has written nothing."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportStatus.PENDING, ImportStatus.RUNNING]
    ).update(status=ImportStatus.RUNNING)
    if not claimed:
        return None
    job = ImportJob.objects.select_related("organisation").get(pk=job_id)
    _run(job, list(job.rows))
    return job.status
