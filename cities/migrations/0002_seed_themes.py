"""Seed the curated two-level theme taxonomy. Re-running updates names and SDGs by slug."""

from django.db import migrations

# (slug, name, SDGs, [(child slug, child name, SDGs), …])
THEMES = [
    (
        "municipal-finance",
        "Municipal finance and funding",
        [11, 16, 17],
        [
            ("own-revenue", "Own-source revenue and taxation", [11, 16, 17]),
            ("access-to-funding", "Access to funding and grants", [11, 17]),
        ],
    ),
    (
        "urban-development",
        "Urban development and planning",
        [11],
        [
            ("informal-settlements", "Informal settlements upgrading", [1, 6, 11]),
            ("land-use-planning", "Land-use and spatial planning", [11, 15]),
            ("inner-city-regeneration", "Inner-city regeneration", [8, 11]),
        ],
    ),
    (
        "climate-adaptation",
        "Climate adaptation",
        [11, 13],
        [
            ("urban-heat", "Heat", [3, 11, 13]),
            ("flooding", "Flooding", [11, 13]),
            ("drought", "Drought", [2, 6, 13]),
            ("water-scarcity", "Water scarcity", [6, 13]),
        ],
    ),
    (
        "climate-mitigation",
        "Climate mitigation and energy",
        [7, 13],
        [
            ("renewable-energy", "Renewable energy", [7, 13]),
            ("energy-efficiency", "Energy efficiency in buildings", [7, 11, 13]),
        ],
    ),
    ("water-sanitation", "Water and sanitation", [6], []),
    ("waste-circular-economy", "Waste and circular economy", [11, 12], []),
    (
        "mobility",
        "Mobility and transport",
        [9, 11],
        [
            ("public-transport", "Public transport", [11]),
            ("active-mobility", "Walking and cycling", [3, 11]),
        ],
    ),
    ("housing", "Housing", [1, 11], []),
    (
        "economic-development",
        "Local economic development and structural change",
        [8, 9],
        [
            ("structural-change", "Structural change (post-industrial transition)", [8, 9, 11]),
            ("informal-economy", "Informal economy and small enterprises", [1, 8]),
        ],
    ),
    ("digital-administration", "Digital administration and smart city", [9, 16], []),
    ("governance-participation", "Good governance and citizen participation", [16], []),
    ("migration-integration", "Migration and integration", [10, 16], []),
    ("health", "Health", [3], []),
    ("education-youth", "Education and youth", [4, 8], []),
    ("culture-heritage", "Culture and heritage", [11], []),
    ("disaster-risk-reduction", "Disaster risk reduction", [1, 11, 13], []),
    ("biodiversity-green-space", "Biodiversity and green space", [11, 15], []),
    ("food-security", "Food security", [2, 12], []),
    ("gender-equality", "Gender equality", [5, 10], []),
    ("peace-reconciliation", "Peace and reconciliation", [16], []),
]


def seed(apps, schema_editor):
    Theme = apps.get_model("cities", "Theme")
    position = 0
    for slug, name, sdgs, children in THEMES:
        position += 10
        parent, _ = Theme.objects.update_or_create(
            slug=slug, defaults={"name": name, "sdgs": sdgs, "position": position, "parent": None}
        )
        for child_slug, child_name, child_sdgs in children:
            position += 1
            Theme.objects.update_or_create(
                slug=child_slug,
                defaults={
                    "name": child_name,
                    "sdgs": child_sdgs,
                    "position": position,
                    "parent": parent,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("cities", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
