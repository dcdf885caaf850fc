"""Print suggested partners for one or more cities: ``suggest_partners dusseldorf 2950159``."""

import json

from django.core.management.base import BaseCommand, CommandError

from cities.models import City
from partnerships.matching import core, services


def resolve_city(token: str) -> City:
    """A city by slug or GeoNames id; CommandError naming the token when there is none."""
    city = City.objects.filter(slug=token).first()
    if city is None and token.isdigit():
        city = City.objects.filter(geonames_id=int(token)).first()
    if city is None:
        raise CommandError(f"Unknown city {token!r}: give a slug or a GeoNames id.")
    return city


class Command(BaseCommand):
    help = "Suggest partner cities, with scores, components and reasons."

    def add_arguments(self, parser):
        parser.add_argument("cities", nargs="+", metavar="CITY", help="slug or GeoNames id")
        parser.add_argument("--top", type=int, default=10, help="how many (default 10)")
        parser.add_argument(
            "--weights",
            default="",
            help="e.g. shared=2,expertise=1,climate=1,context=0.5 (normalised to sum 1)",
        )
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        parser.add_argument(
            "--include-partners",
            action="store_true",
            help="also suggest cities that are already partners",
        )

    def handle(self, *args, **options):
        if options["top"] < 1 or options["top"] > 500:
            raise CommandError("--top must be between 1 and 500.")
        try:
            weights = core.parse_weights(options["weights"]) if options["weights"] else None
        except core.WeightsError as exc:
            raise CommandError(str(exc)) from None
        cities = [resolve_city(token) for token in options["cities"]]
        output = []
        for city in cities:
            result = services.match_city(
                city,
                top=options["top"],
                weights=weights,
                exclude_partners=not options["include_partners"],
            )
            output.append((city, result))
        if options["json"]:
            self.stdout.write(json.dumps([self._as_json(c, r) for c, r in output], indent=2))
            return
        for city, result in output:
            self.stdout.write(
                f"{city.name} ({city.country.code}) — {len(result.suggestions)} suggestions"
            )
            for note in result.notes:
                self.stdout.write(f"  note: {note}")
            for s in result.suggestions:
                parts = " ".join(f"{k}={v:.2f}" for k, v in s.components.items())
                where = f"{s.city.name} ({s.city.country.code})"
                self.stdout.write(f"{s.rank:>3}. {where}  score {s.score:.3f}  [{parts}]")
                for reason in s.reasons:
                    self.stdout.write(f"       - {reason}")

    @staticmethod
    def _as_json(city, result) -> dict:
        def describe(c: City) -> dict:
            return {
                "slug": c.slug,
                "name": c.name,
                "country": c.country.code,
                "geonames_id": c.geonames_id,
            }

        return {
            "city": describe(city),
            "weights": result.weights,
            "notes": result.notes,
            "suggestions": [
                {
                    "rank": s.rank,
                    **describe(s.city),
                    "score": round(s.score, 6),
                    "components": {k: round(v, 6) for k, v in s.components.items()},
                    "reasons": s.reasons,
                    "notes": s.notes,
                }
                for s in result.suggestions
            ],
        }
