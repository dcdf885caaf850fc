"""Forms for requests and activities: they parse and validate input; services do the work."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.choices import PartnershipKind
from cities.models import City, Theme
from cities.permissions import public_cities

from .models import PartnershipActivityKind
from .models.requests import DECLINE_REASON_MAX_LENGTH, MESSAGE_MAX_LENGTH


class RequestForm(forms.Form):
    """A partnership request from one of the user's cities to ``to_city``."""

    from_city = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=City.objects.none(), to_field_name="slug"
    )
    to_city = forms.ModelChoiceField(
        label=_("To"),
        queryset=public_cities(),
        to_field_name="slug",
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("There is no such city in the directory."),
            "required": _("Choose the city you want to partner with."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Proposed kind of partnership"), choices=PartnershipKind.choices
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What you would like to work on together."),
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Introduce your city and say what you propose (at most %(max)d characters).")
        % {"max": MESSAGE_MAX_LENGTH},
    )

    def __init__(self, *args, sender_cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_city"].queryset = sender_cities
        self.fields["from_city"].error_messages["invalid_choice"] = _(
            "You may only send requests on behalf of a city you work for."
        )
        # Only the top level of the taxonomy, in its order, keeps the list short.
        self.fields["themes"].queryset = Theme.objects.filter(parent__isnull=True)

    def clean(self):
        data = super().clean()
        if data.get("from_city") and data.get("to_city") and data["from_city"] == data["to_city"]:
            raise forms.ValidationError(_("A city cannot send a partnership request to itself."))
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=DECLINE_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=PartnershipActivityKind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(
                _("Record activities that have taken place: the date cannot be in the future.")
            )
        return date
