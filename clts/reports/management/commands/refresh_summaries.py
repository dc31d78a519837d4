"""Rebuild every summary table behind the figures now, instead of waiting for Celery beat (demo data, after imports)."""

from django.core.management.base import BaseCommand

from clts.reports.services import case_summary_refresh, facts_refresh
from rehabilitation.services import figures_refresh
from schemes.services import eligibility_summary_refresh
from trackchild_sync import compliance


class Command(BaseCommand):
    help = (
        "Rebuild the case summary, the rehabilitation and scheme eligibility figures, the dashboards' figures and the "
        "upload compliance figures."
    )

    def handle(self, *args, **options):
        cases = case_summary_refresh()
        figures = figures_refresh()
        eligibility = eligibility_summary_refresh()
        facts = facts_refresh()
        uploads = compliance.figures_refresh()
        self.stdout.write(
            f"summaries rebuilt: {cases} case rows, {figures} figure rows, {eligibility} eligibility rows, "
            f"dashboard rows {facts}, upload compliance rows {uploads}"
        )
