"""Recompute stored match suggestions: every city, or one with ``--city SLUG``."""

import time

from django.core.management.base import BaseCommand, CommandError

from cities.models import City
from partnerships.matching import services


class Command(BaseCommand):
    help = "Recompute the stored top-50 partner suggestions (the nightly task runs the same)."

    def add_arguments(self, parser):
        parser.add_argument("--city", metavar="SLUG", help="only this city")

    def handle(self, *args, **options):
        started = time.perf_counter()
        if options["city"]:
            city = City.objects.filter(slug=options["city"]).first()
            if city is None:
                raise CommandError(f"Unknown city {options['city']!r}.")
            rows = services.matches_refresh_city(city_id=city.pk)
            seconds = time.perf_counter() - started
            self.stdout.write(f"Stored {rows} suggestions for {city.name} in {seconds:.1f} s.")
            return
        stats = services.matches_recompute_all(stdout=self.stdout)
        self.stdout.write(
            f"Stored {stats.rows} suggestions for {stats.query_cities} cities in "
            f"{time.perf_counter() - started:.1f} s (scoring {stats.seconds_scoring:.1f} s, "
            f"reasons {stats.seconds_explaining:.1f} s, storing {stats.seconds_storing:.1f} s)."
        )
