"""``manage.py import_partnerships``: the world's twinnings from Wikidata into the registry."""

from django.core.management.base import BaseCommand, CommandError

from cities.importers.wikidata import DATA_FILE, LinksFileError, read_links
from cities.importers.wikidata_load import city_wikidata_ids_assign
from partnerships.imports import partnerships_import


class Command(BaseCommand):
    help = (
        "Import the twinnings recorded in Wikidata (property P190, CC0) between directory "
        "cities, from the derived file cities/data/wikidata_links.json. Idempotent: a re-run "
        "updates, never duplicates, never changes what a city or curator confirmed, corrected "
        "or rejected, and flags pairs gone from the source instead of deleting them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            default=str(DATA_FILE),
            help="The derived links file (default: the one committed with the portal).",
        )

    def handle(self, *args, **options):
        try:
            links = read_links(options["file"])
        except LinksFileError as exc:
            raise CommandError(str(exc)) from None
        ids = city_wikidata_ids_assign(links=links)
        self.stdout.write(
            f"Wikidata ids: {ids.assigned} assigned, {ids.unchanged} unchanged, "
            f"{ids.kept_different} kept (a different id was set by hand), "
            f"{ids.not_in_directory} cities of the file not in the directory."
        )
        result = partnerships_import(links=links)
        self.stdout.write(self.style.SUCCESS(result.summary()))
