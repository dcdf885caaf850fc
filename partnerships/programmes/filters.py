"""The public programme list's filters: host country, theme, year, upcoming or past."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.filters import country_choices
from cities.models import Theme
from cities.taxonomy import ThemeChoiceField
from partnerships.models import Programme


class ThemeFilter(django_filters.ModelChoiceFilter):
    """A theme, from the taxonomy sorted by name in the visitor's language."""

    field_class = ThemeChoiceField


class ProgrammeFilter(django_filters.FilterSet):
    host_country = django_filters.ChoiceFilter(
        label=_("Host country"), choices=country_choices, empty_label=_("Any country")
    )
    theme = ThemeFilter(
        label=_("Theme"),
        field_name="themes",
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label=_("Any theme"),
        method="filter_theme",
    )
    year = django_filters.NumberFilter(label=_("Year"), method="filter_year")
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[("upcoming", _("Upcoming and current")), ("past", _("Past"))],
        empty_label=_("Any time"),
        method="filter_when",
    )

    class Meta:
        model = Programme
        fields = ["host_country", "theme", "year", "when"]

    def filter_theme(self, queryset, name, value):
        # A parent theme also finds programmes tagged with its sub-themes.
        return queryset.filter(Q(themes=value) | Q(themes__parent=value)).distinct()

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(start_date__year__lte=year, end_date__year__gte=year)

    def filter_when(self, queryset, name, value):
        today = timezone.localdate()
        if value == "past":
            return queryset.filter(end_date__lt=today)
        return queryset.filter(end_date__gte=today)
