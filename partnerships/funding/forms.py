"""Forms: the curators' programme form and the pair check."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cities.choices import PartnershipKind
from cities.filters import country_choices
from cities.models import Theme
from cities.reference import group_choices, sdg_choices
from partnerships.models import FundingProgramme

from .selectors import city_by_token

TRANSLATED_LANGUAGES = ("de", "fr", "es", "pt")  # settings.LANGUAGES without English


def _summary_field(language) -> forms.CharField:
    return forms.CharField(
        label=format_lazy(_("Summary in {language}"), language=language),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def country_group_choices():
    return [
        (_("Groups of countries"), group_choices()),
        (_("Single countries"), country_choices()),
    ]


class FundingProgrammeForm(forms.ModelForm):
    """Everything a curator maintains. The model's ``clean`` and constraints refuse
    contradictory rules; the errors appear next to the fields."""

    applicant_groups = forms.MultipleChoiceField(
        label=_("Where the applicant may be"),
        choices=country_group_choices,
        required=False,
        help_text=_("Any of these; none selected means any country."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    partner_groups = forms.MultipleChoiceField(
        label=_("Where partners may be"),
        choices=country_group_choices,
        required=False,
        help_text=_("Any of these; none selected means any country."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    sdgs = forms.TypedMultipleChoiceField(
        label=_("Sustainable Development Goals"),
        choices=sdg_choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    required_partnership_kinds = forms.MultipleChoiceField(
        label=_("Required partnership kinds"),
        choices=PartnershipKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    url = forms.URLField(label=_("official page"), max_length=500, assume_scheme="https")
    source_url = forms.URLField(label=_("source checked"), max_length=500, assume_scheme="https")
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.select_related("parent").order_by("position", "name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    # Declared, not added in __init__, so the Django admin can list them too.
    summary_de = _summary_field(_("German"))
    summary_fr = _summary_field(_("French"))
    summary_es = _summary_field(_("Spanish"))
    summary_pt = _summary_field(_("Portuguese"))
    TRANSLATION_FIELDS = tuple(f"summary_{code}" for code in TRANSLATED_LANGUAGES)

    class Meta:
        model = FundingProgramme
        fields = [
            "name",
            "slug",
            "funder",
            "url",
            "summary",
            "themes",
            "sdgs",
            "amount_min",
            "amount_max",
            "currency",
            "cofunding_share",
            "duration_months_min",
            "duration_months_max",
            "call_type",
            "next_deadline",
            "applicant_groups",
            "partner_groups",
            "min_countries",
            "min_cities",
            "max_cities",
            "partners_in_different_countries",
            "min_population",
            "max_population",
            "requires_existing_partnership",
            "required_partnership_kinds",
            "partners_assigned_by_programme",
            "other_conditions",
            "source_url",
            "last_checked_on",
        ]
        widgets = {
            "next_deadline": forms.DateInput(attrs={"type": "date"}),
            "last_checked_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "other_conditions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        translations = self.instance.summary_translations or {}
        for code in TRANSLATED_LANGUAGES:
            self.fields[f"summary_{code}"].initial = translations.get(code, "")

    def clean(self):
        data = super().clean()
        self.instance.summary_translations = {
            code: text.strip()
            for code in TRANSLATED_LANGUAGES
            if (text := (data.get(f"summary_{code}") or "")).strip()
        }
        return data

    def translation_fields(self):
        return [self[f"summary_{code}"] for code in TRANSLATED_LANGUAGES]


class PairForm(forms.Form):
    """Two cities, each by slug or GeoNames id (the pair check)."""

    a = forms.CharField(label=_("First city"), max_length=120, help_text=_("Slug or GeoNames id"))
    b = forms.CharField(label=_("Second city"), max_length=120, help_text=_("Slug or GeoNames id"))

    def _city(self, name):
        token = self.cleaned_data[name]
        city = city_by_token(token)
        if city is None:
            raise forms.ValidationError(
                _("There is no city “%(token)s” in the directory."), params={"token": token}
            )
        return city

    def clean_a(self):
        return self._city("a")

    def clean_b(self):
        return self._city("b")

    def clean(self):
        data = super().clean()
        if data.get("a") and data.get("b") and data["a"].pk == data["b"].pk:
            raise forms.ValidationError(_("Choose two different cities."))
        return data
