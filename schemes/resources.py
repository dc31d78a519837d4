"""Import-export resources for schemes: the catalogue is imported and exported; linkages are exported by case
number (never by name); households travel with the bulk-import workflow."""

from import_export import fields
from import_export.widgets import ForeignKeyWidget, JSONWidget, SimpleArrayWidget

from clts.accounts.access import ScopedModelResource
from clts.core.spreadsheets import SafeModelResource
from clts.orgs.models import Department
from rescue.resources import case_number_field
from schemes.models import Household, HouseholdMember, Linkage, Scheme
from schemes.services.households import MEMBER_FIELDS


class SchemeResource(SafeModelResource):
    """One row per scheme; the rule is a JSON cell, checked by Scheme.clean() before anything is saved."""

    department = fields.Field(
        attribute="department", column_name="department", widget=ForeignKeyWidget(Department, "code")
    )
    rule = fields.Field(attribute="rule", column_name="rule", widget=JSONWidget())
    documents = fields.Field(attribute="documents", column_name="documents", widget=SimpleArrayWidget(separator=";"))
    family_documents = fields.Field(
        attribute="family_documents", column_name="family_documents", widget=SimpleArrayWidget(separator=";")
    )

    def after_save_instance(self, instance, row, **kwargs):
        if not kwargs.get("dry_run"):
            from schemes.services import linkage_departments_sync

            linkage_departments_sync(scheme=instance)

    class Meta:
        model = Scheme
        import_id_fields = ["code"]
        fields = [
            "code",
            "name_en",
            "name_hi",
            "level",
            "department",
            "beneficiary",
            "benefit_kind",
            "benefit_en",
            "benefit_hi",
            "cash_amount",
            "cash_period",
            "documents",
            "family_documents",
            "office_en",
            "office_hi",
            "service_days",
            "source",
            "rule",
            "is_active",
        ]
        clean_model_instances = True
        skip_unchanged = True


class HouseholdResource(ScopedModelResource):
    """Households by id, with the case numbers of their rescued children; identifiers only masked."""

    class Meta:
        model = Household
        fields = [
            "id",
            "district",
            "block",
            "village",
            "village_text",
            "area",
            "social_category",
            "minority",
            "bpl",
            "ration_card_type",
            "ration_card_last4",
            "income_band",
            "land_acres",
            "house_type",
            "resident_in_state",
        ]
        clean_model_instances = True


class HouseholdMemberResource(ScopedModelResource):
    class Meta:
        model = HouseholdMember
        fields = [
            "id",
            "household",
            *MEMBER_FIELDS,
            "aadhaar_last4",
        ]
        clean_model_instances = True


class LinkageResource(ScopedModelResource):
    """Linkages for reports and reconciliation with departments: by case number and scheme code. Export only: a
    linkage moves through its steps in the portal."""

    allow_import = False

    case = case_number_field()
    scheme = fields.Field(attribute="scheme", column_name="scheme", widget=ForeignKeyWidget(Scheme, "code"))

    class Meta:
        model = Linkage
        fields = [
            "id",
            "case",
            "scheme",
            "district",
            "status",
            "attempt",
            "identified_at",
            "applied_on",
            "application_number",
            "due_on",
            "sanctioned_on",
            "sanction_order",
            "sanctioned_amount",
            "received_on",
            "receipt_verification",
            "rejected_on",
            "rejection_reason",
        ]
        clean_model_instances = True
