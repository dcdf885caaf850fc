"""Partnership requests: one city proposes, the other answers; every change is an event."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cities.choices import PartnershipKind
from cities.models import City, Theme

MESSAGE_MAX_LENGTH = 2000
DECLINE_REASON_MAX_LENGTH = 1000


class RequestStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    SEEN = "seen", _("Seen")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


# A request is open (waiting for an answer) in these states; all others are final.
OPEN_STATUSES = (RequestStatus.SENT, RequestStatus.SEEN)


class PartnershipRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def to_cities(self, cities):
        return self.filter(to_city__in=cities)

    def from_cities(self, cities):
        return self.filter(from_city__in=cities)


class PartnershipRequest(models.Model):
    """City ``from_city`` proposes a partnership of ``kind`` to ``to_city``.

    At most one open request per ordered pair (a partial unique constraint); state changes go
    through ``partnerships.services`` with conditional updates, never by saving ``status``."""

    from_city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="requests_sent", verbose_name=_("from")
    )
    to_city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="requests_received", verbose_name=_("to")
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="partnership_requests_sent",
        verbose_name=_("sent by"),
    )
    kind = models.CharField(_("proposed kind"), max_length=20, choices=PartnershipKind.choices)
    themes = models.ManyToManyField(
        Theme, related_name="partnership_requests", blank=True, verbose_name=_("themes")
    )
    # A CharField so that PostgreSQL enforces the limit too (varchar(2000)).
    message = models.CharField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.SENT
    )
    decline_reason = models.CharField(_("reason"), max_length=DECLINE_REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("sent at"), db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
        verbose_name=_("partnership"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnershipRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("partnership request")
        verbose_name_plural = _("partnership requests")
        indexes = [
            models.Index(fields=["to_city", "status"]),
            models.Index(fields=["from_city", "created_at"]),
            models.Index(fields=["status", "expires_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_city=F("to_city")),
                name="request_not_to_itself",
                violation_error_message=_("A city cannot send a request to itself."),
            ),
            models.UniqueConstraint(
                fields=["from_city", "to_city"],
                condition=Q(status__in=["sent", "seen"]),
                name="request_one_open_per_ordered_pair",
                violation_error_message=_(
                    "There is already an open request from this city to that city."
                ),
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="request_expires_after_sending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_city.name} → {self.to_city.name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:request_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class RequestEvent(models.Model):
    """One state change of a request: who (None for the system), when, from → to."""

    request = models.ForeignKey(PartnershipRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=10, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=RequestStatus.choices)
    note = models.CharField(max_length=DECLINE_REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"
