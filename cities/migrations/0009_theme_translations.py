"""Theme names and descriptions in every language (django-modeltranslation's columns), filled
from the committed translations in cities/data/theme_translations.json.

English comes from the text the themes had; a translation is filled only where it is still
empty, so running ``fill_translations`` again (tests re-seed after a flush) never overwrites a
curator's correction.
"""

import json
from pathlib import Path

from django.db import migrations, models

DATA = Path(__file__).resolve().parent.parent / "data" / "theme_translations.json"
FIELDS = ("name", "description")
LANGUAGES = ("de", "fr", "es", "pt")


def fill_translations(apps, schema_editor):
    Theme = apps.get_model("cities", "Theme")
    themes = json.loads(DATA.read_text(encoding="utf-8"))["themes"]
    for theme in Theme.objects.all():
        changed = []
        for field in FIELDS:
            english = f"{field}_en"
            # The plain column as loaded (vars(), not the attribute: on the live model the
            # attribute already means "the active language's text").
            original = vars(theme).get(field) or ""
            if not getattr(theme, english) and original:
                setattr(theme, english, original)
                changed.append(english)
            given = themes.get(theme.slug, {}).get(field, {})
            for language in LANGUAGES:
                column = f"{field}_{language}"
                if not getattr(theme, column) and given.get(language):
                    setattr(theme, column, given[language])
                    changed.append(column)
        if changed:
            theme.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [
        ("cities", "0008_notifications_and_invitation_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="theme",
            name="description_de",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="theme",
            name="description_en",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="theme",
            name="description_es",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="theme",
            name="description_fr",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="theme",
            name="description_pt",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="theme",
            name="name_de",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="theme",
            name="name_en",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="theme",
            name="name_es",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="theme",
            name="name_fr",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="theme",
            name="name_pt",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.RunPython(fill_translations, migrations.RunPython.noop),
    ]
