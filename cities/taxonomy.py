"""The theme taxonomy in the user's language: names, sorted choices and words in sentences.

Theme names and descriptions have a translation per language (django-modeltranslation, see
``cities/translation.py``); ``theme.name`` is the active language's, English when that one is
empty. This module adds what every list and sentence of themes needs:

- choices sorted by their names in the active language (parents, each followed by its
  narrower themes), for filters and forms (:class:`ThemeChoiceField`,
  :class:`ThemeMultipleChoiceField`);
- ``theme_names()``, every theme's name in one language, kept per process for sentences
  built from stored data (match reasons) without a query per page;
- ``in_sentence()``, a name as it reads inside a sentence ("Both work on heat", but German
  keeps its nouns capitalised: "Beide arbeiten an Hitze").
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from django import forms
from django.conf import settings
from django.utils.translation import get_language, override

from .text import fold

# Languages whose nouns keep their capital letter inside a sentence.
CAPITALISED_NOUNS = frozenset({"de"})


def content_language(language: str | None = None) -> str:
    """The base code ("de" for "de-at") of ``language`` or the active language, if the site
    offers it; else the default language."""
    code = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    offered = {code for code, _name in settings.LANGUAGES}
    return code if code in offered else settings.LANGUAGE_CODE


def translated_columns(field: str) -> list[str]:
    """``field`` in every language's column: ``["name_en", "name_de", …]``; for lookups through
    a relation, ``"theme__name"`` gives ``["theme__name_en", …]``."""
    return [f"{field}_{code}" for code, _name in settings.LANGUAGES]


def collation_key(text: str) -> tuple[str, str]:
    """Sorts names as readers expect: accents and case do not move a name ("Énergie" between
    "Eau" and "Gesundheit"), ties broken by the exact text."""
    return (fold(text), text.casefold())


def sorted_themes(themes: Iterable) -> list:
    """``themes`` with each top-level theme followed by its narrower ones, both levels sorted by
    their names in the active language. A narrower theme whose parent is not among ``themes``
    sorts with the top level."""
    themes = list(themes)
    present = {theme.pk for theme in themes}
    children: dict[int, list] = {}
    top = []
    for theme in themes:
        if theme.parent_id is not None and theme.parent_id in present:
            children.setdefault(theme.parent_id, []).append(theme)
        else:
            top.append(theme)
    ordered = []
    for theme in sorted(top, key=lambda t: collation_key(t.name)):
        ordered.append(theme)
        ordered.extend(sorted(children.get(theme.pk, ()), key=lambda t: collation_key(t.name)))
    return ordered


def in_sentence(name: str, language: str | None = None) -> str:
    """A taxonomy name as it reads inside a sentence: its first letter lower-cased, except in
    languages that capitalise nouns and for an acronym ("SDG …")."""
    if not name or content_language(language) in CAPITALISED_NOUNS:
        return name
    if len(name) > 1 and name[1].isupper():
        return name
    return name[0].lower() + name[1:]


# --- names for sentences built from stored data -------------------------------------------

_names_lock = threading.Lock()
_names: dict[str, tuple[float, dict[int, str]]] = {}


def names_trusted_seconds() -> float:
    """How long another process may show a theme name after a curator corrected it (the
    process that saved it forgets its names at once): as long as cached page fragments."""
    return float(getattr(settings, "THEME_NAMES_CACHE_SECONDS", 60))


def theme_names(language: str | None = None) -> dict[int, str]:
    """Every theme's name in ``language`` (default: the active one), English where the
    translation is empty, by id. One query, then kept per process (see
    :func:`names_trusted_seconds`)."""
    from .models import Theme

    language = content_language(language)
    now = time.monotonic()
    with _names_lock:
        found = _names.get(language)
    if found is not None and now - found[0] < names_trusted_seconds():
        return found[1]
    with override(language):
        names = dict(Theme.objects.values_list("pk", "name"))
    with _names_lock:
        _names[language] = (now, names)
    return names


def forget_theme_names(**_signal_kwargs) -> None:
    """Drop the names kept by :func:`theme_names` (a theme was saved or deleted; tests)."""
    with _names_lock:
        _names.clear()


# --- form fields ----------------------------------------------------------------------------


class ThemeChoiceIterator(forms.models.ModelChoiceIterator):
    """The themes in :func:`sorted_themes` order, read with one plain query (the default
    ``.iterator()`` opens a server-side cursor on PostgreSQL: three round trips)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for theme in sorted_themes(self.queryset.select_related("parent")):
            yield self.choice(theme)


class ThemeChoiceField(forms.ModelChoiceField):
    """One theme, from a list sorted in the active language; narrower themes indented under
    their parent ("– Heat" below "Climate adaptation"), or with ``with_parent`` named with it
    ("Climate adaptation › Heat")."""

    iterator = ThemeChoiceIterator

    def __init__(self, *args, with_parent: bool = False, **kwargs):
        self.with_parent = with_parent
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj) -> str:
        if self.with_parent:
            return str(obj)
        return f"– {obj.name}" if obj.parent_id else obj.name


class ThemeMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several themes, sorted in the active language, each named with its parent
    ("Climate adaptation › Heat")."""

    iterator = ThemeChoiceIterator
