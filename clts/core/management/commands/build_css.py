"""Write static/build/clts.css: the Bootstrap rules the portal uses and our own (see clts/core/css.py)."""

from django.core.management.base import BaseCommand

from clts.core import css


class Command(BaseCommand):
    requires_system_checks = []  # the check that the stylesheet exists must not stop the command that writes it
    help = "Build static/build/clts.css: Bootstrap cut down to the classes the portal uses, then css/clts.css."

    def handle(self, *args, **options):
        path = css.build()
        if options["verbosity"]:
            self.stdout.write(f"{path}: {path.stat().st_size:,} bytes")
