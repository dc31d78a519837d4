"""Build monthly PDF reports now, in this process (what the 1st-of-month Celery job does, for a month by hand)."""

import resource
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from clts.reports import monthly
from clts.reports.queries import report_district


class Command(BaseCommand):
    help = "Build the monthly reports of a month (default: the last one); --state-only or --district for one scope."
    # No system checks before a build: they cost more CPU than Django's own start (2.2 s against 2.4 s at start-up,
    # 12 s of wall time on this shared machine at load 11), and the web and Celery processes check the project.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: last month)")
        parser.add_argument("--state-only", action="store_true", help="Only the state's report.")
        parser.add_argument("--district", type=int, help="Only this district's report (its id).")
        parser.add_argument("--language", choices=monthly.LANGUAGES, help="Only this language.")
        parser.add_argument("--force", action="store_true", help="Build again a report that is ready.")

    def handle(self, *args, **options):
        try:
            month = date.fromisoformat(options["month"] + "-01") if options["month"] else monthly.previous_month()
        except ValueError as error:
            raise CommandError("--month is YYYY-MM") from error
        languages = [options["language"]] if options["language"] else list(monthly.LANGUAGES)
        if options["state_only"] or options["district"]:
            district = report_district(options["district"]) if options["district"] else None
            if options["district"] and district is None:
                raise CommandError("No such district of the state.")
            ids = [monthly.report_file_ensure(district=district, month=month, language=lang).pk for lang in languages]
        else:
            ids = monthly.monthly_reports_ensure(month=month)
        for report_id in ids:
            started = time.perf_counter()
            result = monthly.monthly_report_build(report_id=report_id, force=options["force"])
            seconds = time.perf_counter() - started
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            self.stdout.write(f"report {report_id}: {result} in {seconds:.2f} s (peak {peak_mb:.0f} MB)")
