"""Sample sign-in accounts for trying the portal locally: one per role (a demo step).

``load(*, stdout)`` runs with the demo data (``manage.py load_demo``, which ``make run``
calls) and creates, **only when DEBUG is on**, four accounts with one known password:

- ``sample-staff``: admin of the sample city Kafue, with a sample partnership request from
  Recife waiting for an answer;
- ``sample-curator``: curator of the Sample Association of Cities (Kafue is a member);
- ``sample-organiser``: programme organiser for that association and organiser of the sample
  visitors programme;
- ``sample-admin``: site admin (Django admin too).

It then lists them once in the log with the sign-in address. With DEBUG off it creates
nothing, and any sample account left from a development run can no longer sign in (its
password is made unusable): a known password must never reach a production database.
Idempotent: a second run changes nothing but the listing. Lives at project level because it
gives roles of both apps.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

# Known on purpose: these accounts exist only on a developer's machine (DEBUG on).
PASSWORD = "sample-password"  # noqa: S105
CITY = "kafue"
OTHER_CITY = "recife"
ORGANISATION = "sample-association-of-cities"
PROGRAMME = "sample-berlin-ruhr-week"
USERNAMES = ("sample-staff", "sample-curator", "sample-organiser", "sample-admin")


def _user(username: str, *, superuser: bool = False):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@example.org",
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return user


def _disable_leftovers() -> int:
    """Make sample accounts from a development run unable to sign in; returns how many."""
    disabled = 0
    for user in get_user_model().objects.filter(username__in=USERNAMES):
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
            disabled += 1
    return disabled


def _sample_request(kafue, recife) -> None:
    """One open request to Kafue, so the staff account has something to answer."""
    from partnerships.models import PartnershipRequest, RequestEvent, RequestStatus

    if PartnershipRequest.objects.filter(from_city=recife, to_city=kafue).exists():
        return
    now = timezone.now()
    days = settings.CITYDIPLOMACY["REQUEST_EXPIRES_AFTER_DAYS"]
    request = PartnershipRequest.objects.create(
        from_city=recife,
        to_city=kafue,
        sender=None,
        kind="peer_learning",
        message=(
            "Sample request: Recife would like to exchange with Kafue on upgrading informal "
            "settlements along rivers."
        ),
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    RequestEvent.objects.create(request=request, to_status=RequestStatus.SENT, created_at=now)


def load(*, stdout) -> None:
    """DEMO_STEPS: the sample accounts (see the module docstring)."""
    from cities.models import City, CityStaff, Organisation, OrganisationCurator, StaffRole
    from partnerships.models import Programme, ProgrammeOrganiserRole

    if not settings.DEBUG:
        disabled = _disable_leftovers()
        note = f" {disabled} left from a development run can no longer sign in." if disabled else ""
        stdout.write(f"Sample accounts: none created (DEBUG is off).{note}")
        return
    cities = City.objects.in_bulk([CITY, OTHER_CITY], field_name="slug")
    organisation = Organisation.objects.filter(slug=ORGANISATION).first()
    programme = Programme.objects.filter(slug=PROGRAMME).first()
    roles = []
    with transaction.atomic():
        admin = _user("sample-admin", superuser=True)
        roles.append((admin.username, "site admin (also /admin/)"))
        if CITY in cities:
            staff = _user("sample-staff")
            CityStaff.objects.get_or_create(
                user=staff, city=cities[CITY], defaults={"role": StaffRole.ADMIN}
            )
            roles.append((staff.username, f"city staff: admin of {cities[CITY].name}"))
            if OTHER_CITY in cities:
                _sample_request(cities[CITY], cities[OTHER_CITY])
        if organisation is not None:
            curator = _user("sample-curator")
            OrganisationCurator.objects.get_or_create(user=curator, organisation=organisation)
            roles.append((curator.username, f"curator of {organisation.name}"))
            organiser = _user("sample-organiser")
            ProgrammeOrganiserRole.objects.get_or_create(
                user=organiser, organisation=organisation, defaults={"granted_by": curator}
            )
            what = "programme organiser"
            if programme is not None:
                programme.organisers.add(organiser)
                what += f" of “{programme.title}”"
            roles.append((organiser.username, what))
    login = settings.CITYDIPLOMACY["SITE_URL"].rstrip("/") + reverse("login")
    width = max(len(name) for name, _role in roles)
    lines = [f"Sign in locally at {login} (DEBUG only) with the password {PASSWORD!r}:"]
    lines += [f"  {name.ljust(width)}  {role}" for name, role in roles]
    stdout.write("\n".join(lines))
