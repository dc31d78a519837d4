"""Load the departments and the scheme catalogue (schemes/catalogue.py); safe to run again."""

from django.core.management.base import BaseCommand

from schemes.catalogue import catalogue_seed


class Command(BaseCommand):
    help = "Create the departments and schemes that are missing; --update resets existing ones to the catalogue."

    def add_arguments(self, parser):
        parser.add_argument("--update", action="store_true", help="Overwrite the admin's edits with the catalogue.")

    def handle(self, *args, **options):
        counts = catalogue_seed(update=options["update"])
        self.stdout.write(
            "schemes: {departments} departments created, {schemes_created} schemes created, "
            "{schemes_updated} updated".format(**counts)
        )
