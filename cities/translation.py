"""Content that has a translation per language (django-modeltranslation).

Each field listed here gets one column per language in ``settings.LANGUAGES`` (``name_en``,
``name_de``, …). Reading ``theme.name`` gives the active language's text, or the English one
when that translation is empty; querysets of the registered model rewrite ``name`` to the
active language's column the same way. The plain ``name`` column is left as it was and must
not be read directly (a lookup through another model, ``theme__name``, reads it): ask the
registered model (``Theme.objects…``, ``challenge.theme.name``) instead.

The translations are seeded from ``cities/data/theme_translations.json`` by the migration
``0009_theme_translations`` and corrected in the admin.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Theme


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("name", "description")
