"""The funding programme list's filters: theme, country, SDG and open calls.

An invalid parameter is a form error (shown) and an empty result, never a 500. The country
and SDG filters run in Python over the few dozen programmes: the country filter asks the same
group membership the eligibility engine uses, and JSON containment is not portable to SQLite.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.filters import PlainModelChoiceField, _theme_choices, country_choices
from cities.reference import group_for, sdg_choices
from partnerships.models import FundingProgramme


class ThemeChoiceField(PlainModelChoiceField):
    def label_from_instance(self, obj):
        return f"– {obj.name}" if obj.parent_id else obj.name


class ThemeFilter(django_filters.ModelChoiceFilter):
    field_class = ThemeChoiceField


def sdg_filter_choices():
    return [(str(number), label) for number, label in sdg_choices()]


def could_take_part(programme: FundingProgramme, country: str) -> bool:
    """A city in ``country`` could be the applicant or a partner (or it is not known that it
    could not: uncertain memberships count, the programme page then says "unknown")."""
    for tokens in (programme.applicant_groups, programme.partner_groups):
        if not tokens:
            return True
        for token in tokens:
            group = group_for(token)
            if group is None or group.membership(country) is not False:
                return True
    return False


class FundingProgrammeFilter(django_filters.FilterSet):
    theme = ThemeFilter(
        label=_("Theme"),
        queryset=_theme_choices(),
        to_field_name="slug",
        empty_label=_("Any theme"),
        method="filter_theme",
    )
    country = django_filters.ChoiceFilter(
        label=_("A city in"),
        choices=country_choices,
        empty_label=_("Any country"),
        method="filter_country",
    )
    sdg = django_filters.ChoiceFilter(
        label=_("Sustainable Development Goal"),
        choices=sdg_filter_choices,
        empty_label=_("Any goal"),
        method="filter_sdg",
    )
    open = django_filters.BooleanFilter(
        label=_("Open calls only"),
        method="filter_open",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = FundingProgramme
        fields: list[str] = []

    def filter_theme(self, queryset, name, value):
        # A parent theme also finds programmes tagged with its sub-themes.
        return queryset.filter(Q(themes=value) | Q(themes__parent=value)).distinct()

    def filter_country(self, queryset, name, value):
        keep = [p.pk for p in queryset if could_take_part(p, value)]
        return queryset.filter(pk__in=keep)

    def filter_sdg(self, queryset, name, value):
        number = int(value)  # the form allows only "1".."17"
        keep = [p.pk for p in queryset if number in (p.sdgs or [])]
        return queryset.filter(pk__in=keep)

    def filter_open(self, queryset, name, value):
        return queryset.open_calls(timezone.localdate()) if value else queryset
