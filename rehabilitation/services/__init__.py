"""Every write of rehabilitation, keyword-only and atomic: `from rehabilitation.services import visit_record`.

packages: the package per case and its components (sanction, disbursement, verification, waiver);
education: enrolments; visits: the follow-up schedule, visit records and decisions; closure: the check and the
close; figures: the district-and-month summary; seed: component templates from a data file.
"""

from rehabilitation.services.closure import case_close, case_closure_check
from rehabilitation.services.common import ZERO
from rehabilitation.services.education import enrolment_record
from rehabilitation.services.figures import figures_refresh
from rehabilitation.services.packages import (
    case_restored,
    component_add,
    component_disburse,
    component_sanction,
    component_verify,
    component_waive,
    package_create_for_case,
    package_totals_refresh,
    rehabilitation_start,
)
from rehabilitation.services.seed import TEMPLATES_FILE, templates_seed
from rehabilitation.services.visits import (
    visit_assignee_pick,
    visit_decide,
    visit_record,
    visit_schedule_create,
    visits_reassign,
)

__all__ = [
    "case_close",
    "case_closure_check",
    "case_restored",
    "component_add",
    "component_disburse",
    "component_sanction",
    "component_verify",
    "component_waive",
    "enrolment_record",
    "figures_refresh",
    "package_create_for_case",
    "package_totals_refresh",
    "rehabilitation_start",
    "TEMPLATES_FILE",
    "templates_seed",
    "visit_assignee_pick",
    "visit_decide",
    "visit_record",
    "visit_schedule_create",
    "visits_reassign",
    "ZERO",
]
