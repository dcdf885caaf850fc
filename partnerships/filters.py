"""The registry's FilterSet for /partnerships/ (list and map use the same one).

Every parameter is validated by the form; an invalid value is a form error shown to the
visitor and an empty result, never a 500."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.choices import PartnershipKind
from cities.filters import country_choices
from cities.models import Theme
from cities.taxonomy import ThemeChoiceField

from .models import Partnership, PartnershipStatus
from .models.registry import dormant_cutoff


class ThemeFilter(django_filters.ModelChoiceFilter):
    """A theme, from the taxonomy sorted by name in the visitor's language."""

    field_class = ThemeChoiceField


class PartnershipFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=PartnershipKind.choices, empty_label=_("Any kind")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PartnershipStatus.choices, empty_label=_("Any status")
    )
    theme = ThemeFilter(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        field_name="themes",
        empty_label=_("Any theme"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country (either city)"),
        choices=country_choices,
        method="filter_country",
        empty_label=_("Any country"),
    )
    health = django_filters.ChoiceFilter(
        label=_("Health"),
        choices=[
            ("dormant", _("Possibly dormant (no activity for 24 months)")),
            ("alive", _("Recently active")),
        ],
        method="filter_health",
        empty_label=_("Any"),
    )

    class Meta:
        model = Partnership
        fields = ["kind", "status", "theme", "country"]

    def filter_country(self, queryset, name, value):
        return queryset.filter(Q(city_a__country=value) | Q(city_b__country=value))

    def filter_health(self, queryset, name, value):
        cutoff = dormant_cutoff(timezone.localdate())
        dormant = Q(status=PartnershipStatus.ACTIVE, last_sign_of_life__lt=cutoff)
        return queryset.filter(dormant) if value == "dormant" else queryset.exclude(dormant)
