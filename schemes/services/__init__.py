"""Every write of the schemes app, keyword-only and atomic: `from schemes.services import linkage_apply`.

households: households, the children linked to them and members; identifiers: the masking of identity numbers;
documents: documents held; linkages: the linkage workflow; summary: the eligibility summary for dashboards.
"""

from schemes.services.documents import document_record
from schemes.services.households import (
    CHILD_FIELDS,
    HOUSEHOLD_FIELDS,
    MEMBER_FIELDS,
    household_child_update,
    household_create,
    household_link_child,
    household_update,
    member_save,
)
from schemes.services.identifiers import aadhaar_mask, mask
from schemes.services.linkages import (
    linkage_already_received,
    linkage_apply,
    linkage_departments_sync,
    linkage_documents_complete,
    linkage_identify,
    linkage_reapply,
    linkage_receive,
    linkage_reject,
    linkage_sanction,
)
from schemes.services.summary import eligibility_summary_refresh

__all__ = [
    "aadhaar_mask",
    "CHILD_FIELDS",
    "document_record",
    "eligibility_summary_refresh",
    "household_child_update",
    "household_create",
    "HOUSEHOLD_FIELDS",
    "household_link_child",
    "household_update",
    "linkage_already_received",
    "linkage_apply",
    "linkage_departments_sync",
    "linkage_documents_complete",
    "linkage_identify",
    "linkage_reapply",
    "linkage_receive",
    "linkage_reject",
    "linkage_sanction",
    "mask",
    "MEMBER_FIELDS",
    "member_save",
]
