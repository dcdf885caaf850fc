"""Programme services: bad input gets a clear message and nothing is half-saved; the
scheduler adapter keeps locked meetings and respects the rules stored in the database."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from partnerships.models import AgendaItem, Meeting, MeetingSlot, MeetingWish, ParticipantStatus
from partnerships.programmes import selectors, services

from .factories import (
    AgendaItemFactory,
    MeetingSlotFactory,
    ParticipantFactory,
    ProgrammeFactory,
    at,
)

pytestmark = pytest.mark.django_db


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def test_it_creates_a_run_of_slots_in_the_host_time_zone(programme):
    slots = services.meeting_slots_create(
        programme=programme,
        day=dt.date(2026, 6, 2),
        first_start=dt.time(14),
        last_end=dt.time(16),
        minutes=30,
        room="Hall A",
        tables=4,
    )
    assert len(slots) == 4
    assert slots[0].start == at(2, 14)
    assert slots[-1].end == at(2, 16)


def test_it_rejects_slots_outside_the_programme_days(programme):
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_slots_create(
            programme=programme,
            day=dt.date(2026, 6, 9),
            first_start=dt.time(14),
            last_end=dt.time(15),
            minutes=30,
            room="Hall A",
            tables=2,
        )
    assert "outside the programme's days" in messages_of(excinfo)
    assert not MeetingSlot.objects.exists()


def test_it_rejects_overlapping_slots_in_one_room_and_saves_none_of_the_run(programme):
    MeetingSlotFactory(programme=programme, start=at(2, 15), end=at(2, 15, 30), room="Hall A")
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_slots_create(
            programme=programme,
            day=dt.date(2026, 6, 2),
            first_start=dt.time(14),
            last_end=dt.time(16),
            minutes=30,
            room="Hall A",
            tables=2,
        )
    assert "overlaps the slot" in messages_of(excinfo)
    assert "Hall A" in messages_of(excinfo)
    assert MeetingSlot.objects.count() == 1


def test_it_allows_parallel_slots_in_different_rooms(programme):
    MeetingSlotFactory(programme=programme, start=at(2, 14), end=at(2, 14, 30), room="Hall A")
    services.meeting_slot_create(
        programme=programme, start=at(2, 14), end=at(2, 14, 30), room="Hall B", tables=2
    )
    assert MeetingSlot.objects.count() == 2


def test_it_rejects_a_wish_for_a_participant_of_another_programme(programme, people):
    stranger = ParticipantFactory(programme=ProgrammeFactory(), name="Guest elsewhere")
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_wish_set(
            programme=programme, participant=stranger, host=people["essen"], weight=2
        )
    assert "Not in this programme: Guest elsewhere" in messages_of(excinfo)
    assert not MeetingWish.objects.exists()


def test_it_rejects_a_meeting_with_oneself(programme, people):
    slot = MeetingSlotFactory(programme=programme)
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_create(
            programme=programme, participant=people["essen"], host=people["essen"], slot=slot
        )
    assert "cannot meet themselves" in messages_of(excinfo)
    with pytest.raises(ValidationError):
        services.meeting_wish_set(
            programme=programme, participant=people["kafue"], host=people["kafue"]
        )
    assert not Meeting.objects.exists()


def test_it_rejects_an_agenda_item_outside_the_programme_days(programme):
    with pytest.raises(ValidationError) as excinfo:
        services.agenda_item_save(
            programme=programme,
            kind="site_visit",
            title="Zollverein",
            start=at(8, 9),
            end=at(8, 12),
        )
    assert "outside the programme's days" in messages_of(excinfo)
    assert not AgendaItem.objects.exists()


def test_it_reports_overlapping_agenda_items_of_one_participant(programme, people):
    AgendaItemFactory(programme=programme, title="Welcome", start=at(1, 9), end=at(1, 11))
    workshop = AgendaItemFactory(
        programme=programme,
        title="Water workshop",
        start=at(1, 10),
        end=at(1, 12),
        for_everyone=False,
    )
    workshop.attendees.set([people["kafue"]])
    AgendaItemFactory(
        programme=programme, kind="free_time", title="Free evening", start=at(1, 9), end=at(1, 23)
    )
    found = selectors.overlaps(programme)
    assert [(o.participant.pk, o.first.title, o.second.title) for o in found] == [
        (people["kafue"].pk, "Welcome", "Water workshop")
    ]


def _wishes(programme, people, weights):
    for (visitor, host), weight in weights.items():
        services.meeting_wish_set(
            programme=programme, participant=people[visitor], host=people[host], weight=weight
        )


def test_it_schedules_wished_meetings_without_double_booking(programme, people):
    first = MeetingSlotFactory(programme=programme, start=at(2, 14), end=at(2, 14, 30), tables=1)
    MeetingSlotFactory(programme=programme, start=at(2, 14, 30), end=at(2, 15), tables=1)
    _wishes(
        programme,
        people,
        {("kafue", "essen"): 3, ("kafue", "dortmund"): 1, ("recife", "essen"): 2},
    )
    solution = services.meetings_schedule(programme=programme)
    assert solution.status == "optimal"
    meetings = list(Meeting.objects.select_related("slot"))
    # One table per slot: two meetings fit; the two most valuable ones are kept.
    assert len(meetings) == 2
    assert {(m.participant.city.slug, m.host.city.slug) for m in meetings} == {
        ("kafue", "essen"),
        ("recife", "essen"),
    }
    assert len({m.slot_id for m in meetings}) == 2
    assert all(m.table == 1 for m in meetings)
    assert first.meetings.count() == 1


def test_it_keeps_locked_meetings_when_it_runs_again(programme, people):
    early = MeetingSlotFactory(programme=programme, start=at(2, 14), end=at(2, 14, 30), tables=2)
    late = MeetingSlotFactory(programme=programme, start=at(2, 14, 30), end=at(2, 15), tables=2)
    _wishes(programme, people, {("kafue", "essen"): 3, ("recife", "dortmund"): 3})
    services.meetings_schedule(programme=programme)
    meeting = Meeting.objects.get(participant=people["kafue"])
    target = late if meeting.slot_id == early.pk else early
    services.meeting_move(meeting=meeting, slot=target)
    services.meetings_schedule(programme=programme)
    kept = Meeting.objects.get(participant=people["kafue"])
    assert (kept.pk, kept.slot_id, kept.locked) == (meeting.pk, target.pk, True)
    assert Meeting.objects.count() == 2


def test_it_explains_an_infeasible_schedule_and_changes_nothing(programme, people):
    slot = MeetingSlotFactory(programme=programme, tables=2)
    locked = services.meeting_create(
        programme=programme, participant=people["kafue"], host=people["essen"], slot=slot
    )
    # Afterwards the slot is closed (no tables): the locked meeting no longer fits.
    MeetingSlot.objects.filter(pk=slot.pk).update(tables=0)
    with pytest.raises(services.ScheduleConflict) as excinfo:
        services.meetings_schedule(programme=programme)
    assert "has 0 table(s) but 1 locked meetings" in messages_of(excinfo)
    assert list(Meeting.objects.values_list("pk", flat=True)) == [locked.pk]


def test_it_refuses_to_move_a_meeting_where_a_person_is_busy(programme, people):
    slot = MeetingSlotFactory(programme=programme, tables=3)
    other = MeetingSlotFactory(programme=programme, start=at(2, 15), end=at(2, 15, 30), tables=3)
    services.meeting_create(
        programme=programme, participant=people["kafue"], host=people["essen"], slot=slot
    )
    second = services.meeting_create(
        programme=programme, participant=people["kafue"], host=people["dortmund"], slot=other
    )
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_move(meeting=second, slot=slot)
    assert "already has a meeting at that time" in messages_of(excinfo)
    second.refresh_from_db()
    assert second.slot_id == other.pk


def test_it_leaves_declined_participants_out_of_the_schedule(programme, people):
    MeetingSlotFactory(programme=programme, tables=2)
    _wishes(programme, people, {("kafue", "essen"): 3})
    services.participant_respond(participant=people["essen"], accept=False)
    assert people["essen"].status == ParticipantStatus.DECLINED
    services.meetings_schedule(programme=programme)
    assert not Meeting.objects.exists()


def test_it_invites_a_host_by_e_mail_with_a_private_link(programme, essen):
    from cities.models import OutboxEmail

    host = services.host_invite(
        programme=programme, city=essen, name="Mayor's office", email="office@essen.example"
    )
    assert host.status == ParticipantStatus.INVITED
    mail = OutboxEmail.objects.get(to_email="office@essen.example")
    assert host.token in mail.body_text


def test_it_refuses_a_host_from_outside_the_host_country(programme, kafue):
    with pytest.raises(ValidationError) as excinfo:
        services.host_invite(programme=programme, city=kafue, email="x@kafue.example")
    assert "Hosts come from the host country" in messages_of(excinfo)


def test_it_scores_a_meeting_by_the_pairs_match_times_the_wish(programme, people):
    MeetingSlotFactory(programme=programme, tables=2)
    _wishes(programme, people, {("kafue", "essen"): 3})
    problem = services.build_problem(programme)
    (wish,) = problem.wishes
    match = selectors.pair_scores(programme, [(people["kafue"], people["essen"])])
    assert wish.score == pytest.approx(3 * match[(people["kafue"].pk, people["essen"].pk)])
    assert selectors.MIN_SCORE <= wish.score / 3 <= 1


def test_it_suggests_host_cities_with_shared_themes(programme, people, essen, dortmund):
    from tests.cities.factories import ChallengeFactory, ThemeFactory

    water = ThemeFactory(name="Water supply")
    ChallengeFactory(city=people["kafue"].city, theme=water)
    ChallengeFactory(city=essen, theme=water, seeks_help=False, offers_expertise=True)
    rows = {row.city.slug: row for row in selectors.matchmaking(programme)}
    suggested = [s.target for s in rows["kafue"].suggestions if s.kind == "city"]
    assert essen in suggested
    assert all(getattr(t, "country", None) == "DE" for t in suggested)


def test_it_marks_programmes_completed_after_their_last_day_once(programme):
    draft = ProgrammeFactory(status="draft", end_date=dt.date(2026, 6, 5))
    assert services.programmes_complete_past(today=dt.date(2026, 6, 5)) == 0
    assert services.programmes_complete_past(today=dt.date(2026, 6, 6)) == 1
    assert services.programmes_complete_past(today=dt.date(2026, 6, 6)) == 0
    programme.refresh_from_db()
    draft.refresh_from_db()
    assert (programme.status, draft.status) == ("completed", "draft")


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_completes_past_programmes_on_a_real_worker(celery_worker):
    from partnerships.programmes.tasks import complete_past_programmes
    from tests.conftest import wait_for

    past = ProgrammeFactory(start_date=dt.date(2020, 3, 2), end_date=dt.date(2020, 3, 6))
    complete_past_programmes.delay()
    assert wait_for(lambda: type(past).objects.get(pk=past.pk).status == "completed")
