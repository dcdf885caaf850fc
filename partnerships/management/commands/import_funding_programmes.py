"""Load or update funding programmes from a data file:
``import_funding_programmes partnerships/funding/data/programmes.json``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnerships.funding import services


class Command(BaseCommand):
    help = (
        "Create or update funding programmes (by slug) from a JSON file; all entries are "
        "validated first and nothing is written if one is refused (docs/funding.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", type=Path, help="e.g. partnerships/funding/data/programmes.json"
        )

    def handle(self, *args, **options):
        try:
            result = services.funding_programmes_import(path=options["file"])
        except services.ImportRefused as exc:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"- {p}" for p in exc.problems)
            ) from None
        self.stdout.write(
            f"{len(result.created)} created, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged."
        )
        for slug in result.created:
            self.stdout.write(f"  + {slug}")
        for slug in result.updated:
            self.stdout.write(f"  ~ {slug}")
