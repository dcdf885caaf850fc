"""Line breaks in what goes into a calendar line: a programme's feeds stay valid for titles
stored before input was checked, a carriage return cannot add events, and new titles, names
and places with line breaks are refused with a message."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from partnerships.models import Programme
from partnerships.programmes import services

from .factories import AgendaItemFactory, ParticipantFactory, ProgrammeFactory, at

pytestmark = pytest.mark.django_db

INJECTED = "Week\rBEGIN:VEVENT\rUID:evil\rSUMMARY:Free lunch\rDTSTART:20260601T120000Z\rEND:VEVENT"


def _feed(client, name, programme, **kwargs):
    response = client.get(
        reverse(f"partnerships:{name}", kwargs={"slug": programme.slug, **kwargs})
    )
    assert response.status_code == 200
    return response.content


def _lines_are_crlf_only(body: bytes) -> bool:
    return b"\r" not in body.replace(b"\r\n", b"") and b"\n" not in body.replace(b"\r\n", b"")


def test_it_serves_both_feeds_of_a_programme_whose_title_has_a_line_break(client):
    programme = ProgrammeFactory(title="Cities in\nstructural change")
    AgendaItemFactory(programme=programme, title="Welcome\non day one", start=at(1, 9))
    participant = ParticipantFactory(programme=programme, name="Mayor\r\nof Kafue")

    for body in (
        _feed(client, "programme_ical", programme),
        _feed(client, "participant_ical", programme, token=participant.token),
    ):
        calendar = Calendar.from_ical(body)
        assert _lines_are_crlf_only(body)
        assert b"X-WR-CALNAME:Cities in\\nstructural change" in body
        (event,) = calendar.walk("VEVENT")
        assert str(event["SUMMARY"]) == "Welcome\non day one"


def test_it_does_not_let_a_carriage_return_in_a_title_add_events(client):
    programme = ProgrammeFactory(title=INJECTED)
    AgendaItemFactory(programme=programme, title="Welcome", start=at(1, 9))
    participant = ParticipantFactory(programme=programme, name=INJECTED)

    for body in (
        _feed(client, "programme_ical", programme),
        _feed(client, "participant_ical", programme, token=participant.token),
    ):
        assert _lines_are_crlf_only(body)
        summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(body).walk("VEVENT")]
        assert summaries == ["Welcome"]


def test_it_refuses_a_programme_title_with_a_line_break(client, organiser):
    client.force_login(organiser)

    response = client.post(
        reverse("partnerships:programme_create"),
        {
            "title": "Water week\r\nin Lusaka",
            "host_country": "ZM",
            "start_date": "2026-09-07",
            "end_date": "2026-09-11",
            "timezone": "Africa/Lusaka",
        },
    )

    assert response.status_code == 200
    assert "Use one line of text" in response.text
    assert not Programme.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "Zollverein\rBEGIN:VEVENT"), ("place", "Essen\n"), ("title", "Tab\tbed")],
)
def test_it_refuses_an_agenda_item_title_or_place_with_a_control_character(field, value):
    programme = ProgrammeFactory()
    fields = {
        "kind": "site_visit",
        "title": "Zollverein",
        "start": at(3, 13),
        "end": at(3, 16),
        "place": "Essen",
        field: value,
    }

    with pytest.raises(ValidationError) as refused:
        services.agenda_item_save(programme=programme, **fields)

    assert field in refused.value.message_dict
    assert not programme.agenda.exists()


def test_it_refuses_a_participant_name_with_a_line_break(client, organiser, programme, kafue):
    client.force_login(organiser)

    response = client.post(
        reverse("partnerships:programme_participant_add", kwargs={"slug": programme.slug}),
        {
            "side": "visitor",
            "city": "kafue",
            "name": "Mayor\rof Kafue",
            "email": "mayor@kafue.example",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "Use one line of text" in response.text
    assert not programme.participants.exists()
