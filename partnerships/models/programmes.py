"""Visitors programmes: a week of agenda items for delegations of city officials, the hosts
they meet, and the bilateral meetings the scheduler places into meeting slots."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from cities.models import City, Official, Organisation, Theme
from cities.validators import validate_single_line


def new_token() -> str:
    return secrets.token_urlsafe(24)


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    COMPLETED = "completed", _("Completed")


class ProgrammeQuerySet(models.QuerySet):
    def public(self):
        """What anyone may see: published and completed programmes (never drafts)."""
        return self.exclude(status=ProgrammeStatus.DRAFT)

    def visible_to(self, user):
        """Public programmes, plus the drafts ``user`` organises while they hold the programme
        organiser role (``partnerships.programmes.permissions.can_view_programme``)."""
        if user.is_authenticated and user.is_superuser:
            return self.all()
        if user.is_authenticated:
            own_draft = Q(organisers=user, organisers__programme_organiser_roles__isnull=False)
            return self.filter(~Q(status=ProgrammeStatus.DRAFT) | own_draft).distinct()
        return self.public()


class Programme(models.Model):
    """A visitors programme: one host country, a few days, delegations from many cities."""

    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(max_length=120, unique=True)
    host_country = CountryField(_("host country"))
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="organised_programmes",
        blank=True,
        verbose_name=_("organisers"),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Berlin",
        help_text=_("IANA time zone of the host, e.g. Europe/Berlin; times are shown in it."),
    )
    themes = models.ManyToManyField(
        Theme, related_name="programmes", blank=True, verbose_name=_("themes")
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    is_sample = models.BooleanField(_("sample"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="programme_ends_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:programme_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationError({"timezone": _("Unknown time zone.")}) from exc

    @property
    def tz(self):
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.timezone)

    def covers(self, moment) -> bool:
        """Whether ``moment`` (aware datetime) falls on one of the programme's days, in its
        own time zone."""
        day = moment.astimezone(self.tz).date()
        return self.start_date <= day <= self.end_date

    @property
    def days(self) -> list:
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + timedelta(days=i) for i in range(count)]

    def confirmed_host_organisations(self):
        """The organisations shown as hosts: those whose curators confirmed."""
        return Organisation.objects.filter(
            programme_host_links__programme=self,
            programme_host_links__status=HostStatus.CONFIRMED,
        ).order_by("name")


class HostStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the organisation")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class ProgrammeHostOrganisation(models.Model):
    """An organisation named as host of a programme. It is shown as host only once its
    curators confirm (``partnerships.programmes.services.programme_host_decide``): an
    organiser cannot lend a programme an organisation's name."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="host_organisation_links"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="programme_host_links",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=HostStatus.choices, default=HostStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["programme", "organisation__name"]
        verbose_name = _("host organisation")
        verbose_name_plural = _("host organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"],
                name="programme_host_once_per_organisation",
                violation_error_message=_("This organisation is already asked to host."),
            ),
            models.CheckConstraint(
                condition=Q(status=HostStatus.PENDING) | Q(decided_at__isnull=False),
                name="programme_host_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} hosts {self.programme} ({self.status})"


class ProgrammeOrganiserRole(models.Model):
    """The right to create and run visitors programmes. A site admin grants it without an
    organisation (Django admin); an organisation's curators grant it for their organisation
    (``/organisations/<slug>/programme-organisers/``) and may revoke what they granted.
    Grants and revocations are recorded with who and when (``history``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="programme_organiser_roles",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="programme_organiser_roles",
        verbose_name=_("granted for organisation"),
        help_text=_("Empty when a site admin grants the role on the portal's behalf."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    history = HistoricalRecords(
        verbose_name=_("historical programme organiser role"),
        verbose_name_plural=_("historical programme organiser roles"),
    )

    class Meta:
        ordering = ["organisation__name", "user__username"]
        verbose_name = _("programme organiser role")
        verbose_name_plural = _("programme organiser roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="programme_organiser_once_per_organisation",
                violation_error_message=_("This person already organises for this organisation."),
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(organisation__isnull=True),
                name="programme_organiser_once_by_the_portal",
                violation_error_message=_("This person already holds the role from the portal."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation or _('portal')})"


class Delegation(models.Model):
    """A group of visiting participants, e.g. "Southern Africa" or "Latin America"."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="delegations")
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="delegation_name_unique_in_programme",
                violation_error_message=_("This programme already has a delegation of this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ParticipantSide(models.TextChoices):
    VISITOR = "visitor", _("Visiting participant")
    HOST = "host", _("Host")


class ParticipantStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class ParticipantQuerySet(models.QuerySet):
    def visitors(self):
        return self.filter(side=ParticipantSide.VISITOR)

    def hosts(self):
        return self.filter(side=ParticipantSide.HOST)

    def active(self):
        """Everyone not declined: they can be scheduled."""
        return self.exclude(status=ParticipantStatus.DECLINED)


class Participant(models.Model):
    """A person in a programme: a visiting official of a city, or a host (an official of a
    host-country city, or a representative of a host organisation).

    Invited by e-mail when no official profile exists yet; ``token`` is the private link to
    their own schedule (and to accept or decline an invitation). ``email`` is never shown on
    public pages.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="participants")
    side = models.CharField(
        _("side"), max_length=10, choices=ParticipantSide.choices, default=ParticipantSide.VISITOR
    )
    delegation = models.ForeignKey(
        Delegation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participants",
        verbose_name=_("delegation"),
    )
    official = models.ForeignKey(
        Official,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programme_participations",
        verbose_name=_("official"),
    )
    city = models.ForeignKey(
        City,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programme_participants",
        verbose_name=_("city"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programme_participants",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    role = models.CharField(
        _("role"), max_length=200, blank=True, validators=[validate_single_line]
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("ISO 639-1 codes.")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ParticipantStatus.choices,
        default=ParticipantStatus.CONFIRMED,
    )
    max_meetings = models.PositiveSmallIntegerField(
        _("most bilateral meetings"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Empty for no limit."),
    )
    unavailable_slots = models.ManyToManyField(
        "MeetingSlot",
        related_name="unavailable_participants",
        blank=True,
        verbose_name=_("cannot attend these meeting slots"),
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["side", "delegation__position", "city__name", "name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "official"],
                condition=Q(official__isnull=False),
                name="participant_official_once_per_programme",
                violation_error_message=_("This official already takes part in the programme."),
            ),
            models.CheckConstraint(
                condition=Q(city__isnull=False) | Q(organisation__isnull=False),
                name="participant_represents_city_or_organisation",
                violation_error_message=_("A participant represents a city or an organisation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.represents})"

    @property
    def represents(self):
        return self.city or self.organisation

    @property
    def is_host(self) -> bool:
        return self.side == ParticipantSide.HOST

    def clean(self) -> None:
        errors = {}
        if self.official_id and self.city_id and self.official.city_id != self.city_id:
            errors["official"] = _("The official works for another city.")
        if self.delegation_id and self.delegation.programme_id != self.programme_id:
            errors["delegation"] = _("The delegation belongs to another programme.")
        if self.side == ParticipantSide.HOST and self.delegation_id:
            errors["delegation"] = _("Hosts are not part of a visiting delegation.")
        if errors:
            raise ValidationError(errors)


class AgendaItemKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    SITE_VISIT = "site_visit", _("Site visit")
    WORKSHOP = "workshop", _("Workshop")
    TRAVEL = "travel", _("Travel")
    FREE_TIME = "free_time", _("Free time")


class AgendaItem(models.Model):
    """One entry of the week's agenda. ``for_everyone`` items concern every participant;
    otherwise only the listed attendees."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="agenda")
    kind = models.CharField(_("kind"), max_length=12, choices=AgendaItemKind.choices)
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    place = models.CharField(
        _("place"), max_length=200, blank=True, validators=[validate_single_line]
    )
    host_city = models.ForeignKey(
        City,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_agenda_items",
        verbose_name=_("host city"),
    )
    host_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_agenda_items",
        verbose_name=_("host institution"),
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="agenda_items")
    description = models.TextField(_("description"), blank=True)
    for_everyone = models.BooleanField(_("for every participant"), default=True)
    attendees = models.ManyToManyField(
        Participant, blank=True, related_name="agenda_items", verbose_name=_("attendees")
    )

    class Meta:
        ordering = ["start", "end", "title"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="agenda_item_ends_after_start",
                violation_error_message=_("An agenda item must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MeetingSlot(models.Model):
    """A window for bilateral meetings in one room with ``tables`` meetings side by side.
    Two slots in one room may not overlap (checked by the service)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="meeting_slots")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    room = models.CharField(
        _("room"), max_length=120, default="Meeting hall", validators=[validate_single_line]
    )
    tables = models.PositiveSmallIntegerField(
        _("parallel tables"), default=1, validators=[MinValueValidator(0), MaxValueValidator(500)]
    )

    class Meta:
        ordering = ["start", "room"]
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="meeting_slot_ends_after_start",
                violation_error_message=_("A meeting slot must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        # In the reader's language: "Mon 5 Mar 14:00–14:30", "Mo., 5. März, 14:00–14:30".
        start = self.start.astimezone(self.programme.tz)
        end = self.end.astimezone(self.programme.tz)
        when = date_format(start, "WEEKDAY_DAY_MONTH_TIME_FORMAT")
        return f"{when}–{time_format(end, 'H:i')}, {self.room}"


class WishSource(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    HOST = "host", _("Host")
    ORGANISER = "organiser", _("Organiser")


class MeetingWish(models.Model):
    """A visiting participant would like to meet a host (weight 1 = nice, 3 = essential)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="wishes")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="wishes_made"
    )
    host = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="wishes_received")
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=2, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    stated_by = models.CharField(
        _("stated by"), max_length=12, choices=WishSource.choices, default=WishSource.ORGANISER
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["participant", "-weight"]
        verbose_name = _("meeting wish")
        verbose_name_plural = _("meeting wishes")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "host"],
                name="meeting_wish_once_per_pair",
                violation_error_message=_("This wish is already recorded."),
            ),
            models.CheckConstraint(
                condition=~Q(participant=F("host")),
                name="meeting_wish_not_with_oneself",
                violation_error_message=_("A participant cannot meet themselves."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant.name} → {self.host.name}"


class Meeting(models.Model):
    """A bilateral meeting in a slot at a table. ``locked`` meetings stay where the organiser
    put them when the scheduler runs again."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="meetings")
    slot = models.ForeignKey(MeetingSlot, on_delete=models.CASCADE, related_name="meetings")
    table = models.PositiveSmallIntegerField(_("table"), default=1)
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="meetings_as_visitor"
    )
    host = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="meetings_as_host")
    score = models.FloatField(_("score"), default=0.0)
    locked = models.BooleanField(_("locked"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slot__start", "table"]
        verbose_name = _("bilateral meeting")
        verbose_name_plural = _("bilateral meetings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(participant=F("host")),
                name="meeting_not_with_oneself",
                violation_error_message=_("A participant cannot meet themselves."),
            ),
            models.UniqueConstraint(fields=["slot", "table"], name="meeting_one_per_table"),
            models.UniqueConstraint(
                fields=["slot", "participant"], name="meeting_participant_once_per_slot"
            ),
            models.UniqueConstraint(fields=["slot", "host"], name="meeting_host_once_per_slot"),
            models.UniqueConstraint(
                fields=["participant", "host"],
                name="meeting_once_per_pair",
                violation_error_message=_("These two already have a meeting."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant.name} – {self.host.name} ({self.slot})"
