import django.utils.timezone
from django.db import migrations, models


def from_computed_at(apps, schema_editor):
    """Rows stored before this field existed count as suggested when they were computed: not
    "new" to anyone after the upgrade."""
    MatchSuggestion = apps.get_model("partnerships", "MatchSuggestion")
    MatchSuggestion.objects.update(first_suggested_at=models.F("computed_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0009_partnership_registry_order_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="matchsuggestion",
            name="first_suggested_at",
            field=models.DateTimeField(null=True, verbose_name="first suggested at"),
        ),
        migrations.RunPython(from_computed_at, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="matchsuggestion",
            name="first_suggested_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="first suggested at"
            ),
        ),
    ]
