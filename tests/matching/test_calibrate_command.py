"""calibrate_match_thresholds: the state's data team chooses the thresholds from its own labelled file.

The file here is made from a small synthetic registry (tests/synthetic) the way the team would make it from its
confirmed links: the particulars typed at each re-registration with the earlier record's case number, and new
children marked "new".
"""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from clts.accounts.roles import Role
from clts.matching.models import MatchModel
from rescue.models import Case
from tests import factories as f
from tests.matching import synthetic_world
from tests.synthetic.evaluation import EvaluationConfig, make_evaluation
from tests.synthetic.registry import generate_registry

pytestmark = pytest.mark.django_db

SMALL = EvaluationConfig("command", seed=31, children=3_000, reregistrations=140, new_children=100)
COLUMNS = (
    "name", "alias", "father_name", "mother_name", "guardian_name", "village", "district", "block", "sex",
    "date_of_birth", "age", "on", "aadhaar", "earlier_case",
)  # fmt: skip


@pytest.fixture
def labelled_file(tmp_path):
    """A registry in the database with its keys and a model, and a labelled file of its queries."""
    registry = generate_registry(SMALL.children, seed=SMALL.seed)
    evaluation = make_evaluation(registry, SMALL)
    world = synthetic_world.build(registry.records, seed=SMALL.seed)
    with connection.cursor() as cursor:
        # The registry's COPY turned the audit triggers off for the rest of the transaction: the test's own.
        cursor.execute("SET LOCAL session_replication_role = origin")
    # The model as a deployment has it: trained, its m from the confirmed links (half of the re-registrations).
    synthetic_world.train_and_calibrate(world, evaluation.cases[::2])
    case_of = dict(Case.objects.values_list("child_id", "case_number"))
    path = tmp_path / "links.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for case in evaluation.cases:
            query = case.query
            truth = "new" if case.is_new else case_of[world.written.child_pk(min(case.truth_ids))]
            writer.writerow(
                [
                    query.name, "", query.father_name, query.mother_name, query.guardian_name,
                    query.home_village_text, query.home_district_lgd, query.home_block_lgd or "", query.sex,
                    query.date_of_birth.isoformat() if query.date_of_birth else "", query.age_years,
                    query.rescued_on.isoformat(), query.aadhaar, truth,
                ]
            )  # fmt: skip
    return path


def test_the_thresholds_are_chosen_from_the_file_printed_and_stored_with_who_and_when(labelled_file):
    # One registry serves the whole journey (it takes most of this module's time to build): who may choose, a dry
    # run that stores nothing, then the real run.
    before = MatchModel.objects.get(active=True)
    with pytest.raises(CommandError, match="not an active state or admin user"):
        call_command("calibrate_match_thresholds", str(labelled_file), by=f.make_user(Role.DISTRICT).username)
    out = io.StringIO()
    call_command(
        "calibrate_match_thresholds", str(labelled_file), by=f.make_user(Role.ADMIN).username, dry_run=True, stdout=out
    )
    assert "dry run: nothing stored" in out.getvalue()
    after = MatchModel.objects.get(active=True)
    assert (after.strong_threshold, after.shown_threshold, after.calibrated_by) == (
        before.strong_threshold,
        before.shown_threshold,
        None,
    )

    admin = f.make_user(Role.STATE, username="state-data-team")
    out = io.StringIO()
    call_command("calibrate_match_thresholds", str(labelled_file), by=admin.username, stdout=out)
    printed = out.getvalue()
    assert "240 labelled registrations" in printed
    for label in ("true child ranked first", "new child shown a strong candidate", "mother for father or no parent"):
        assert label in printed
    assert "NOT MET" not in printed

    model = MatchModel.objects.get(active=True)
    assert model.pk == before.pk
    assert model.calibrated_by == admin and model.calibrated_at is not None
    assert model.calibrated_from == "links.csv"
    assert f"strong {model.strong_threshold:.4f}, shown {model.shown_threshold:.4f}" in printed
    assert model.evaluation["queries"] == 240
    assert model.evaluation["cross_validated"]["true child ranked first"] >= 0.95
    # The change is in the audit trail with the person who made it.
    event = model.history.order_by("-pgh_id").first()
    assert event.strong_threshold == model.strong_threshold
    assert event.pgh_context.metadata["user"] == admin.pk
    assert event.pgh_context.metadata["url"] == "calibrate_match_thresholds:links.csv"


def test_rows_whose_case_is_unknown_are_said_and_a_file_too_small_is_refused(tmp_path):
    admin = f.make_user(Role.STATE)
    MatchModel.objects.create(parameters={})  # a model in use; the file is refused before it is read
    district = f.make_district().name_en
    small = tmp_path / "small.csv"
    with open(small, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for number in range(40):
            earlier = "BR-XXX-2020-000001" if number == 0 else "new"
            writer.writerow(
                [f"Test Child {number}", "", "Test Father", "", "", "Test Village", district, "", "m", "", 10,
                 "2024-01-15", "", earlier]
            )  # fmt: skip
    err = io.StringIO()
    with pytest.raises(CommandError, match="at least 100 are needed"):
        call_command("calibrate_match_thresholds", str(small), by=admin.username, stderr=err)
    assert "no case 'BR-XXX-2020-000001'" in err.getvalue()
