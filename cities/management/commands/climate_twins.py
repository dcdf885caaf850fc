"""Print the climate twins of cities for a global warming level or an emissions scenario."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cities.climate import core, selectors, twins
from cities.models import City


def find_city(value: str) -> City:
    """A city by slug or GeoNames id; CommandError naming the value otherwise."""
    city = None
    if value.isdigit():
        city = City.objects.filter(geonames_id=int(value)).first()
    if city is None:
        city = City.objects.filter(slug=value).first()
    if city is None:
        raise CommandError(f"Unknown city {value!r}: give a slug or a GeoNames id.")
    return city


def read_geonames_ids(path: str) -> list[int]:
    """GeoNames ids, one per line; blank lines and lines starting with # are skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path} is not a UTF-8 text file.") from exc
    ids = []
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.strip()
        if not value or value.startswith("#"):
            continue
        if not value.isdigit():
            raise CommandError(
                f"{path}, line {number}: {value!r} is not a GeoNames id (a whole number)."
            )
        ids.append(int(value))
    if not ids:
        raise CommandError(f"{path} lists no GeoNames ids.")
    return ids


class Command(BaseCommand):
    help = (
        "For each CITY (slug or GeoNames id): cities whose climate today resembles its climate "
        "at the chosen global warming level or scenario, and cities whose future climate "
        "resembles its climate today."
    )

    def add_arguments(self, parser):
        parser.add_argument("cities", nargs="+", metavar="CITY")
        parser.add_argument(
            "--warming",
            default=core.DEFAULT_WARMING_KEY,
            help="A global warming level in °C above 1850–1900 or an emissions scenario; one "
            "of " + ", ".join(core.WARMING_LEVELS) + f" (default {core.DEFAULT_WARMING_KEY}).",
        )
        parser.add_argument("--top", type=int, default=10)
        parser.add_argument("--min-population", type=int, default=None)
        parser.add_argument(
            "--among-file", default=None, help="Only candidates whose GeoNames id is listed."
        )
        parser.add_argument("--json", action="store_true", help="Machine-readable output.")

    def handle(self, *args, **options):
        try:
            scenario = core.scenario_for(options["warming"])
        except core.UnknownWarmingLevel as exc:
            raise CommandError(str(exc)) from exc
        if options["top"] < 1:
            raise CommandError("--top must be at least 1.")
        if options["min_population"] is not None and options["min_population"] < 0:
            raise CommandError("--min-population must not be negative.")
        among = read_geonames_ids(options["among_file"]) if options["among_file"] else None
        queries = [find_city(value) for value in options["cities"]]

        results = []
        for city in queries:
            entry = {
                "city": city.name,
                "slug": city.slug,
                "country": city.country.code,
                "geonames_id": city.geonames_id,
                "warming": scenario.key,
                "global_warming_c": scenario.global_warming_c,
                "scenario": scenario.label,
                "region": selectors.city_climate_region(city),
                "good_twin_max_distance": core.GOOD_TWIN_MAX_DISTANCE,
                "has_climate": selectors.city_climate_or_none(city) is not None,
            }
            for direction, key in ((twins.FUTURE, "future_twins"), (twins.PAST, "past_twins")):
                entry[key] = selectors.city_climate_twins_data(
                    city,
                    scenario=scenario,
                    direction=direction,
                    top=options["top"],
                    min_population=options["min_population"],
                    among_geonames_ids=among,
                )
            results.append(entry)

        if options["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
            return
        for entry in results:
            self.stdout.write(f"{entry['city']} ({entry['country']}) — {entry['scenario']}")
            if not entry["has_climate"]:
                self.stdout.write("  No climate data (no coordinates, or out of reach).")
                continue
            region = entry["region"]
            self.stdout.write(f"  IPCC AR6 region: {region['name']} ({region['code']})")
            for key, title in (
                ("future_twins", "Cities whose climate today is its future"),
                ("past_twins", "Cities whose future is its climate today"),
            ):
                self.stdout.write(f"  {title}:")
                if not entry[key]:
                    self.stdout.write("    none among the candidates")
                for twin in entry[key]:
                    flag = "" if twin["good_twin"] else "  (no good twin today)"
                    self.stdout.write(
                        f"    {twin['rank']:>3}. {twin['name']} ({twin['country']}) "
                        f"distance {twin['distance']:.3f} "
                        f"(models {twin['distance_low']:.3f}–{twin['distance_high']:.3f}){flag}"
                    )
                    for reason in twin["reasons"]:
                        self.stdout.write(f"         {reason}")
