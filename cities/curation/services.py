"""Curation actions on a member city: verify, publish/unpublish, ask its staff to update,
resolve a problem report, and a site admin's export / erasure of one official's personal
data. Callers check permissions first (cities.permissions); these services trust their
arguments."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    City,
    CityStaff,
    ContentFlag,
    FlagStatus,
    Official,
    Organisation,
    VerificationStatus,
)
from ..notifications.services import notify_many


@transaction.atomic
def city_verify(*, city: City, organisation: Organisation) -> City:
    """Mark ``city`` verified by ``organisation`` now (a re-verification moves the date)."""
    city = City.objects.select_for_update().get(pk=city.pk)
    city.verification_status = VerificationStatus.VERIFIED
    city.verified_by = organisation
    city.verified_at = timezone.now()
    city.full_clean()
    # Verifying is not an edit of the profile: updated_at stays as it is.
    city.save(update_fields=["verification_status", "verified_by", "verified_at"])
    return city


@transaction.atomic
def city_publish(*, city: City, published: bool) -> bool:
    """Publish or unpublish; returns whether anything changed."""
    changed = City.objects.filter(pk=city.pk).exclude(is_published=published).exists()
    if changed:
        city = City.objects.select_for_update().get(pk=city.pk)
        city.is_published = published
        city.save(update_fields=["is_published"])
    return changed


@transaction.atomic
def city_update_request(*, city: City, organisation: Organisation, user, message: str) -> int:
    """Ask ``city``'s staff to review their profile: an in-app notification and an outbox
    e-mail each, in their own language. Returns how many staff members were told."""
    staff = [s.user for s in CityStaff.objects.filter(city=city).select_related("user")]
    return notify_many(
        users=staff,
        kind="update_requested",
        url=reverse("cities:edit", kwargs={"slug": city.slug}),
        context={"city": city, "organisation": organisation, "curator": user, "message": message},
    )


@transaction.atomic
def flag_resolve(*, flag: ContentFlag, user) -> bool:
    return bool(
        ContentFlag.objects.filter(pk=flag.pk, status=FlagStatus.OPEN).update(
            status=FlagStatus.RESOLVED, resolved_by=user, resolved_at=timezone.now()
        )
    )


# --- personal data of officials (site admins, on a person's request) --------------------------


def official_personal_data(*, official: Official) -> dict:
    """Everything stored about one official, including every recorded past version."""
    fields = ["name", "role", "title", "email", "phone", "languages", "contact_visibility"]
    current = {f: getattr(official, f) for f in fields}
    versions = [
        {
            "recorded_at": record.history_date.isoformat(),
            "change": record.history_type,
            **{f: getattr(record, f) for f in fields},
        }
        for record in Official.history.filter(id=official.pk).order_by("history_date")
    ]
    return {
        "official_id": official.pk,
        "city": official.city.name,
        "current": current,
        "history": versions,
        "exported_at": timezone.now().isoformat(),
    }


@transaction.atomic
def official_erase(*, official: Official) -> Official:
    """Erase one official's personal data: the name becomes the role placeholder, e-mail and
    phone are blanked, here and in every recorded version of the history."""
    placeholder = str(_("%(role)s (name removed)") % {"role": official.get_role_display()})
    official.name = placeholder
    official.email = ""
    official.phone = ""
    official.full_clean()
    # Save without a new history row that would carry the data; then purge the old rows.
    official.save_without_historical_record()
    Official.history.filter(id=official.pk).update(name=placeholder, email="", phone="")
    return official
