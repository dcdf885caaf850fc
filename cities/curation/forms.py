from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ImportKind


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file contains"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8) or Excel .xlsx, at most 10 MB, columns as in the export."),
    )


class UpdateRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the city's staff"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
