"""Funding programmes for city partnerships: curated, dated, with partner rules as data that
the eligibility engine (partnerships/funding/eligibility.py) reads. See docs/funding.md."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history import register

from cities.choices import PartnershipKind
from cities.models import Theme, sdg_list_validator

# An entry not checked against its source for this long is flagged as stale.
STALE_AFTER_MONTHS = 12


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` earlier, clamped to the month's last day."""
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month + 1, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def country_group_list_validator(value) -> None:
    """A list of known country-group slugs or ISO country codes (cities/reference.py)."""
    from cities.reference import unknown_tokens

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Give a list of country groups or country codes."))
    unknown = unknown_tokens(value)
    if unknown:
        raise ValidationError(
            _(
                "Unknown country group: %(groups)s. Use a group from docs/funding.md or a "
                "two-letter country code."
            ),
            params={"groups": ", ".join(unknown)},
            code="unknown_country_group",
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("A country group is listed twice."), code="duplicate_group")


def partnership_kind_list_validator(value) -> None:
    if not isinstance(value, list) or not all(v in PartnershipKind.values for v in value):
        raise ValidationError(
            _("Partnership kinds must be among: %(kinds)s."),
            params={"kinds": ", ".join(PartnershipKind.values)},
            code="unknown_partnership_kind",
        )


def translations_validator(value) -> None:
    """{language code: text} for the site's languages other than English."""
    languages = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    if not isinstance(value, dict) or not all(
        key in languages and isinstance(text, str) for key, text in value.items()
    ):
        raise ValidationError(
            _("Translations are texts keyed by language: %(languages)s."),
            params={"languages": ", ".join(sorted(languages))},
        )


class CallType(models.TextChoices):
    ROLLING = "rolling", _("Rolling: apply at any time")
    DEADLINE = "deadline", _("Calls with deadlines")


class FundingProgrammeQuerySet(models.QuerySet):
    def open_calls(self, today: datetime.date | None = None):
        """Rolling calls, and calls whose next deadline is today or later."""
        today = today or timezone.localdate()
        return self.filter(Q(call_type=CallType.ROLLING) | Q(next_deadline__gte=today))

    def stale(self, today: datetime.date | None = None):
        """Not checked for ``STALE_AFTER_MONTHS`` months, or the deadline has passed."""
        today = today or timezone.localdate()
        return self.filter(
            Q(last_checked_on__lt=months_before(today, STALE_AFTER_MONTHS))
            | Q(call_type=CallType.DEADLINE, next_deadline__lt=today)
        )


class FundingProgramme(models.Model):
    """A programme a pair (or network) of cities can apply to, with its partner rules."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    funder = models.CharField(_("funder"), max_length=200)
    url = models.URLField(_("official page"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    summary_translations = models.JSONField(
        _("summary in other languages"),
        default=dict,
        blank=True,
        validators=[translations_validator],
        help_text=_("English is shown where a language has no text."),
    )
    themes = models.ManyToManyField(
        Theme, related_name="funding_programmes", blank=True, verbose_name=_("themes")
    )
    sdgs = models.JSONField(
        _("Sustainable Development Goals"),
        default=list,
        blank=True,
        validators=[sdg_list_validator],
    )
    # Money
    amount_min = models.DecimalField(
        _("smallest grant"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    amount_max = models.DecimalField(
        _("largest grant"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR", blank=True)
    cofunding_share = models.PositiveSmallIntegerField(
        _("co-funding share (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("The share of the costs the applicants pay themselves, at least."),
    )
    duration_months_min = models.PositiveSmallIntegerField(
        _("shortest project (months)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    duration_months_max = models.PositiveSmallIntegerField(
        _("longest project (months)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    call_type = models.CharField(
        _("call type"), max_length=10, choices=CallType.choices, default=CallType.DEADLINE
    )
    next_deadline = models.DateField(
        _("next deadline"), null=True, blank=True, help_text=_("Empty when not known.")
    )
    # Partner rules (read by the eligibility engine)
    applicant_groups = models.JSONField(
        _("where the applicant may be"),
        default=list,
        blank=True,
        validators=[country_group_list_validator],
        help_text=_("Country groups or country codes; empty means any country."),
    )
    partner_groups = models.JSONField(
        _("where partners may be"),
        default=list,
        blank=True,
        validators=[country_group_list_validator],
        help_text=_("Country groups or country codes; empty means any country."),
    )
    min_countries = models.PositiveSmallIntegerField(
        _("at least this many countries"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2)],
    )
    min_cities = models.PositiveSmallIntegerField(
        _("at least this many municipalities"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2)],
    )
    max_cities = models.PositiveSmallIntegerField(
        _("at most this many municipalities"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2)],
    )
    partners_in_different_countries = models.BooleanField(
        _("partners must be in different countries"), default=False
    )
    min_population = models.PositiveBigIntegerField(
        _("smallest city (inhabitants)"), null=True, blank=True
    )
    max_population = models.PositiveBigIntegerField(
        _("largest city (inhabitants)"), null=True, blank=True
    )
    requires_existing_partnership = models.BooleanField(
        _("requires an existing partnership"), default=False
    )
    required_partnership_kinds = models.JSONField(
        _("required partnership kinds"),
        default=list,
        blank=True,
        validators=[partnership_kind_list_validator],
        help_text=_("Empty: any kind (when a partnership is required at all)."),
    )
    partners_assigned_by_programme = models.BooleanField(
        _("the programme pairs the cities"),
        default=False,
        help_text=_("Each city applies on its own and the programme matches it with a partner."),
    )
    other_conditions = models.TextField(
        _("other conditions"),
        blank=True,
        help_text=_("Conditions the portal cannot check, and facts that could not be verified."),
    )
    # Provenance
    source_url = models.URLField(_("source checked"), max_length=500)
    last_checked_on = models.DateField(_("last checked"))
    checked_by = models.CharField(_("checked by"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FundingProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True)
                | Q(amount_max__isnull=True)
                | Q(amount_min__lte=F("amount_max")),
                name="funding_amount_min_not_above_max",
                violation_error_message=_("The smallest grant cannot exceed the largest."),
            ),
            models.CheckConstraint(
                condition=Q(duration_months_min__isnull=True)
                | Q(duration_months_max__isnull=True)
                | Q(duration_months_min__lte=F("duration_months_max")),
                name="funding_duration_min_not_above_max",
                violation_error_message=_("The shortest project cannot exceed the longest."),
            ),
            models.CheckConstraint(
                condition=Q(min_cities__isnull=True)
                | Q(max_cities__isnull=True)
                | Q(min_cities__lte=F("max_cities")),
                name="funding_min_cities_not_above_max",
                violation_error_message=_(
                    "The minimum number of municipalities cannot exceed the maximum."
                ),
            ),
            models.CheckConstraint(
                condition=Q(min_population__isnull=True)
                | Q(max_population__isnull=True)
                | Q(min_population__lte=F("max_population")),
                name="funding_population_min_not_above_max",
                violation_error_message=_("The smallest city cannot be larger than the largest."),
            ),
            models.CheckConstraint(
                condition=Q(cofunding_share__isnull=True) | Q(cofunding_share__lte=100),
                name="funding_cofunding_share_percent",
                violation_error_message=_("The co-funding share is a percentage (0–100)."),
            ),
            models.CheckConstraint(
                condition=~Q(call_type=CallType.ROLLING) | Q(next_deadline__isnull=True),
                name="funding_rolling_call_has_no_deadline",
                violation_error_message=_("A rolling call has no deadline."),
            ),
            models.CheckConstraint(
                condition=(Q(min_cities__isnull=True) | Q(min_cities__gte=2))
                & (Q(max_cities__isnull=True) | Q(max_cities__gte=2))
                & (Q(min_countries__isnull=True) | Q(min_countries__gte=2)),
                name="funding_counts_at_least_two",
                violation_error_message=_("Numbers of municipalities and countries start at two."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:funding_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        """Refuses contradictory rules with a message per field (the database constraints
        refuse the same, for writes that skip validation)."""
        super().clean()
        errors: dict[str, list] = {}

        def refuse(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        if self.required_partnership_kinds and not self.requires_existing_partnership:
            refuse(
                "required_partnership_kinds",
                _("Required partnership kinds need “requires an existing partnership” ticked."),
            )
        if self.call_type == CallType.ROLLING and self.next_deadline:
            refuse("next_deadline", _("A rolling call has no deadline."))
        if (
            self.max_cities is not None
            and self.min_countries is not None
            and self.min_countries > self.max_cities
        ):
            refuse(
                "min_countries",
                _("More countries are required than municipalities are allowed."),
            )
        if (
            self.amount_min is not None
            and self.amount_max is not None
            and self.amount_min > self.amount_max
        ):
            refuse("amount_min", _("The smallest grant cannot exceed the largest."))
        if (self.amount_min is not None or self.amount_max is not None) and not self.currency:
            refuse("currency", _("Give the currency of the amounts."))
        if self.currency and not (len(self.currency) == 3 and self.currency.isalpha()):
            refuse("currency", _("Use a three-letter currency code such as EUR."))
        if self.last_checked_on and self.last_checked_on > timezone.localdate():
            refuse("last_checked_on", _("The last check cannot be in the future."))
        if errors:
            raise ValidationError(errors)

    # --- reads -------------------------------------------------------------------------

    def summary_in(self, language: str | None = None) -> str:
        """The summary in ``language`` (default: active), English where none was written."""
        code = (language or get_language() or "en").split("-")[0]
        return (self.summary_translations or {}).get(code) or self.summary

    def deadline_passed(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(
            self.call_type == CallType.DEADLINE
            and self.next_deadline is not None
            and self.next_deadline < today
        )

    def not_checked_recently(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.last_checked_on < months_before(today, STALE_AFTER_MONTHS)

    def is_stale(self, today: datetime.date | None = None) -> bool:
        """The same rule as ``FundingProgrammeQuerySet.stale`` for one loaded row."""
        return self.not_checked_recently(today) or self.deadline_passed(today)

    def is_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        if self.call_type == CallType.ROLLING:
            return True
        return self.next_deadline is not None and self.next_deadline >= today


# Every change (admin, curator pages, import) is recorded: who, when, old and new values.
register(FundingProgramme, app="partnerships", m2m_fields=["themes"])
