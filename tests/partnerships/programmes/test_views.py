"""Programme pages as users see them: public list and page without contact data, drafts
hidden, organiser pages closed to others, private schedule links, .ics and print."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from partnerships.models import Meeting, MeetingWish, ProgrammeStatus
from partnerships.programmes import services

from .factories import AgendaItemFactory, MeetingSlotFactory, ProgrammeFactory, at

pytestmark = pytest.mark.django_db


def url(name, programme, **kwargs):
    return reverse(f"partnerships:{name}", kwargs={"slug": programme.slug, **kwargs})


def test_it_lists_published_programmes_but_not_drafts(
    client, programme, django_assert_max_num_queries
):
    ProgrammeFactory(title="Secret draft", status=ProgrammeStatus.DRAFT)
    for n in range(5):
        ProgrammeFactory(title=f"Another week {n}")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("partnerships:programme_list"))
    assert response.status_code == 200
    assert "Cities in structural change" in response.text
    assert "Secret draft" not in response.text


def test_it_filters_the_list_by_host_country_and_year(client, programme):
    ProgrammeFactory(title="Semaine à Lyon", host_country="FR")
    ProgrammeFactory(title="Older week", start_date="2019-05-01", end_date="2019-05-03")
    response = client.get(reverse("partnerships:programme_list"), {"host_country": "FR"})
    assert "Semaine à Lyon" in response.text
    assert "Cities in structural change" not in response.text
    response = client.get(reverse("partnerships:programme_list"), {"year": 2019})
    assert "Older week" in response.text
    assert "Semaine à Lyon" not in response.text


def test_it_shows_a_draft_only_to_its_organisers(client, programme, organiser, member):
    programme.status = ProgrammeStatus.DRAFT
    programme.save()
    assert client.get(programme.get_absolute_url()).status_code == 404
    client.force_login(member)
    assert client.get(programme.get_absolute_url()).status_code == 404
    client.force_login(organiser)
    assert client.get(programme.get_absolute_url()).status_code == 200


def test_it_shows_participants_and_cities_without_contact_data(
    client, programme, people, django_assert_max_num_queries
):
    AgendaItemFactory(programme=programme, title="Welcome at the association")
    with django_assert_max_num_queries(12):
        response = client.get(programme.get_absolute_url())
    assert response.status_code == 200
    assert "Mayor of Kafue (sample)" in response.text
    assert reverse("cities:detail", kwargs={"slug": "recife"}) in response.text
    assert "Welcome at the association" in response.text
    assert "@city.example" not in response.text
    assert "programme-map-points" in response.text


def test_it_closes_the_organiser_pages_to_other_members(client, programme, member):
    client.force_login(member)
    for name in (
        "programme_organise",
        "programme_agenda",
        "programme_meetings",
        "programme_matchmaking",
    ):
        assert client.get(url(name, programme)).status_code == 403
    assert client.post(url("programme_schedule", programme)).status_code == 403


def test_it_lets_the_organiser_add_slots_wishes_and_schedule(client, programme, people, organiser):
    client.force_login(organiser)
    response = client.post(
        url("programme_slots_create", programme),
        {
            "day": "2026-06-02",
            "first_start": "14:00",
            "last_end": "15:00",
            "minutes": 30,
            "room": "Hall A",
            "tables": 2,
        },
        follow=True,
    )
    assert "2 meeting slots added" in response.text
    client.post(
        url("programme_wish_add", programme),
        {"participant": people["kafue"].pk, "host": people["essen"].pk, "weight": 3},
    )
    assert MeetingWish.objects.count() == 1
    response = client.post(url("programme_schedule", programme), follow=True)
    assert "1 meetings scheduled" in response.text
    assert Meeting.objects.count() == 1
    response = client.get(url("programme_meetings", programme))
    assert "Mayor of Kafue (sample)" in response.text


def test_it_shows_the_organiser_what_conflicts_when_scheduling_is_impossible(
    client, programme, people, organiser
):
    slot = MeetingSlotFactory(programme=programme)
    services.meeting_create(
        programme=programme, participant=people["kafue"], host=people["essen"], slot=slot
    )
    people["essen"].max_meetings = 0
    people["essen"].save()
    client.force_login(organiser)
    response = client.post(url("programme_schedule", programme), follow=True)
    assert "may have at most 0 meetings but has 1 locked ones" in response.text


def test_it_shows_a_clear_message_for_overlapping_slots_in_one_room(client, programme, organiser):
    MeetingSlotFactory(programme=programme, start=at(2, 14), end=at(2, 14, 30), room="Hall A")
    client.force_login(organiser)
    response = client.post(
        url("programme_slots_create", programme),
        {
            "day": "2026-06-02",
            "first_start": "14:15",
            "last_end": "15:00",
            "minutes": 15,
            "room": "Hall A",
            "tables": 2,
        },
        follow=True,
    )
    assert "overlaps the slot" in response.text
    assert programme.meeting_slots.count() == 1


def test_it_gives_a_participant_their_schedule_by_private_link(client, programme, people):
    slot = MeetingSlotFactory(programme=programme)
    services.meeting_create(
        programme=programme, participant=people["kafue"], host=people["essen"], slot=slot
    )
    response = client.get(url("participant_schedule", programme, token=people["kafue"].token))
    assert response.status_code == 200
    assert "Bilateral meeting with Head of Europe Office, Essen" in response.text
    assert (
        client.get(url("participant_schedule", programme, token="not-a-token")).status_code == 404
    )


def test_it_lets_a_host_state_a_wish_on_their_private_page(client, programme, people):
    page = url("participant_schedule", programme, token=people["essen"].token)
    response = client.post(
        page, {"wish": "1", "other": people["recife"].pk, "weight": 2}, follow=True
    )
    assert "Your wish is recorded" in response.text
    wish = MeetingWish.objects.get()
    assert (wish.participant, wish.host, wish.stated_by) == (
        people["recife"],
        people["essen"],
        "host",
    )


def _events(body: bytes) -> list:
    calendar = Calendar.from_ical(body)
    return list(calendar.walk("VEVENT"))


def test_it_exports_the_agenda_as_a_valid_icalendar_feed(client, programme, people):
    AgendaItemFactory(
        programme=programme,
        title="Visit to Zollverein",
        start=at(3, 9),
        end=at(3, 12),
        place="Essen",
    )
    response = client.get(url("programme_ical", programme))
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = _events(response.content)
    assert str(event["SUMMARY"]) == "Visit to Zollverein"
    assert event.decoded("DTSTART") == at(3, 9)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert "DTSTAMP" in event and str(event["UID"]).startswith("agenda-")
    assert Calendar.from_ical(response.content).walk("VTIMEZONE")


def test_it_exports_a_participants_own_schedule_with_their_meetings(client, programme, people):
    AgendaItemFactory(programme=programme, title="Welcome", start=at(1, 9), end=at(1, 10))
    private = AgendaItemFactory(programme=programme, title="Mayors' breakfast", for_everyone=False)
    private.attendees.set([people["recife"]])
    slot = MeetingSlotFactory(programme=programme)
    services.meeting_create(
        programme=programme, participant=people["kafue"], host=people["essen"], slot=slot
    )
    response = client.get(url("participant_ical", programme, token=people["kafue"].token))
    events = {str(e["SUMMARY"]): e for e in _events(response.content)}
    assert set(events) == {"Welcome", "Bilateral meeting with Head of Europe Office, Essen (Essen)"}
    meeting = events["Bilateral meeting with Head of Europe Office, Essen (Essen)"]
    assert meeting.decoded("DTSTART") == at(2, 14)
    assert "table 1" in str(meeting["LOCATION"])


def test_it_prints_the_programme_with_everyones_schedule_for_organisers(
    client, programme, people, organiser
):
    AgendaItemFactory(programme=programme, title="Welcome", start=at(1, 9), end=at(1, 10))
    slot = MeetingSlotFactory(programme=programme)
    services.meeting_create(
        programme=programme, participant=people["kafue"], host=people["essen"], slot=slot
    )
    public = client.get(url("programme_print", programme))
    assert "Welcome" in public.text and "Mayor of Kafue (sample)" in public.text
    assert "Personal schedules" not in public.text
    client.force_login(organiser)
    response = client.get(url("programme_print", programme))
    assert "Personal schedules" in response.text
    assert "Bilateral meeting with Mayor of Kafue (sample)" in response.text
    assert "@city.example" not in response.text


def test_it_lets_a_programme_organiser_start_a_draft_programme_they_organise(client, organiser):
    client.force_login(organiser)
    response = client.post(
        reverse("partnerships:programme_create"),
        {
            "title": "Water week in Lusaka",
            "host_country": "ZM",
            "start_date": "2026-09-07",
            "end_date": "2026-09-11",
            "timezone": "Africa/Lusaka",
            "description": "Utilities meet.",
        },
    )
    from partnerships.models import Programme

    programme = Programme.objects.get(title="Water week in Lusaka")
    assert response.status_code == 302
    assert programme.status == ProgrammeStatus.DRAFT
    assert list(programme.organisers.all()) == [organiser]


def test_it_refuses_a_programme_that_ends_before_it_starts(client, organiser):
    client.force_login(organiser)
    response = client.post(
        reverse("partnerships:programme_create"),
        {
            "title": "Backwards",
            "host_country": "DE",
            "start_date": "2026-09-11",
            "end_date": "2026-09-07",
            "timezone": "Europe/Berlin",
        },
    )
    assert response.status_code == 200
    assert "The last day cannot be before the first day." in response.text


def test_it_reads_agenda_times_in_the_programmes_time_zone(client, programme, people, organiser):
    client.force_login(organiser)
    response = client.post(
        url("programme_agenda_item_create", programme),
        {
            "kind": "site_visit",
            "title": "Zollverein",
            "start": "2026-06-03T13:00",
            "end": "2026-06-03T16:00",
            "place": "Essen",
            "host_city": "essen",
            "for_everyone": "",
            "attendees": [people["kafue"].pk],
        },
    )
    assert response.status_code == 302
    item = programme.agenda.get()
    assert item.start == at(3, 13)  # 13:00 in Berlin, 11:00 UTC
    assert item.host_city.slug == "essen"
    assert list(item.attendees.all()) == [people["kafue"]]


def test_it_explains_an_agenda_item_outside_the_programme_days(client, programme, organiser):
    client.force_login(organiser)
    response = client.post(
        url("programme_agenda_item_create", programme),
        {
            "kind": "travel",
            "title": "Early arrival",
            "start": "2026-05-30T10:00",
            "end": "2026-05-30T12:00",
            "for_everyone": "on",
        },
    )
    assert response.status_code == 200
    assert "outside the programme" in response.text
    assert not programme.agenda.exists()


def test_it_invites_a_participant_by_e_mail_from_the_organisers_page(
    client, programme, organiser, kafue
):
    from cities.models import OutboxEmail

    client.force_login(organiser)
    response = client.post(
        url("programme_participant_add", programme),
        {
            "side": "visitor",
            "city": "kafue",
            "name": "Town Clerk (sample)",
            "role": "Town Clerk",
            "email": "clerk@kafue.example",
            "languages": "en, bem",
        },
        follow=True,
    )
    assert "Use two-letter codes: bem" in response.text
    client.post(
        url("programme_participant_add", programme),
        {
            "side": "visitor",
            "city": "kafue",
            "name": "Town Clerk (sample)",
            "email": "clerk@kafue.example",
            "languages": "en",
        },
    )
    participant = programme.participants.get(name="Town Clerk (sample)")
    assert participant.status == "invited"
    assert OutboxEmail.objects.filter(to_email="clerk@kafue.example").exists()


def test_it_refuses_an_official_of_another_city(client, programme, organiser, kafue, recife):
    from tests.cities.factories import OfficialFactory

    official = OfficialFactory(city=recife)
    client.force_login(organiser)
    response = client.post(
        url("programme_participant_add", programme),
        {"side": "visitor", "city": "kafue", "official": official.pk},
        follow=True,
    )
    assert "This official works for Recife" in response.text
    assert not programme.participants.exists()


@pytest.mark.parametrize("page", ["programme_print", "programme_meetings", "programme_agenda"])
def test_it_keeps_the_organiser_pages_to_a_fixed_number_of_queries(
    client, programme, people, organiser, page, django_assert_max_num_queries
):
    from .factories import HostFactory, ParticipantFactory

    slots = [
        MeetingSlotFactory(programme=programme, start=at(2, 14 + n), end=at(2, 14 + n, 30))
        for n in range(3)
    ]
    for n in range(6):
        visitor = ParticipantFactory(programme=programme)
        host = HostFactory(programme=programme)
        services.meeting_wish_set(programme=programme, participant=visitor, host=host)
        services.meeting_create(
            programme=programme, participant=visitor, host=host, slot=slots[n % 3]
        )
        item = AgendaItemFactory(programme=programme, for_everyone=False)
        item.attendees.set([visitor, host])
    client.force_login(organiser)
    with django_assert_max_num_queries(20):
        response = client.get(url(page, programme))
    assert response.status_code == 200


def test_it_filters_the_list_by_theme_and_by_upcoming_or_past(client, programme):
    from cities.models import Theme

    theme = Theme.objects.get(slug="structural-change")
    programme.themes.set([theme])
    ProgrammeFactory(title="Long ago", start_date="2001-05-01", end_date="2001-05-03")
    response = client.get(reverse("partnerships:programme_list"), {"theme": theme.parent.slug})
    assert "Cities in structural change" in response.text
    assert "Long ago" not in response.text
    ProgrammeFactory(title="Far ahead", start_date="2040-05-01", end_date="2040-05-03")
    response = client.get(reverse("partnerships:programme_list"), {"when": "past"})
    assert "Long ago" in response.text
    assert "Far ahead" not in response.text
    response = client.get(reverse("partnerships:programme_list"), {"when": "upcoming"})
    assert "Far ahead" in response.text
    assert "Long ago" not in response.text


def test_it_links_city_staff_to_their_own_participants_schedules(
    client, programme, people, staff_kafue, staff_recife
):
    kafue_link = url("participant_schedule", programme, token=people["kafue"].token)
    recife_link = url("participant_schedule", programme, token=people["recife"].token)
    client.force_login(staff_kafue)
    response = client.get(programme.get_absolute_url())
    assert kafue_link in response.text
    assert recife_link not in response.text
    client.logout()
    response = client.get(programme.get_absolute_url())
    assert kafue_link not in response.text
