"""``manage.py load_demo``: the GeoNames cities and the sample content (``make run`` calls it).

Each step is an idempotent callable ``load(*, stdout)``; the order matters (climate needs the
cities, suggestions need the sample profiles). Every area that has demo data adds its step.
"""

import time

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

DEMO_STEPS = [
    "cities.demo.import_all_cities",
    "cities.climate.services.demo_load",
    "cities.demo.load_sample_profiles",
    "partnerships.demo.load",
    "partnerships.matching.services.demo_load",
    "partnerships.programmes.demo.load",
    "citydiplomacy.demo_accounts.load",
]


class Command(BaseCommand):
    help = (
        "Load the demo: import all GeoNames cities, then sample profiles, organisations and "
        "the other areas' sample data. Idempotent: re-running changes nothing."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        for path in DEMO_STEPS:
            step_started = time.monotonic()
            import_string(path)(stdout=self.stdout)
            self.stdout.write(f"  ({path}: {time.monotonic() - step_started:.1f} s)")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded ({time.monotonic() - started:.1f} s).")
        )
