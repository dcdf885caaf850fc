import datetime

import factory
from django.utils import timezone

from cities.choices import PartnershipKind
from partnerships.models import (
    Partnership,
    PartnershipActivity,
    PartnershipActivityKind,
    PartnershipRequest,
    PartnershipStatus,
    RequestStatus,
)

from ..cities.factories import CityFactory, UserFactory


class PartnershipFactory(factory.django.DjangoModelFactory):
    """Pass ``first``/``second`` in any order; the factory stores the pair in id order."""

    class Meta:
        model = Partnership
        exclude = ["first", "second"]

    first = factory.SubFactory(CityFactory)
    second = factory.SubFactory(CityFactory)
    city_a = factory.LazyAttribute(lambda o: Partnership.ordered_pair(o.first, o.second)[0])
    city_b = factory.LazyAttribute(lambda o: Partnership.ordered_pair(o.first, o.second)[1])
    kind = PartnershipKind.TWINNING
    status = PartnershipStatus.ACTIVE
    since = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))


class PartnershipActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipActivity

    partnership = factory.SubFactory(PartnershipFactory)
    kind = PartnershipActivityKind.MEETING
    date = factory.LazyFunction(timezone.localdate)


class PartnershipRequestFactory(factory.django.DjangoModelFactory):
    """A stored request without notifications (use services.request_send for the workflow)."""

    class Meta:
        model = PartnershipRequest

    from_city = factory.SubFactory(CityFactory)
    to_city = factory.SubFactory(CityFactory)
    sender = factory.SubFactory(UserFactory)
    kind = PartnershipKind.PROJECT
    message = "We would like to learn from your flood-protection work."
    status = RequestStatus.SENT
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.created_at + datetime.timedelta(days=60))


def top_themes(count: int = 2) -> list:
    """Seeded top-level themes (created when a transactional test flushed the seed)."""
    from cities.models import Theme

    from ..cities.factories import ThemeFactory

    themes = list(Theme.objects.filter(parent__isnull=True)[:count])
    return themes + [ThemeFactory() for _ in range(count - len(themes))]
