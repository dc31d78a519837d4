"""The seed_component_templates command: a thin wrapper around services.templates_seed."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rehabilitation.services import TEMPLATES_FILE, templates_seed


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Load the rehabilitation component templates (Bihar's, shipped with CLTS, unless a file is given). "
            "Idempotent: templates are matched by code; existing ones keep the admin's edits unless --update."
        )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=TEMPLATES_FILE, help=_("A JSON file in the shipped layout."))
        parser.add_argument("--update", action="store_true", help=_("Overwrite existing templates from the file."))

    def handle(self, *args, **options):
        try:
            created, updated = templates_seed(path=options["file"], update=options["update"])
        except (OSError, ValueError, KeyError, ValidationError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Component templates: %(created)s added, %(updated)s updated.")
                % {"created": created, "updated": updated}
            )
        )
