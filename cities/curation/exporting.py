"""Export an organisation's member cities, officials, challenges and initiatives as CSV or
XLSX, in the same columns the importer reads. Officials' e-mail and phone are written only
where ``cities.permissions.can_see_contact`` allows the person exporting to see them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.http import HttpResponse

from ..models import Challenge, City, Initiative, Official, Organisation
from ..permissions import can_see_contact
from .importing import COLUMNS


def _list(values) -> str:
    return ", ".join(str(v) for v in values)


def export_rows(*, kind: str, organisation: Organisation, user) -> Iterator[list]:
    """The header, then one row per object of the organisation's member cities."""
    columns = COLUMNS[kind][0]
    yield columns
    members = City.objects.filter(memberships__organisation=organisation)
    if kind == "cities":
        for c in members.order_by("name"):
            yield [
                c.slug,
                c.name,
                c.country.code if c.country else "",
                c.summary,
                c.website,
                c.population if c.population is not None else "",
                _list(c.working_languages),
                "yes" if c.open_to_partnerships else "no",
                c.looking_for,
            ]
    elif kind == "officials":
        officials = Official.objects.filter(city__in=members).select_related("city")
        for o in officials.order_by("city__name", "role", "name"):
            visible = can_see_contact(user, o)
            yield [
                o.city.slug,
                o.pk,
                o.name,
                o.role,
                o.title,
                o.email if visible else "",
                o.phone if visible else "",
                o.contact_visibility,
            ]
    elif kind == "challenges":
        challenges = Challenge.objects.filter(city__in=members).select_related("city", "theme")
        for ch in challenges.order_by("city__name", "theme__slug"):
            yield [
                ch.city.slug,
                ch.theme.slug,
                ch.priority,
                "yes" if ch.seeks_help else "no",
                "yes" if ch.offers_expertise else "no",
                ch.description,
            ]
    else:
        initiatives = (
            Initiative.objects.filter(city__in=members)
            .select_related("city")
            .prefetch_related("themes")
        )
        for i in initiatives.order_by("city__name", "title"):
            yield [
                i.city.slug,
                i.title,
                i.description,
                i.status,
                i.start_date.isoformat() if i.start_date else "",
                i.end_date.isoformat() if i.end_date else "",
                str(i.budget) if i.budget is not None else "",
                i.budget_currency,
                _list(t.slug for t in i.themes.all()),
                _list(i.sdgs),
                i.link,
            ]


def _safe_cell(value):
    """Spreadsheet programs run cells starting with = + - @ as formulas: neutralise them."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_response(*, kind: str, organisation: Organisation, user, fmt: str) -> HttpResponse:
    rows = export_rows(kind=kind, organisation=organisation, user=user)
    filename = f"{organisation.slug}-{kind}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow([_safe_cell(v) for v in row])
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(kind)
        for row in rows:
            sheet.append([_safe_cell(v) for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
