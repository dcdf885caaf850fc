"""Forms of the programme pages. They parse input; the services decide and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cities.models import Official, Organisation, Theme
from cities.permissions import public_cities
from cities.taxonomy import ThemeMultipleChoiceField
from cities.validators import validate_single_line
from partnerships.models import (
    AgendaItem,
    Delegation,
    MeetingSlot,
    Participant,
    ParticipantSide,
    Programme,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CitySlugField(forms.CharField):
    """A city by the name in its address (/cities/<slug>/): the directory is too big for a
    drop-down."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", _("As in the city's address, e.g. kafue for /cities/kafue/.")
        )
        super().__init__(max_length=120, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        # Programmes are public: only cities everyone may see can take part (an unpublished
        # one reads as unknown, so the form does not reveal that it exists).
        city = public_cities().filter(slug=value.strip().lower()).first()
        if city is None:
            raise forms.ValidationError(
                _("No city with the address name “%(slug)s”.") % {"slug": value}
            )
        return city


class ProgrammeForm(forms.ModelForm):
    host_organisations = forms.ModelMultipleChoiceField(
        label=_("Host organisations"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_(
            "Each organisation's curators are asked to confirm; it is shown as host only "
            "once they do."
        ),
    )

    class Meta:
        model = Programme
        fields = [
            "title",
            "host_country",
            "start_date",
            "end_date",
            "timezone",
            "themes",
            "host_organisations",
            "description",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}
        field_classes = {"themes": ThemeMultipleChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["themes"].required = False
        if self.instance.pk:
            self.initial["host_organisations"] = [
                link.organisation_id for link in self.instance.host_organisation_links.all()
            ]

    def clean(self):
        data = super().clean()
        if (
            data.get("start_date")
            and data.get("end_date")
            and data["end_date"] < data["start_date"]
        ):
            self.add_error("end_date", _("The last day cannot be before the first day."))
        return data

    def validate_unique(self):
        # The slug is set by the service.
        pass


class DelegationForm(forms.ModelForm):
    class Meta:
        model = Delegation
        fields = ["name", "description"]


class ParticipantForm(forms.Form):
    side = forms.ChoiceField(label=_("Side"), choices=ParticipantSide.choices)
    city = CitySlugField(label=_("City"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name"), required=False
    )
    official = forms.ModelChoiceField(
        label=_("Official (from the city's profile)"),
        queryset=Official.objects.none(),
        required=False,
        help_text=_("Leave empty to invite someone by e-mail."),
    )
    delegation = forms.ModelChoiceField(
        label=_("Delegation"), queryset=Delegation.objects.none(), required=False
    )
    name = forms.CharField(
        label=_("Name"), max_length=200, required=False, validators=[validate_single_line]
    )
    role = forms.CharField(
        label=_("Role"), max_length=200, required=False, validators=[validate_single_line]
    )
    email = forms.EmailField(label=_("E-mail (for the invitation)"), required=False)
    languages = forms.CharField(
        label=_("Languages"), required=False, help_text=_("ISO codes, comma-separated: en, pt")
    )
    max_meetings = forms.IntegerField(
        label=_("Most bilateral meetings"), min_value=0, max_value=100, required=False
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["delegation"].queryset = programme.delegations.all()
        self.fields["official"].queryset = Official.objects.filter(
            city__in=public_cities()
        ).select_related("city")
        self.fields["official"].widget = forms.NumberInput()
        self.fields["official"].help_text = _(
            "The official's number from the city profile; leave empty to invite by e-mail."
        )

    def clean_languages(self):
        codes = [c.strip().lower() for c in self.cleaned_data["languages"].split(",") if c.strip()]
        bad = [c for c in codes if not (len(c) == 2 and c.isalpha())]
        if bad:
            raise forms.ValidationError(
                _("Use two-letter codes: %(bad)s") % {"bad": ", ".join(bad)}
            )
        return codes

    def clean(self):
        data = super().clean()
        official, city = data.get("official"), data.get("city")
        if official and city and official.city_id != city.pk:
            self.add_error(
                "official", _("This official works for %(city)s.") % {"city": official.city.name}
            )
        if not official and not data.get("email") and not data.get("name"):
            self.add_error(
                "email", _("Choose an official, or give a name and an e-mail to invite.")
            )
        if not (official or city or data.get("organisation")):
            self.add_error("city", _("A participant represents a city or an organisation."))
        return data


class AgendaItemForm(forms.ModelForm):
    host_city = CitySlugField(label=_("Host city"), required=False)

    class Meta:
        model = AgendaItem
        fields = [
            "kind",
            "title",
            "start",
            "end",
            "place",
            "host_organisation",
            "description",
            "themes",
            "for_everyone",
            "attendees",
        ]
        widgets = {
            "start": DATETIME,
            "end": DATETIME,
            "attendees": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = programme.participants.select_related(
            "city", "organisation"
        )
        self.fields["attendees"].required = False
        self.fields["themes"].required = False
        # An item's host institution is one of the programme's hosts; it is shown once the
        # organisation confirmed hosting (selectors.agenda_for).
        self.fields["host_organisation"].queryset = Organisation.objects.filter(
            programme_host_links__programme=programme
        ).order_by("name")
        if self.instance.pk and self.instance.host_city_id:
            self.initial["host_city"] = self.instance.host_city.slug
        for name in ("start", "end"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("An agenda item must end after it starts."))
        return data


class MeetingSlotsForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DATE)
    first_start = forms.TimeField(label=_("From"), widget=TIME)
    last_end = forms.TimeField(label=_("Until"), widget=TIME)
    minutes = forms.IntegerField(
        label=_("Minutes per meeting"), min_value=5, max_value=240, initial=30
    )
    room = forms.CharField(
        label=_("Room"),
        max_length=120,
        initial=_("Meeting hall"),
        validators=[validate_single_line],
    )
    tables = forms.IntegerField(label=_("Parallel tables"), min_value=0, max_value=500, initial=6)


class WishForm(forms.Form):
    participant = forms.ModelChoiceField(
        label=_("Visiting participant"), queryset=Participant.objects.none()
    )
    host = forms.ModelChoiceField(label=_("Host"), queryset=Participant.objects.none())
    weight = forms.TypedChoiceField(
        label=_("Importance"),
        coerce=int,
        choices=[(1, _("Nice to have")), (2, _("Important")), (3, _("Essential"))],
        initial=2,
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        people = programme.participants.active().select_related("city", "organisation")
        # All of the programme's participants are offered; the service says if a side is wrong.
        self.fields["participant"].queryset = people
        self.fields["host"].queryset = people


class MeetingCreateForm(WishForm):
    slot = forms.ModelChoiceField(label=_("Slot"), queryset=MeetingSlot.objects.none())

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, programme=programme, **kwargs)
        del self.fields["weight"]
        self.fields["slot"].queryset = programme.meeting_slots.all()


class MeetingMoveForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("Move to"), queryset=MeetingSlot.objects.none())

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = programme.meeting_slots.all()


class OwnWishForm(forms.Form):
    """A participant's own wish, on their private page: whom to meet and how much."""

    other = forms.ModelChoiceField(label=_("Meet"), queryset=Participant.objects.none())
    weight = WishForm.base_fields["weight"]

    def __init__(self, *args, participant: Participant, **kwargs):
        super().__init__(*args, **kwargs)
        others = participant.programme.participants.active().select_related("city", "organisation")
        self.fields["other"].queryset = others.visitors() if participant.is_host else others.hosts()


class AvailabilityForm(forms.Form):
    unavailable = forms.ModelMultipleChoiceField(
        label=_("I cannot attend these meeting slots"),
        queryset=MeetingSlot.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    max_meetings = forms.IntegerField(
        label=_("Most bilateral meetings"), min_value=0, max_value=100, required=False
    )

    def __init__(self, *args, participant: Participant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unavailable"].queryset = participant.programme.meeting_slots.all()


class HostInviteForm(forms.Form):
    city = CitySlugField(label=_("City"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False
    )
    name = forms.CharField(label=_("Name or role"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("city") and not data.get("organisation"):
            raise forms.ValidationError(_("Choose a city or an organisation to invite."))
        return data


class OrganiserGrantForm(forms.Form):
    account = forms.CharField(
        label=_("User name or e-mail address"),
        max_length=254,
        help_text=_("The person needs an account on the portal."),
    )

    def clean_account(self):
        from .services import find_account

        user = find_account(self.cleaned_data["account"])
        if user is None:
            raise forms.ValidationError(
                _("No account with this user name or e-mail address (or more than one).")
            )
        return user
