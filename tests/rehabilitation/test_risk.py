"""The risk level of a visit and the reasons shown for it."""

import pytest

from rehabilitation.risk import visit_risk
from tests.factories import SAFE_VISIT

SAFE = SAFE_VISIT | {"school_age": True}


@pytest.mark.parametrize(
    ("answers", "level", "reasons"),
    [
        ({}, "low", []),
        ({"scheme_access": "not_linked"}, "low", []),
        ({"found": "not_found"}, "high", ["not_found"]),
        ({"working_again": True}, "high", ["working_again"]),
        ({"health": "serious"}, "high", ["serious_health"]),
        ({"family_migrated": True}, "medium", ["family_migrated"]),
        ({"in_school": False, "attendance": ""}, "medium", ["out_of_school"]),
        ({"in_school": False, "attendance": "", "school_age": False}, "low", []),
        ({"attendance": "irregular", "health": "needs_care"}, "medium", ["irregular_attendance", "needs_care"]),
        (
            {"family_migrated": True, "attendance": "not_attending", "scheme_access": "none"},
            "high",
            ["family_migrated", "irregular_attendance", "no_scheme_benefit"],
        ),
        ({"found": "absent"}, "medium", ["not_seen"]),
        ({"living_with_family": False}, "medium", ["not_with_family"]),
    ],
)
def test_risk_level_and_reasons(answers, level, reasons):
    risk = visit_risk(**(SAFE | answers))
    assert (risk.level, risk.reasons) == (level, reasons)
    assert len(risk.words) == len(reasons)


def test_safe_and_raised():
    assert visit_risk(**SAFE).safe
    assert not visit_risk(**SAFE).needs_decision
    # Absent from home is not safe for closure, but is not raised to the district officer either.
    absent = visit_risk(**(SAFE | {"found": "absent"}))
    assert not absent.safe and not absent.needs_decision
    working = visit_risk(**(SAFE | {"working_again": True}))
    assert not working.safe and working.needs_decision
    # Medium risk from the family's circumstances still counts as a safe visit.
    assert visit_risk(**(SAFE | {"family_migrated": True})).safe
