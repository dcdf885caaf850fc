"""Admin pieces that answer garbage with a form error or a 404, not a 500.

Autocomplete widgets: Django's ``AutocompleteSelect`` looks up the selected values to render
their labels with ``filter(pk__in=values)``; a value that is not a valid key ("abc" for an
integer id, or an id beyond the column's range) raises inside the template — a 500 for the
admin's add page with ``?city=abc`` (its initial data comes from the query string) and for
every re-rendered form with such a value. Here values that cannot be a key of the related
model are left out of that lookup, so the page renders and the form says "Select a valid
choice".

Every ModelAdmin and inline mixes in ``SafeAutocompleteMixin``; admins built on
django-simple-history's ``SimpleHistoryAdmin`` mix in ``SafeHistoryMixin`` too, whose history
pages looked the object up with the raw id from the URL (``…/abc/history/`` was a 500).
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import IntegerField
from django.http import Http404


class _KeysOnly:
    def _possible_keys(self, values) -> list[str]:
        remote = self.field.remote_field
        target = remote.model._meta.get_field(
            getattr(remote, "field_name", None) or remote.model._meta.pk.name
        )
        low, high = None, None
        if isinstance(target, IntegerField):
            connection = connections[self.db or "default"]
            low, high = connection.ops.integer_field_range(target.get_internal_type())
        kept = []
        for value in values:
            try:
                key = target.to_python(value)
            except (ValidationError, ValueError, TypeError):
                continue
            if low is not None and key is not None and not (low <= key <= high):
                continue
            kept.append(value)
        return kept

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, self._possible_keys(value), attr)


class SafeAutocompleteSelect(_KeysOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_KeysOnly, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """Use the widgets above for ``autocomplete_fields`` (ModelAdmin and inlines)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class SafeHistoryMixin:
    """For a ``SimpleHistoryAdmin``: a history page whose object or version id cannot be a key
    of the model (or of its history) is a 404."""

    @staticmethod
    def _key_or_404(model, value) -> None:
        try:
            model._meta.pk.to_python(unquote(value))
        except (ValidationError, ValueError, TypeError):
            raise Http404 from None

    def _history_model(self):
        return getattr(self.model, self.model._meta.simple_history_manager_attribute).model

    def history_view(self, request, object_id, extra_context=None):
        self._key_or_404(self.model, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._key_or_404(self.model, object_id)
        self._key_or_404(self._history_model(), version_id)
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )
