"""The load_lgd management command: a thin wrapper around clts.geo.loaders."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from clts.geo.loaders import LEVEL_NAMES, LEVELS, SHIPPED_FILES, LoadError, load


class Command(BaseCommand):
    @property
    def help(self):
        # A property, so the text is translated when the parser is built rather than at import.
        return _(
            "Load states, districts, blocks, panchayats and villages from Local Government Directory (LGD) CSV "
            "downloads. With no file given, load the states, Bihar districts and Bihar blocks shipped with CLTS. "
            "Idempotent: places are matched by LGD code, else by parent and English name; the load is all or nothing."
        )

    def add_arguments(self, parser):
        for level in LEVELS:
            parser.add_argument(
                f"--{level}",
                type=Path,
                metavar="FILE",
                help=_("LGD CSV download of %(level)s.") % {"level": str(LEVEL_NAMES[level]).lower()},
            )
        parser.add_argument(
            "--state",
            type=int,
            metavar="LGD_CODE",
            help=_("Load only the rows of this state (its LGD code, such as 10 for Bihar), for all-India files."),
        )

    def handle(self, *args, **options):
        files = {level: options[level] for level in LEVELS if options[level]} or dict(SHIPPED_FILES)
        try:
            results = load(files, state_code=options["state"])
        except LoadError as error:
            raise CommandError(str(error)) from error
        for result in results:
            self.stdout.write(result.summary())
        self.stdout.write(self.style.SUCCESS(_("LGD load complete.")))
