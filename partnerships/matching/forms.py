"""The matches page's GET form: component weights (range sliders) and candidate filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cities.choices import Continent
from cities.filters import country_choices

from . import core

WEIGHT_LABELS = {
    "shared": _("Shared challenges"),
    "expertise": _("Expertise fit"),
    "climate": _("Climate"),
    "context": _("Context (size, languages, openness)"),
}
TOP_CHOICES = [(10, "10"), (20, "20"), (50, "50")]


class MatchQueryForm(forms.Form):
    """Weights are 0–100 sliders (normalised to sum 1 by the core); filters restrict candidates.

    The form is always bound (to ``request.GET`` or to the defaults), so the page renders the
    defaults on a first visit and the user's choices afterwards. ``applied`` tells a submitted
    form from a first visit, because an unticked checkbox sends nothing.
    """

    shared = forms.FloatField(label=WEIGHT_LABELS["shared"], min_value=0, max_value=100)
    expertise = forms.FloatField(label=WEIGHT_LABELS["expertise"], min_value=0, max_value=100)
    climate = forms.FloatField(label=WEIGHT_LABELS["climate"], min_value=0, max_value=100)
    context = forms.FloatField(label=WEIGHT_LABELS["context"], min_value=0, max_value=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    continent = forms.ChoiceField(
        label=_("World region"),
        required=False,
        choices=[("", _("Anywhere"))] + list(Continent.choices),
    )
    open_only = forms.BooleanField(label=_("Only cities open to partnerships"), required=False)
    exclude_partners = forms.BooleanField(label=_("Hide existing partners"), required=False)
    top = forms.TypedChoiceField(
        label=_("Show"), choices=TOP_CHOICES, coerce=int, required=False, empty_value=10
    )
    applied = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, **kwargs):
        if not data or "applied" not in data:
            defaults = {name: round(w * 100) for name, w in core.DEFAULT_WEIGHTS.items()}
            data = {**defaults, "exclude_partners": "on", "top": "10", **(data or {})}
            data["applied"] = "1"
        super().__init__(data, **kwargs)
        self.fields["country"].choices = [("", _("Any country")), *country_choices()]
        for name in core.COMPONENTS:
            self.fields[name].widget = forms.NumberInput(
                attrs={"type": "range", "min": 0, "max": 100, "step": 1}
            )

    def clean(self):
        cleaned = super().clean()
        if all(name in cleaned for name in core.COMPONENTS):
            weights = {name: cleaned[name] for name in core.COMPONENTS}
            if sum(weights.values()) <= 0:
                raise forms.ValidationError(
                    _("At least one weight must be above zero."), code="all_zero"
                )
            cleaned["weights"] = core.normalise_weights(weights)
        return cleaned

    def weight_fields(self):
        return [self[name] for name in core.COMPONENTS]
