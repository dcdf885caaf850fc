"""Forms for requests and activities: they parse and validate input; services do the work."""

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cities.choices import PartnershipKind
from cities.models import City, Theme
from cities.permissions import public_cities
from cities.taxonomy import ThemeMultipleChoiceField

from .models import PartnershipActivityKind, PartnershipStatus
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
    themes = ThemeMultipleChoiceField(
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
        # Worded when shown: a "%" on a lazy string would fix the text in English at import.
        help_text=lazy(
            lambda: (
                gettext(
                    "Introduce your city and say what you propose (at most %(max)d characters)."
                )
                % {"max": MESSAGE_MAX_LENGTH}
            ),
            str,
        )(),
    )

    def __init__(self, *args, sender_cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_city"].queryset = sender_cities
        self.fields["from_city"].error_messages["invalid_choice"] = _(
            "You may only send requests on behalf of a city you work for."
        )
        # Only the top level of the taxonomy keeps the list short (sorted in the language read).
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


# --- review of imported partnerships (docs/data.md) ------------------------------------------

# A reviewer sets any status but "proposed", which belongs to the request workflow.
REVIEW_STATUSES = [(v, label) for v, label in PartnershipStatus.choices if v != "proposed"]
EARLIEST_YEAR = 1900  # the oldest twinnings date from the 1920s; earlier is a typing mistake
REJECT_NOTE_MAX_LENGTH = 1000


def _check_date(value, label):
    if value is None:
        return value
    if value > timezone.localdate():
        raise forms.ValidationError(
            _("%(field)s cannot be in the future.") % {"field": label}, code="future"
        )
    if value.year < EARLIEST_YEAR:
        raise forms.ValidationError(
            _("%(field)s must be in %(year)d or later.") % {"field": label, "year": EARLIEST_YEAR},
            code="too_early",
        )
    return value


class ConfirmForm(forms.Form):
    """Confirm a partnership; each fact is optional ("leave as it is")."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("leave as it is"))] + PartnershipKind.choices,
        required=False,
    )
    since = forms.DateField(
        label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("leave as it is"))] + REVIEW_STATUSES, required=False
    )

    def clean_since(self):
        return _check_date(self.cleaned_data.get("since"), _("The start"))


class CorrectForm(forms.Form):
    """The facts of a partnership as they are."""

    kind = forms.ChoiceField(label=_("Kind"), choices=PartnershipKind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=REVIEW_STATUSES)
    since = forms.DateField(
        label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_since(self):
        return _check_date(self.cleaned_data.get("since"), _("The start"))

    def clean_until(self):
        return _check_date(self.cleaned_data.get("until"), _("The end"))

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("A partnership cannot end before it starts."))
        if until and data.get("status") not in (None, "ended"):
            self.add_error("status", _("A partnership with an end date has ended."))
        return data


class RejectForm(forms.Form):
    note = forms.CharField(
        label=_("Why is this not a partnership? (optional)"),
        required=False,
        max_length=REJECT_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewListForm(forms.Form):
    """The review list's filters; bad values are form errors, never a 500."""

    STATES = [
        ("unconfirmed", _("To review")),
        ("flagged", _("No longer in Wikidata")),
        ("confirmed", _("Confirmed")),
        ("rejected", _("Not a partnership")),
        ("all", _("All imported")),
    ]
    city = forms.SlugField(label=_("City"), required=False, max_length=120)
    state = forms.ChoiceField(label=_("State"), choices=STATES, required=False)
