"""Every write of the rescue app, keyword-only and atomic: `from rescue.services import case_transition`.

workflow: the table of allowed moves and `case_transition`; registration: `rescue_register`; links: a new case
linked to an earlier one, and the decision on a link request; duplicates: the decision on a pair the nightly
duplicate pass found;
transfers: between districts (acknowledged by the home district) and states (repatriation and handover).
"""

from rescue.services.corrections import case_cwc_assign, child_correct, rescue_correct
from rescue.services.duplicates import duplicate_confirm, duplicate_reject
from rescue.services.links import cases_link, link_request_confirm, link_request_reject
from rescue.services.registration import particulars_of, rescue_check, rescue_register
from rescue.services.transfers import case_transfer_to_district, transfer_acknowledge, transfer_record_step
from rescue.services.workflow import (
    ADOLESCENT_AGE,
    ADULT_AGE,
    AFTER_RESTORATION,
    OPEN_STATUSES,
    PRODUCTION_LIMIT,
    TRANSITIONS,
    SystemText,
    allowed_moves,
    case_cci_move,
    case_event_record,
    case_transition,
    case_transition_by_work,
    category_for_age,
)

__all__ = [
    "ADOLESCENT_AGE",
    "ADULT_AGE",
    "AFTER_RESTORATION",
    "OPEN_STATUSES",
    "PRODUCTION_LIMIT",
    "TRANSITIONS",
    "SystemText",
    "allowed_moves",
    "case_cci_move",
    "cases_link",
    "case_cwc_assign",
    "case_event_record",
    "child_correct",
    "rescue_check",
    "rescue_correct",
    "case_transfer_to_district",
    "case_transition",
    "case_transition_by_work",
    "category_for_age",
    "duplicate_confirm",
    "duplicate_reject",
    "link_request_confirm",
    "link_request_reject",
    "particulars_of",
    "rescue_register",
    "transfer_acknowledge",
    "transfer_record_step",
]
