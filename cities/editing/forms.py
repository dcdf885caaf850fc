"""Profile-editing forms. Each names its fields explicitly: verification, publishing, the
sample flag and the owning city are never form fields, so posting them changes nothing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import PartnershipKind
from ..models import Challenge, City, Initiative, Membership, Official, Theme
from ..taxonomy import ThemeChoiceField, ThemeMultipleChoiceField
from .services import CHALLENGE_FIELDS, CITY_EDITABLE_FIELDS, INITIATIVE_FIELDS, OFFICIAL_FIELDS


class CommaListField(forms.CharField):
    """A list typed as "en, fr"; lower-cased codes of two or three letters."""

    def __init__(self, *args, code_length=(2, 3), **kwargs):
        self.code_length = code_length
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value):
        items = [v.strip().lower() for v in (value or "").split(",") if v.strip()]
        low, high = self.code_length
        bad = [v for v in items if not (v.isalpha() and low <= len(v) <= high)]
        if bad:
            raise forms.ValidationError(
                _("Use ISO 639-1 codes separated by commas, e.g. “en, fr” (not: %(bad)s)."),
                params={"bad": ", ".join(bad)},
            )
        return list(dict.fromkeys(items))


class SdgListField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Numbers from 1 to 17, separated by commas."))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value):
        try:
            numbers = [int(v) for v in (value or "").split(",") if v.strip()]
        except ValueError:
            raise forms.ValidationError(_("Numbers from 1 to 17, separated by commas.")) from None
        if any(not 1 <= n <= 17 for n in numbers):
            raise forms.ValidationError(_("Sustainable Development Goals are numbers 1 to 17."))
        return sorted(set(numbers))


class CityProfileForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    working_languages = CommaListField(label=_("working languages"))
    partnership_kinds_sought = forms.MultipleChoiceField(
        label=_("kinds of partnership sought"),
        choices=PartnershipKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = City
        fields = list(CITY_EDITABLE_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "looking_for": forms.Textarea(attrs={"rows": 3}),
        }


class OfficialForm(forms.ModelForm):
    languages = CommaListField(label=_("languages"))

    class Meta:
        model = Official
        fields = list(OFFICIAL_FIELDS)
        help_texts = {
            "contact_visibility": _("Who may see this person's e-mail address and phone."),
        }


class ChallengeForm(forms.ModelForm):
    class Meta:
        model = Challenge
        fields = list(CHALLENGE_FIELDS)
        field_classes = {"theme": ThemeChoiceField}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, city: City, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city
        self.fields["theme"].queryset = Theme.objects.all()
        self.fields["theme"].with_parent = True

    def clean(self):
        data = super().clean()
        if not (data.get("seeks_help") or data.get("offers_expertise")):
            raise forms.ValidationError(_("A challenge must seek help, offer expertise, or both."))
        theme = data.get("theme")
        taken = Challenge.objects.filter(city=self.city, theme=theme)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if theme and taken.exists():
            self.add_error("theme", _("This city already has a challenge on this theme."))
        return data


class InitiativeForm(forms.ModelForm):
    link = forms.URLField(label=_("link"), required=False, assume_scheme="https")
    sdgs = SdgListField(label=_("Sustainable Development Goals"))
    themes = ThemeMultipleChoiceField(
        label=_("themes"), queryset=Theme.objects.none(), required=False
    )

    class Meta:
        model = Initiative
        fields = list(INITIATIVE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "results": forms.Textarea(attrs={"rows": 3}),
            "lessons_learned": forms.Textarea(attrs={"rows": 3}),
            "funding_sources": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, city: City, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city
        self.fields["themes"].queryset = Theme.objects.all()
        if self.instance.pk:
            self.initial["themes"] = list(self.instance.themes.values_list("pk", flat=True))

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("An initiative cannot end before it starts."))
        return data


class MembershipForm(forms.ModelForm):
    """Only organisations the user curates are offered; anything else is an invalid choice."""

    class Meta:
        model = Membership
        fields = ["organisation", "since"]
        widgets = {"since": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, city: City, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city
        self.fields["organisation"].queryset = organisations.exclude(memberships__city=city)
