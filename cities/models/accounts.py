"""Accounts and curation: user preferences, invitations to a city's staff, requests to join a
city, problem reports on profiles, bulk-import jobs — and the change history of the directory
models (django-simple-history, registered here so the directory module stays as it is)."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history import register

from .directory import Challenge, City, Initiative, Membership, Official, Organisation, StaffRole

# --- change history ---------------------------------------------------------------------------
# Who changed what and when, with old and new values, for every profile write (the
# HistoryRequestMiddleware fills in the user). Search keys and completeness are derived
# values, not edits, so they stay out of the history.
register(City, app="cities", excluded_fields=["search_names", "completeness"])
register(Official, app="cities")
register(Challenge, app="cities")
register(Initiative, app="cities", m2m_fields=["themes", "partner_cities"])
register(Membership, app="cities")


class UserProfile(models.Model):
    """A person's preferences: interface language (applied at sign-in) and e-mail digests."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    digest_opt_out = models.BooleanField(
        _("no digest e-mails"),
        default=False,
        help_text=_("Do not send me the periodic digest of suggested partners and news."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def for_user(cls, user) -> "UserProfile":
        profile, _created = cls.objects.get_or_create(user=user)
        return profile


def token_hash(token: str) -> str:
    """Invitations store only a hash of their token: a database leak reveals no usable link."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self, *, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """An e-mailed, single-use invitation to join a city's staff with a role."""

    VALID_FOR = timedelta(days=7)

    email = models.EmailField(_("e-mail"))
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(
        _("role"), max_length=10, choices=StaffRole.choices, default=StaffRole.EDITOR
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The language of the e-mail; the invitee's account starts with it.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_invitations",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.city.name} ({self.get_role_display()})"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_used(self) -> bool:
        return self.accepted_at is not None


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class JoinRequest(models.Model):
    """A signed-in person asks to join a city's staff; its admins or curators decide."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=JoinRequestStatus.choices,
        default=JoinRequestStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "city"],
                condition=Q(status="pending"),
                name="join_request_one_pending_per_city",
                violation_error_message=_("You have already asked to join this city."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.city.name} ({self.get_status_display()})"


class FlagReason(models.TextChoices):
    OUTDATED = "outdated", _("Information is out of date")
    WRONG = "wrong", _("Information is wrong")
    CONTACT = "contact", _("Contact details do not work")
    INAPPROPRIATE = "inappropriate", _("Inappropriate content")
    OTHER = "other", _("Something else")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class ContentFlag(models.Model):
    """A visitor's "Report a problem" on a city profile, for the city's curators."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(_("what is wrong"), max_length=20, choices=FlagReason.choices)
    message = models.TextField(_("details"), max_length=2000, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("content flag")
        verbose_name_plural = _("content flags")

    def __str__(self) -> str:
        return f"{self.city.name}: {self.get_reason_display()}"


class ImportKind(models.TextChoices):
    CITIES = "cities", _("Cities")
    OFFICIALS = "officials", _("Officials")
    CHALLENGES = "challenges", _("Challenges")
    INITIATIVES = "initiatives", _("Initiatives")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Rejected")


class ImportJob(models.Model):
    """A curator's bulk import. Rows are parsed and stored at upload; large jobs are validated
    and written by a Celery task that updates ``processed_rows`` for the progress bar."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="import_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("what"), max_length=20, choices=ImportKind.choices)
    filename = models.CharField(_("file"), max_length=255)
    rows = models.JSONField(default=list, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.filename} ({self.get_status_display()})"

    @property
    def progress_percent(self) -> int:
        if self.status == ImportStatus.SUCCEEDED:
            return 100
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.SUCCEEDED, ImportStatus.FAILED}
