"""Which funding programmes a pair of cities could apply to, and why:
``funding_eligibility kassel kafue [--json]`` (a city is a slug or a GeoNames id)."""

import json

from django.core.management.base import BaseCommand, CommandError

from partnerships.funding import selectors
from partnerships.management.commands.suggest_partners import resolve_city


class Command(BaseCommand):
    help = (
        "For every funding programme: may the two cities apply together (true, false, or "
        "null for unknown), with the reasons."
    )

    def add_arguments(self, parser):
        parser.add_argument("city_a", metavar="CITY_A", help="slug or GeoNames id")
        parser.add_argument("city_b", metavar="CITY_B", help="slug or GeoNames id")
        parser.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args, **options):
        city_a = resolve_city(options["city_a"])
        city_b = resolve_city(options["city_b"])
        if city_a.pk == city_b.pk:
            raise CommandError("Give two different cities.")
        answers = selectors.pair_eligibility(city_a, city_b)
        if options["json"]:
            rows = [
                {
                    "name": a.name,
                    "slug": a.slug,
                    "eligible": a.eligible,
                    "reasons": list(a.reasons),
                    "needs_more_partners": a.needs_more_partners,
                    "deadline_passed": a.deadline_passed,
                    "not_checked_recently": a.not_checked_recently,
                }
                for a in answers
            ]
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        if not answers:
            self.stdout.write("No funding programmes are recorded (see import_funding_programmes).")
            return
        words = {True: "eligible", False: "not eligible", None: "unknown"}
        self.stdout.write(
            f"{city_a.name} ({city_a.country.code}) and {city_b.name} ({city_b.country.code})"
        )
        for answer in answers:
            extra = " (with further partners)" if answer.needs_more_partners else ""
            self.stdout.write(f"\n{answer.name} [{answer.slug}]: {words[answer.eligible]}{extra}")
            for reason in answer.reasons:
                self.stdout.write(f"  - {reason}")
