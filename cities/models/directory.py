"""The directory's domain: cities, their officials, challenges and initiatives, themes,
organisations, and who may act for a city or an organisation."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ..choices import ContactVisibility, Continent, PartnershipKind, Priority
from ..text import search_keys


def sdg_list_validator(value) -> None:
    from django.core.exceptions import ValidationError

    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 17 for v in value
    ):
        raise ValidationError(_("Sustainable Development Goals are numbers from 1 to 17."))


class Theme(models.Model):
    """A curated two-level taxonomy of what cities work on (seeded by a data migration)."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    sdgs = models.JSONField(
        _("Sustainable Development Goals"), default=list, validators=[sdg_list_validator]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name


class OrganisationKind(models.TextChoices):
    ASSOCIATION = "association", _("Association of cities")
    NETWORK = "network", _("City network")
    MINISTRY = "ministry", _("Ministry")
    AGENCY = "agency", _("Agency")
    OTHER = "other", _("Other")


class OrganisationQuerySet(models.QuerySet):
    def with_member_count(self):
        return self.annotate(member_count=models.Count("memberships"))


class Organisation(models.Model):
    """An umbrella association, city network, ministry or agency."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    country = CountryField(_("country"), blank=True, help_text=_("Empty for international."))
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_sample = models.BooleanField(_("sample"), default=False)
    # Set for organisations whose member list is imported from a published source (e.g. the
    # Eurocities member list): shown with the list, and "listed" while no curator keeps it.
    members_source = models.CharField(_("source of the member list"), max_length=200, blank=True)
    members_as_of = models.DateField(_("member list as of"), null=True, blank=True)
    members = models.ManyToManyField(
        "City", through="Membership", related_name="organisations", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def has_imported_members(self) -> bool:
        return bool(self.members_source)


class VerificationStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Not verified")
    VERIFIED = "verified", _("Verified")


class CityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def open_to_partnerships(self):
        return self.filter(open_to_partnerships=True)

    def in_country(self, code: str):
        return self.filter(country=code.upper())

    def verified(self):
        return self.filter(verification_status=VerificationStatus.VERIFIED)


class City(models.Model):
    """A city (or comparable local government) in the directory.

    Imported cities carry their GeoNames id; cities added by hand have none. Sample profiles
    from the demo data have ``is_sample`` set and are labelled in the UI.
    """

    name = models.CharField(_("name"), max_length=200)
    ascii_name = models.CharField(_("ASCII name"), max_length=200, blank=True)
    alternate_names = models.TextField(
        _("alternate names"), blank=True, help_text=_("Comma-separated, for search.")
    )
    # Folded search keys ("dusseldorf|duesseldorf|…"), kept in step by save() and the importer.
    search_names = models.TextField(editable=False, blank=True)
    slug = models.SlugField(max_length=120, unique=True)
    country = CountryField(_("country"))
    continent = models.CharField(
        _("continent"), max_length=2, choices=Continent.choices, blank=True
    )
    region = models.CharField(_("region"), max_length=200, blank=True)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    population_source = models.CharField(_("population source"), max_length=100, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    timezone = models.CharField(_("time zone"), max_length=64, blank=True)
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True, unique=True)
    wikidata_id = models.CharField(_("Wikidata id"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    working_languages = models.JSONField(
        _("working languages"), default=list, blank=True, help_text=_("ISO 639-1 codes.")
    )
    open_to_partnerships = models.BooleanField(_("open to partnerships"), default=False)
    partnership_kinds_sought = models.JSONField(
        _("kinds of partnership sought"), default=list, blank=True
    )
    looking_for = models.TextField(_("what we look for"), blank=True)
    verification_status = models.CharField(
        _("verification"),
        max_length=20,
        choices=VerificationStatus.choices,
        default=VerificationStatus.UNVERIFIED,
    )
    verified_by = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="verified_cities",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    is_sample = models.BooleanField(_("sample profile"), default=False)
    # 0–100, how complete the profile is; kept current by cities.tasks.
    completeness = models.PositiveSmallIntegerField(_("completeness"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CityQuerySet.as_manager()

    class Meta:
        ordering = ["name", "country"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        indexes = [
            models.Index(fields=["country", "name"]),
            models.Index(fields=["-population"]),
            models.Index(fields=["open_to_partnerships"]),
            models.Index(fields=["-updated_at"]),
            # The registry's "either city on this continent" reads ids from this index alone.
            models.Index(fields=["continent", "id"], name="city_continent_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="city_latitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="city_longitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(verification_status=VerificationStatus.UNVERIFIED)
                | Q(verified_at__isnull=False),
                name="city_verified_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})" if self.country else self.name

    def save(self, *args, **kwargs) -> None:
        self.refresh_search_names()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "ascii_name", "alternate_names"} & set(
            update_fields
        ):
            kwargs["update_fields"] = {*update_fields, "search_names"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("cities:detail", kwargs={"slug": self.slug})

    def refresh_search_names(self) -> None:
        names = [self.name, self.ascii_name, *self.alternate_names.split(",")]
        self.search_names = "|".join(search_keys(*(n.strip() for n in names)))

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED

    @property
    def kinds_sought_labels(self) -> list[str]:
        labels = dict(PartnershipKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.partnership_kinds_sought]


class Membership(models.Model):
    """A city's membership in an organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="memberships")
    since = models.DateField(_("member since"), null=True, blank=True)
    # Written by an import of the organisation's published member list; the next import may
    # remove it again. Memberships entered by people are never touched by an import.
    is_imported = models.BooleanField(_("imported"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "city"], name="membership_unique"),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.city} in {self.organisation}"


class OfficialRole(models.TextChoices):
    MAYOR = "mayor", _("Mayor")
    DEPUTY_MAYOR = "deputy_mayor", _("Deputy mayor")
    INTERNATIONAL_RELATIONS = "international_relations", _("International-relations officer")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    COUNCIL_MEMBER = "council_member", _("Council member")
    OTHER = "other", _("Other")


class Official(models.Model):
    """A person who represents a city. Contact details obey ``contact_visibility``."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="officials")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=30, choices=OfficialRole.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    contact_visibility = models.CharField(
        _("contact visibility"),
        max_length=10,
        choices=ContactVisibility.choices,
        default=ContactVisibility.MEMBERS,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["city", "role", "name"]
        verbose_name = _("official")
        verbose_name_plural = _("officials")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()}, {self.city.name})"


class Challenge(models.Model):
    """A city's stance on a theme: it seeks help, offers expertise, or both."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="challenges")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="challenges")
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    description = models.TextField(_("description"), blank=True)
    seeks_help = models.BooleanField(_("seeks help"), default=False)
    offers_expertise = models.BooleanField(_("offers expertise"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["city", "theme__position"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        constraints = [
            models.UniqueConstraint(fields=["city", "theme"], name="challenge_one_per_theme"),
            models.CheckConstraint(
                condition=Q(seeks_help=True) | Q(offers_expertise=True),
                name="challenge_seeks_or_offers",
                violation_error_message=_("A challenge must seek help, offer expertise, or both."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city.name}: {self.theme.name}"


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


class Initiative(models.Model):
    """A city's project or measure, with what it cost and what it taught."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="initiatives")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(Theme, related_name="initiatives", blank=True)
    sdgs = models.JSONField(
        _("Sustainable Development Goals"),
        default=list,
        blank=True,
        validators=[sdg_list_validator],
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.ONGOING,
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_currency = models.CharField(_("currency"), max_length=3, blank=True)
    funding_sources = models.TextField(_("funding sources"), blank=True)
    results = models.TextField(_("results"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    partner_cities = models.ManyToManyField(
        City, related_name="partner_initiatives", blank=True, verbose_name=_("partner cities")
    )
    link = models.URLField(_("link"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["city", "-start_date", "title"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="initiative_ends_after_start",
                violation_error_message=_("An initiative cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class StaffRole(models.TextChoices):
    EDITOR = "editor", _("Editor")
    ADMIN = "admin", _("Admin")


class CityStaff(models.Model):
    """A user who works for a city on the portal: editors keep the profile, admins also
    manage the city's staff. A person may serve several cities."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="city_roles"
    )
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(
        _("role"), max_length=10, choices=StaffRole.choices, default=StaffRole.EDITOR
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "city"], name="city_staff_unique"),
        ]
        verbose_name = _("city staff member")
        verbose_name_plural = _("city staff")

    def __str__(self) -> str:
        return f"{self.user} – {self.city.name} ({self.get_role_display()})"


class OrganisationCurator(models.Model):
    """A user who curates the member cities of one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="curator_roles"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="curators"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="organisation_curator_unique"
            ),
        ]
        verbose_name = _("organisation curator")
        verbose_name_plural = _("organisation curators")

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"
