"""Forms of the directory. Filter forms only validate what a visitor typed; they never write."""

from django import forms
from django.utils.translation import gettext_lazy as _

# Longer queries are refused with a message rather than searched: no city name comes close.
QUERY_MAX_LENGTH = 200


class DirectoryFilterForm(forms.Form):
    """The base form of :class:`cities.filters.CityFilterSet`: checks across fields."""

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_population"), cleaned.get("max_population")
        if low is not None and high is not None and low > high:
            self.add_error(
                "max_population",
                _("The maximum population must not be below the minimum population."),
            )
        return cleaned
