"""iCalendar (RFC 5545) feeds: a programme's agenda, and one participant's schedule.

Times are written in the programme's time zone with a VTIMEZONE component, so calendar
applications show them right wherever the reader is. UIDs are stable across downloads
(``<kind>-<id>@<host>``), so re-importing updates events instead of duplicating them.

Every text value goes through ``_text`` and is added as ``vText``: icalendar escapes line
breaks in known text properties (SUMMARY, LOCATION, DESCRIPTION) but writes an ``X-``
property such as X-WR-CALNAME as it is, so a line break in a programme title failed the whole
feed and a bare carriage return started a new line (an injected event, in some readers).
Titles and names are refused with line breaks on input now; this keeps the feeds of older
data valid too.
"""

import re
from datetime import UTC, datetime

from icalendar import Calendar, Event, Timezone, vText

from partnerships.models import Participant, Programme

from .selectors import Entry, agenda, schedule_entries

PRODID = "-//CityDiplomacy//Programmes//EN"

_LINE_BREAK = re.compile(r"\r\n?|[\x85\u2028\u2029]")
# RFC 5545 allows no control character in a TEXT value except the tab (line breaks are escaped).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _text(value: str) -> vText:
    """``value`` as an iCalendar TEXT: every line break becomes ``\\n`` once icalendar escapes
    it, other control characters become spaces."""
    return vText(_CONTROL.sub(" ", _LINE_BREAK.sub("\n", str(value))))


def _calendar(programme: Programme, name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _text(name))
    calendar.add("x-wr-timezone", programme.timezone)
    calendar.add_component(
        Timezone.from_tzid(
            programme.timezone,
            first_date=programme.start_date,
            last_date=programme.end_date,
        )
    )
    return calendar


def _event(entry: Entry, programme: Programme, host: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"{entry.uid}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", entry.start.astimezone(programme.tz))
    event.add("dtend", entry.end.astimezone(programme.tz))
    event.add("summary", _text(entry.title))
    if entry.place:
        event.add("location", _text(entry.place))
    event.add("categories", [entry.kind])
    if entry.item is not None and entry.item.description:
        event.add("description", _text(entry.item.description))
    return event


def programme_calendar(programme: Programme, *, host: str) -> bytes:
    """Every agenda item of the programme (no bilateral meetings: those are personal)."""
    calendar = _calendar(programme, programme.title)
    stamp = datetime.now(UTC)
    for item in agenda(programme):
        entry = Entry(
            item.start,
            item.end,
            item.title,
            item.get_kind_display(),
            item.place,
            item=item,
            uid=f"agenda-{item.pk}",
        )
        calendar.add_component(_event(entry, programme, host, stamp))
    return calendar.to_ical()


def participant_calendar(participant: Participant, *, host: str) -> bytes:
    """The agenda items ``participant`` attends and their bilateral meetings."""
    programme = participant.programme
    calendar = _calendar(programme, f"{programme.title} – {participant.name}")
    stamp = datetime.now(UTC)
    for entry in schedule_entries(participant):
        calendar.add_component(_event(entry, programme, host, stamp))
    return calendar.to_ical()
