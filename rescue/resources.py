"""Import-export resources of the rescue app, for bulk import of legacy registers and for exports.

Places are matched by LGD code (the key the state's other systems share); a case by its case number. The
Aadhaar hash and the name keys are never exported (the keys are recomputed whenever a child is saved).
Every resource is scoped (an import changes only rows in the importing user's area), escapes formulae on export,
and never imports workflow state: a case's status, number, jurisdiction and links, its events and its transfers
change only through the services, which keep the timeline.
"""

from import_export import fields
from import_export.widgets import ForeignKeyWidget

from clts.accounts.access import ScopedModelResource
from clts.geo.models import Block, District, State
from rescue.models import Case, CaseEvent, Child, LinkRequest, RescueOperation, Transfer


def case_number_field(attribute: str = "case", column: str = "case_number") -> fields.Field:
    """Rows name a case by its case number, never by the child (every app's resources use this)."""
    return fields.Field(attribute=attribute, column_name=column, widget=ForeignKeyWidget(Case, "case_number"))


def _place(attribute: str, model, column: str | None = None) -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=column or f"{attribute}_lgd", widget=ForeignKeyWidget(model, "lgd_code")
    )


class RescueOperationResource(ScopedModelResource):
    workflow_fields = ("created_by",)

    state = _place("state", State)
    district = _place("district", District)
    block = _place("block", Block)

    class Meta:
        model = RescueOperation
        clean_model_instances = True
        skip_unchanged = True
        exclude = ("created_at",)


class ChildResource(ScopedModelResource):
    home_state = _place("home_state", State)
    home_district = _place("home_district", District)
    home_block = _place("home_block", Block)

    class Meta:
        model = Child
        clean_model_instances = True
        skip_unchanged = True
        exclude = ("name_key", "guardian_key", "aadhaar_hash", "photo", "home_village", "created_at", "updated_at")


# Everything about a case that the workflow decides; an import may correct only the work done at the rescue.
CASE_WORKFLOW = (
    "case_number",
    "child",
    "rescue",
    "category",
    "age_at_rescue",
    "rescued_on",
    "district",
    "block",
    "home_district",
    "home_block",
    "interstate",
    "status",
    "status_changed_at",
    "restored_at",
    "cwc",
    "produced_at",
    "production_late",
    "late_reason",
    "cci",
    "responsible_officer",
    "previous_case",
    "created_by",
)


class CaseResource(ScopedModelResource):
    workflow_fields = CASE_WORKFLOW
    allow_create = False

    district = _place("district", District)
    block = _place("block", Block)
    home_district = _place("home_district", District)
    home_block = _place("home_block", Block)
    previous_case = case_number_field("previous_case", "previous_case")

    class Meta:
        model = Case
        import_id_fields = ("case_number",)
        clean_model_instances = True
        skip_unchanged = True
        exclude = ("id", "created_at", "updated_at")


class CaseEventResource(ScopedModelResource):
    """Export only: the timeline is written by the services."""

    allow_import = False

    case = case_number_field()

    class Meta:
        model = CaseEvent
        clean_model_instances = True
        skip_unchanged = True


class TransferResource(ScopedModelResource):
    """Export only: a transfer moves through its steps in the portal."""

    allow_import = False

    case = case_number_field()
    from_state = _place("from_state", State)
    from_district = _place("from_district", District)
    to_state = _place("to_state", State)
    to_district = _place("to_district", District)

    class Meta:
        model = Transfer
        clean_model_instances = True
        skip_unchanged = True


class LinkRequestResource(ScopedModelResource):
    """Export only: a link request is decided in the portal, comparing both records."""

    allow_import = False

    new_case = case_number_field("new_case", "new_case_number")
    earlier_case = case_number_field("earlier_case", "earlier_case_number")

    class Meta:
        model = LinkRequest
        fields = ["id", "new_case", "earlier_case", "strength", "score", "status", "filed_at", "decided_at"]
