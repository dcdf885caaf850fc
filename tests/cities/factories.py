import factory
from django.contrib.auth import get_user_model

from cities.choices import ContactVisibility, Priority
from cities.models import (
    Challenge,
    City,
    CityStaff,
    Initiative,
    Membership,
    Official,
    OfficialRole,
    Organisation,
    OrganisationCurator,
    OrganisationKind,
    StaffRole,
    Theme,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a-long-test-password")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"Testville {n}")
    ascii_name = factory.LazyAttribute(lambda c: c.name)
    slug = factory.Sequence(lambda n: f"testville-{n}")
    country = "DE"
    continent = "EU"
    population = 250_000
    latitude = 51.2
    longitude = 6.8
    working_languages = factory.LazyFunction(lambda: ["en"])


class ThemeFactory(factory.django.DjangoModelFactory):
    """Prefer the seeded themes (Theme.objects.get(slug=…)); this makes extra ones."""

    class Meta:
        model = Theme

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Theme {n}")
    sdgs = factory.LazyFunction(lambda: [11])


class ChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Challenge

    city = factory.SubFactory(CityFactory)
    theme = factory.SubFactory(ThemeFactory)
    priority = Priority.HIGH
    seeks_help = True
    offers_expertise = False


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    city = factory.SubFactory(CityFactory)
    title = factory.Sequence(lambda n: f"Initiative {n}")


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    city = factory.SubFactory(CityFactory)
    name = "Head of International Relations (placeholder)"
    role = OfficialRole.INTERNATIONAL_RELATIONS
    email = factory.Sequence(lambda n: f"international.relations{n}@city.example")
    phone = "+00 000 0000"
    contact_visibility = ContactVisibility.MEMBERS


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Association of Cities {n}")
    slug = factory.Sequence(lambda n: f"association-{n}")
    kind = OrganisationKind.ASSOCIATION


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    city = factory.SubFactory(CityFactory)


class CityStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CityStaff

    user = factory.SubFactory(UserFactory)
    city = factory.SubFactory(CityFactory)
    role = StaffRole.EDITOR


class CuratorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationCurator

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
