"""The partnership registry: who is partnered with whom, how, since when, and how alive."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.choices import PartnershipKind
from cities.models import City, Theme


class PartnershipStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    ENDED = "ended", _("Ended")
    # Imported from open data: the link is recorded, but nobody has said whether it is alive.
    UNKNOWN = "unknown", _("Status unknown")


class PartnershipSource(models.TextChoices):
    REQUEST = "request", _("Partnership request")
    CURATED = "curated", _("Curated")
    IMPORTED = "imported", _("Imported")


class PartnershipConfirmation(models.TextChoices):
    """Who stands behind a partnership. Imported ones start unconfirmed; a city's staff or a
    curator confirms, corrects or rejects them (docs/data.md, "Confirm and correct")."""

    UNCONFIRMED = "unconfirmed", _("Unconfirmed")
    CITY = "city", _("Confirmed by the city")
    CURATOR = "curator", _("Confirmed by a curator")
    REJECTED = "rejected", _("Not a partnership")


# Where imported partnerships come from; the import only ever touches rows with it.
WIKIDATA_PROVENANCE = "Wikidata"
WIKIDATA_ITEM_URL = "https://www.wikidata.org/wiki/{qid}"


# A partnership with no recorded activity for this long is flagged "possibly dormant".
DORMANT_AFTER_MONTHS = 24


def dormant_cutoff(today: datetime.date) -> datetime.date:
    """The date ``DORMANT_AFTER_MONTHS`` before ``today`` (clamped to the month's last day)."""
    months = today.year * 12 + (today.month - 1) - DORMANT_AFTER_MONTHS
    year, month = divmod(months, 12)
    month += 1
    for day in (today.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class PartnershipQuerySet(models.QuerySet):
    def involving(self, city: City):
        return self.filter(Q(city_a=city) | Q(city_b=city))

    def with_last_sign_of_life(self):
        """Annotate ``last_sign_of_life``: the latest activity, else the start, else the day
        the partnership was recorded."""
        return self.annotate(
            last_sign_of_life=Coalesce(
                "last_activity_on",
                "since",
                TruncDate("created_at"),
                output_field=models.DateField(),
            )
        )

    def possibly_dormant(self, *, today: datetime.date | None = None):
        """Active partnerships without any activity for ``DORMANT_AFTER_MONTHS`` months."""
        today = today or timezone.localdate()
        return (
            self.active()
            .with_last_sign_of_life()
            .filter(last_sign_of_life__lt=dormant_cutoff(today))
        )

    def active(self):
        return self.filter(status=PartnershipStatus.ACTIVE)

    def current(self):
        """Partnerships that are not over (nor rejected as "not a partnership"): they exclude
        their cities from suggestions."""
        return self.exclude(status=PartnershipStatus.ENDED).exclude(
            confirmation=PartnershipConfirmation.REJECTED
        )

    def imported(self):
        return self.filter(source=PartnershipSource.IMPORTED)

    def to_review(self):
        """Imported partnerships nobody has confirmed, corrected or rejected yet."""
        return self.imported().filter(confirmation=PartnershipConfirmation.UNCONFIRMED)


class Partnership(models.Model):
    """A partnership between two cities. The pair is stored in id order (``city_a`` has the
    lower id) so that one unordered pair and kind is one row, enforced by the database."""

    city_a = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    city_b = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=PartnershipKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.ACTIVE,
    )
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    themes = models.ManyToManyField(Theme, related_name="partnerships", blank=True)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=PartnershipSource.choices,
        default=PartnershipSource.CURATED,
    )
    is_sample = models.BooleanField(_("sample"), default=False)
    confirmation = models.CharField(
        _("confirmation"),
        max_length=12,
        choices=PartnershipConfirmation.choices,
        default=PartnershipConfirmation.CURATOR,
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # Imported rows: where from ("Wikidata"), the snapshot, and the items of city_a / city_b.
    provenance = models.CharField(_("provenance"), max_length=100, blank=True)
    source_as_of = models.CharField(_("source as of"), max_length=20, blank=True)
    wikidata_a = models.CharField(_("Wikidata item of the first city"), max_length=20, blank=True)
    wikidata_b = models.CharField(_("Wikidata item of the second city"), max_length=20, blank=True)
    # Set by the import when the pair is no longer in the source: flagged for review, never
    # deleted (a city may know better than the source). Cleared if the pair comes back.
    missing_upstream_since = models.DateTimeField(
        _("no longer in the source since"), null=True, blank=True
    )
    # Kept in step by partnership_activity_add: the date of the latest activity.
    last_activity_on = models.DateField(_("last activity"), null=True, blank=True, editable=False)
    # Set once when the cities and curators were told the partnership looks dormant; cleared
    # by a new activity so that a later silence is reported again.
    dormant_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-since", "pk"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        # Also, on PostgreSQL only, partnership_since_idx (migration 0009): the registry's order.
        indexes = [models.Index(fields=["status", "last_activity_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(city_a=F("city_b")),
                name="partnership_not_with_itself",
                violation_error_message=_("A city cannot partner with itself."),
            ),
            models.CheckConstraint(
                condition=Q(city_a__lt=F("city_b")),
                name="partnership_pair_in_id_order",
            ),
            models.UniqueConstraint(
                fields=["city_a", "city_b", "kind"],
                name="partnership_one_per_pair_and_kind",
                violation_error_message=_("These cities already have a partnership of this kind."),
            ),
            models.CheckConstraint(
                condition=Q(since__isnull=True) | Q(until__isnull=True) | Q(until__gte=F("since")),
                name="partnership_ends_after_start",
            ),
            # Nobody has said an unconfirmed partnership is alive, so it cannot be "active".
            models.CheckConstraint(
                condition=~Q(
                    confirmation=PartnershipConfirmation.UNCONFIRMED,
                    status=PartnershipStatus.ACTIVE,
                ),
                name="partnership_unconfirmed_not_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city_a.name} – {self.city_b.name} ({self.get_kind_display()})"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", kwargs={"pk": self.pk})

    @staticmethod
    def ordered_pair(first: City, second: City) -> tuple[City, City]:
        return (first, second) if first.pk < second.pk else (second, first)

    @property
    def is_unconfirmed(self) -> bool:
        return self.confirmation == PartnershipConfirmation.UNCONFIRMED

    @property
    def is_rejected(self) -> bool:
        return self.confirmation == PartnershipConfirmation.REJECTED

    @property
    def wikidata_urls(self) -> list[tuple[str, str]]:
        """(Q-id, item URL) of both cities' Wikidata items, for imported rows."""
        return [
            (qid, WIKIDATA_ITEM_URL.format(qid=qid))
            for qid in (self.wikidata_a, self.wikidata_b)
            if qid
        ]

    def other(self, city: City) -> City:
        return self.city_b if city.pk == self.city_a_id else self.city_a

    def last_sign_of_life_on(self) -> datetime.date:
        return self.last_activity_on or self.since or timezone.localdate(self.created_at)

    def is_possibly_dormant(self, *, today: datetime.date | None = None) -> bool:
        """The same rule as ``PartnershipQuerySet.possibly_dormant`` for one loaded row."""
        if self.status != PartnershipStatus.ACTIVE or self.created_at is None:
            return False
        return self.last_sign_of_life_on() < dormant_cutoff(today or timezone.localdate())


class PartnershipActivityKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    EXCHANGE = "exchange", _("Exchange")
    JOINT_PROJECT = "joint_project", _("Joint project")
    VISIT = "visit", _("Visit")
    OTHER = "other", _("Other")


class PartnershipActivity(models.Model):
    """Something the partners did together; the latest one tells how alive a partnership is."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PartnershipActivityKind.choices)
    date = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("partnership activity")
        verbose_name_plural = _("partnership activities")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date}"


class PartnershipEventKind(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CORRECTED = "corrected", _("Corrected")
    REJECTED = "rejected", _("Marked as not a partnership")
    FLAGGED = "flagged", _("No longer in the source")
    RETURNED = "returned", _("Back in the source")


class PartnershipEvent(models.Model):
    """The history of a partnership's review: who confirmed, corrected or rejected it, what
    changed (field → [old, new]), and what the import noticed upstream."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=12, choices=PartnershipEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # As whom the actor acted: "city" (staff of one of the two cities), "curator" or "admin".
    role = models.CharField(_("role"), max_length=10, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("partnership event")
        verbose_name_plural = _("partnership events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"
