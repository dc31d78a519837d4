"""Rebuild every summary table behind the figures now, instead of waiting for Celery beat (demo data, after imports)."""

from django.core.management.base import BaseCommand

from clts.reports.services import case_summary_refresh
from rehabilitation.services import figures_refresh
from schemes.services import eligibility_summary_refresh


class Command(BaseCommand):
    help = "Rebuild the case summary, the rehabilitation figures and the scheme eligibility summary."

    def handle(self, *args, **options):
        cases = case_summary_refresh()
        figures = figures_refresh()
        eligibility = eligibility_summary_refresh()
        self.stdout.write(
            f"summaries rebuilt: {cases} case rows, {figures} figure rows, {eligibility} eligibility rows"
        )
