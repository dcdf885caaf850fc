"""Name search on PostgreSQL: the unaccent and pg_trgm extensions and a trigram index.

``search_names`` holds folded keys ("dusseldorf|duesseldorf"), so a trigram GIN index on it
serves both substring (``LIKE '%…%'``) and fuzzy (``%>``) matches. Other databases (SQLite, the
embedded default) skip all of this and search with a plain ``LIKE`` over the same keys.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

TRIGRAM_INDEX = "cities_city_search_names_trgm"
NAME_INDEX = "cities_city_name_country_idx"
POPULATION_INDEX = "cities_city_population_nulls_last_idx"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} "
            "ON cities_city USING gin (search_names gin_trgm_ops)"
        )
        # "Largest first", the directory's default order, walks this index instead of sorting
        # every row (SQLite cannot index NULLS LAST; it sorts, which is fine at its sizes).
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {POPULATION_INDEX} "
            "ON cities_city (population DESC NULLS LAST, name, id)"
        )
    # Sorting by name walks this one.
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME_INDEX} ON cities_city (name, country)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {POPULATION_INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cities", "0002_seed_themes"),
    ]

    operations = [
        # Both operations do nothing on databases other than PostgreSQL.
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
