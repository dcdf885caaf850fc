"""``manage.py load_demo``: the GeoNames cities and every area's sample content (``make run``
calls it).

The project, above both apps, runs each app's demo steps in order: climate needs the cities,
suggestions need the sample profiles and partnerships, the programme needs the cities. Each
step is an idempotent callable ``load(*, stdout)``.
"""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

import cities.climate.services
import cities.demo
import partnerships.demo
import partnerships.matching.services
import partnerships.programmes.demo


def load_funding_programmes(*, stdout) -> None:
    """The curated funding programmes from their committed data file (idempotent)."""
    data_file = settings.BASE_DIR / "partnerships" / "funding" / "data" / "programmes.json"
    call_command("import_funding_programmes", str(data_file), stdout=stdout)


DEMO_STEPS = [
    cities.demo.import_all_cities,
    cities.climate.services.demo_load,
    cities.demo.load_sample_profiles,
    partnerships.demo.load,
    load_funding_programmes,
    partnerships.matching.services.demo_load,
    partnerships.programmes.demo.load,
]


class Command(BaseCommand):
    help = (
        "Load the demo: import all GeoNames cities, then sample profiles, organisations and "
        "the other areas' sample data. Idempotent: re-running changes nothing."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        for step in DEMO_STEPS:
            step_started = time.monotonic()
            step(stdout=self.stdout)
            name = f"{step.__module__}.{step.__qualname__}"
            self.stdout.write(f"  ({name}: {time.monotonic() - step_started:.1f} s)")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded ({time.monotonic() - started:.1f} s).")
        )
