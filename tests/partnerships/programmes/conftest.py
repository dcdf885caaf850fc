"""Programme fixtures: the ``organiser`` persona and a small programme around Kafue and
Recife visiting Germany (hosts in Essen and Dortmund)."""

import pytest

from tests.cities.factories import CityFactory, UserFactory

from .factories import DelegationFactory, HostFactory, ParticipantFactory, ProgrammeFactory


@pytest.fixture
def organiser(db):
    """A programme organiser: the role granted by a site admin (docs/programmes.md)."""
    from partnerships.models import ProgrammeOrganiserRole

    user = UserFactory(username="organiser")
    ProgrammeOrganiserRole.objects.create(user=user)
    return user


@pytest.fixture
def programme(organiser):
    programme = ProgrammeFactory(title="Cities in structural change", slug="structural-change")
    programme.organisers.add(organiser)
    return programme


@pytest.fixture
def essen(db):
    return CityFactory(name="Essen", slug="essen", country="DE", latitude=51.46, longitude=7.01)


@pytest.fixture
def dortmund(db):
    return CityFactory(
        name="Dortmund", slug="dortmund", country="DE", latitude=51.51, longitude=7.47
    )


@pytest.fixture
def people(programme, kafue, recife, essen, dortmund):
    """Two visitors in one delegation and two hosts."""
    delegation = DelegationFactory(programme=programme, name="Africa and Latin America")
    return {
        "kafue": ParticipantFactory(
            programme=programme, city=kafue, delegation=delegation, name="Mayor of Kafue (sample)"
        ),
        "recife": ParticipantFactory(
            programme=programme,
            city=recife,
            delegation=delegation,
            name="Planner of Recife (sample)",
        ),
        "essen": HostFactory(programme=programme, city=essen, name="Head of Europe Office, Essen"),
        "dortmund": HostFactory(
            programme=programme, city=dortmund, name="Climate Officer, Dortmund"
        ),
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Matchmaking is cached per programme id; ids repeat between tests on SQLite."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
