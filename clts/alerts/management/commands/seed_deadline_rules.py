"""The seed_deadline_rules command: a thin wrapper around services.rules_seed."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from clts.alerts.services import RULES_FILE, rules_seed


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Load the deadline rules shipped with CLTS (or a file in the same layout). Idempotent: rules are "
            "matched by code; existing ones keep the administrator's edits unless --update."
        )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=RULES_FILE, help=_("A JSON file in the shipped layout."))
        parser.add_argument("--update", action="store_true", help=_("Overwrite existing rules from the file."))

    def handle(self, *args, **options):
        try:
            created, updated = rules_seed(path=options["file"], update=options["update"])
        except (OSError, ValueError, KeyError, ValidationError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Deadline rules: %(created)s added, %(updated)s updated.") % {"created": created, "updated": updated}
            )
        )
