"""Choose the matching engine's strong and shown thresholds from a labelled file, print the figures, store them.

    manage.py calibrate_match_thresholds links-2026.csv --by state.admin [--dry-run]

The file (rescue.labelled_set: the particulars typed at a registration and the earlier record's case number, or
"new") comes from the state's confirmed links. The thresholds are chosen on the whole file for the model in use
(clts.matching.calibration); the figures printed are cross-validated (chosen on one half, measured on the other).
They are stored on the model with who chose them, when and from which file, and the change is in the audit trail.
A set on which the goals are not met is not stored unless --accept-unmet is given.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clts.accounts.models import User
from clts.accounts.roles import Role
from clts.matching import calibration
from clts.matching.models import MatchModel
from rescue import match_records
from rescue.labelled_set import LabelledFileError, read

MIN_QUERIES = 100  # fewer labelled rows than this cannot say 1% of anything


class Command(BaseCommand):
    help = "Choose the matching thresholds from a labelled CSV file of confirmed links, print the figures, store them."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file: particulars typed and the earlier case number, or 'new'.")
        parser.add_argument("--by", required=True, help="Username of the state or admin user choosing them.")
        parser.add_argument("--dry-run", action="store_true", help="Print the figures; store nothing.")
        parser.add_argument("--accept-unmet", action="store_true", help="Store even if a goal is not met.")
        parser.add_argument("--false-strong", type=float, default=0.01, help="New children allowed a strong one.")
        parser.add_argument("--shown-recall", type=float, default=0.99, help="True candidates to be shown.")

    def handle(self, *args, path, by, dry_run=False, accept_unmet=False, false_strong=0.01, shown_recall=0.99, **o):
        user = User.objects.filter(username=by, is_active=True).first()
        if user is None or not (user.is_superuser or user.role in (Role.STATE, Role.ADMIN)):
            raise CommandError(f"{by!r} is not an active state or admin user")
        if not MatchModel.objects.filter(purpose="children", active=True).exists():
            raise CommandError("no matching model in use: run train_match_model first")
        try:
            found = read(path)
        except (OSError, LabelledFileError) as error:
            raise CommandError(str(error)) from error
        for line in found.skipped:
            self.stderr.write(line)
        if len(found.queries) < MIN_QUERIES:
            raise CommandError(f"{len(found.queries)} usable rows: at least {MIN_QUERIES} are needed")
        chosen = calibration.choose(
            found.queries, load=match_records.records, false_strong=false_strong, shown_recall=shown_recall
        )
        fitted = chosen.calibration
        self.stdout.write(
            f"{len(found.queries)} labelled registrations ({fitted.new_children} new children, "
            f"{fitted.true_candidates} re-registrations whose earlier record the blocking keys brought)"
        )
        self.stdout.write(chosen.report.table())
        self.stdout.write(
            f"thresholds chosen: strong {fitted.strong:.4f}, shown {fitted.shown:.4f}; "
            f"prior odds {fitted.intercept:.2f} bits (model {chosen.model.pk})"
        )
        if dry_run:
            self.stdout.write("dry run: nothing stored")
            return
        misses = chosen.report.misses()
        if misses and not accept_unmet:
            raise CommandError("goals not met, nothing stored: " + "; ".join(misses))
        model = calibration.store(chosen, by=user, source=Path(path).name)
        self.stdout.write(f"stored on model {model.pk} by {user.username} at {model.calibrated_at:%Y-%m-%d %H:%M}")
