"""Import-export resources of the rescue app, for bulk import of legacy registers and for exports.

Places are matched by LGD code (the key the state's other systems share); a case by its case number. The
Aadhaar hash and the name keys are never exported (the keys are recomputed whenever a child is saved).
"""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from clts.geo.models import Block, District, State
from rescue.models import Case, CaseEvent, Child, RescueOperation, Transfer


def _place(attribute: str, model, column: str | None = None) -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=column or f"{attribute}_lgd", widget=ForeignKeyWidget(model, "lgd_code")
    )


class RescueOperationResource(resources.ModelResource):
    state = _place("state", State)
    district = _place("district", District)
    block = _place("block", Block)

    class Meta:
        model = RescueOperation
        clean_model_instances = True
        skip_unchanged = True
        exclude = ("created_at",)


class ChildResource(resources.ModelResource):
    home_state = _place("home_state", State)
    home_district = _place("home_district", District)
    home_block = _place("home_block", Block)

    class Meta:
        model = Child
        clean_model_instances = True
        skip_unchanged = True
        exclude = ("name_key", "guardian_key", "aadhaar_hash", "photo", "home_village", "created_at", "updated_at")


class CaseResource(resources.ModelResource):
    district = _place("district", District)
    block = _place("block", Block)
    home_district = _place("home_district", District)
    home_block = _place("home_block", Block)
    previous_case = fields.Field(
        attribute="previous_case", column_name="previous_case", widget=ForeignKeyWidget(Case, "case_number")
    )

    class Meta:
        model = Case
        import_id_fields = ("case_number",)
        clean_model_instances = True
        skip_unchanged = True
        exclude = ("id", "created_at", "updated_at")


class CaseEventResource(resources.ModelResource):
    case = fields.Field(attribute="case", column_name="case_number", widget=ForeignKeyWidget(Case, "case_number"))

    class Meta:
        model = CaseEvent
        clean_model_instances = True
        skip_unchanged = True


class TransferResource(resources.ModelResource):
    case = fields.Field(attribute="case", column_name="case_number", widget=ForeignKeyWidget(Case, "case_number"))
    from_state = _place("from_state", State)
    from_district = _place("from_district", District)
    to_state = _place("to_state", State)
    to_district = _place("to_district", District)

    class Meta:
        model = Transfer
        clean_model_instances = True
        skip_unchanged = True
