"""Assign monthly climate normals and Köppen classes to cities from the committed dataset."""

import time

from django.core.management.base import BaseCommand

from cities.climate.services import climate_assign_missing


class Command(BaseCommand):
    help = (
        "Give every city with coordinates its ERA5 2000–2025 monthly normals and Köppen–Geiger "
        "class (only the ones missing or out of date, unless --all)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Reassign every city, not only missing ones."
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        result = climate_assign_missing(reassign_all=options["all"])
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{result.assigned} cities assigned, {result.removed} climates removed (no "
            f"coordinates), {len(result.not_covered)} cities out of reach of the dataset, "
            f"in {seconds:.1f} s."
        )
        if result.not_covered:
            self.stdout.write(
                "Out of reach (city ids): "
                + ", ".join(map(str, result.not_covered[:20]))
                + (" …" if len(result.not_covered) > 20 else "")
            )
