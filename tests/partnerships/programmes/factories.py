import datetime as dt
from zoneinfo import ZoneInfo

import factory

from partnerships.models import (
    AgendaItem,
    AgendaItemKind,
    Delegation,
    MeetingSlot,
    Participant,
    ParticipantSide,
    Programme,
    ProgrammeStatus,
)
from tests.cities.factories import CityFactory

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in the test programme's week (1 June 2026 is day 1), Berlin time."""
    return dt.datetime(2026, 6, day, hour, minute, tzinfo=BERLIN)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    title = factory.Sequence(lambda n: f"Visitors programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    host_country = "DE"
    start_date = dt.date(2026, 6, 1)
    end_date = dt.date(2026, 6, 5)
    timezone = "Europe/Berlin"
    status = ProgrammeStatus.PUBLISHED


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Delegation {n}")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    programme = factory.SubFactory(ProgrammeFactory)
    city = factory.SubFactory(CityFactory, country="ZM")
    name = factory.Sequence(lambda n: f"Head of International Relations {n} (placeholder)")
    role = "Head of International Relations"
    side = ParticipantSide.VISITOR
    email = factory.Sequence(lambda n: f"participant{n}@city.example")


class HostFactory(ParticipantFactory):
    city = factory.SubFactory(CityFactory, country="DE")
    side = ParticipantSide.HOST


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    programme = factory.SubFactory(ProgrammeFactory)
    kind = AgendaItemKind.MEETING
    title = factory.Sequence(lambda n: f"Agenda item {n}")
    start = at(1, 9)
    end = at(1, 10)
    place = "Town hall"


class MeetingSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSlot

    programme = factory.SubFactory(ProgrammeFactory)
    start = at(2, 14)
    end = at(2, 14, 30)
    room = "Meeting hall"
    tables = 2
