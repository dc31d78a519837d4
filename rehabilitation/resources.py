"""Import-export resources for rehabilitation, for the bulk-import workflow and the admin."""

from import_export import fields

from clts.accounts.access import ScopedModelResource
from clts.core.spreadsheets import SafeModelResource
from rehabilitation.models import Component, ComponentTemplate, Enrolment, Package, Visit, VisitScheduleStep
from rescue.resources import case_number_field


class ImportedByMixin:
    """A new row is recorded as created by the user who runs the import (import-export passes `user`)."""

    recorder_field = "created_by"

    def after_init_instance(self, instance, new, row, **kwargs):
        user = kwargs.get("user")
        if new and user is not None and getattr(user, "is_authenticated", False):
            setattr(instance, self.recorder_field, user)


class ComponentTemplateResource(SafeModelResource):
    class Meta:
        model = ComponentTemplate
        import_id_fields = ["code"]
        fields = [
            "code",
            "name_en",
            "name_hi",
            "kind",
            "department",
            "amount",
            "applies_to",
            "due_event",
            "due_days",
            "source",
            "source_url",
            "effective_from",
            "effective_to",
            "is_active",
            "position",
        ]
        clean_model_instances = True
        skip_unchanged = True


class VisitScheduleStepResource(SafeModelResource):
    class Meta:
        model = VisitScheduleStep
        import_id_fields = ["months_after_restoration"]
        fields = ["months_after_restoration"]
        clean_model_instances = True


class PackageResource(ImportedByMixin, ScopedModelResource):
    # Totals are kept by the services from the components.
    workflow_fields = ("planned_total", "sanctioned_total", "disbursed_total", "open_components", "first_open_due_on")

    case = case_number_field()

    class Meta:
        model = Package
        import_id_fields = ["case"]
        fields = [
            "case",
            "created_at",
            "planned_total",
            "sanctioned_total",
            "disbursed_total",
            "open_components",
            "first_open_due_on",
        ]
        # Totals are kept by the services; an import creates the package row, the services fill the totals.
        clean_model_instances = True


# A component's steps (sanction, disbursement, verification, waiver): exported, and never taken from a file.
_COMPONENT_STEPS = (
    "status",
    "sanction_order_number",
    "sanctioned_on",
    "sanctioned_amount",
    "disbursed_on",
    "disbursed_amount",
    "disbursement_mode",
    "disbursement_reference",
    "fd_maturity_on",
    "verified_on",
    "waived_reason",
    "waived_on",
)


class ComponentResource(ScopedModelResource):
    # Sanction, disbursement, verification and waiver are steps recorded in the portal, with their proofs.
    allow_create = False
    workflow_fields = ("package", "template", *_COMPONENT_STEPS)

    case_number = fields.Field(attribute="package__case__case_number", column_name="case_number", readonly=True)

    class Meta:
        model = Component
        fields = [
            "id",
            "case_number",
            "package",
            "template__code",
            "name_en",
            "name_hi",
            "kind",
            "department",
            "planned_amount",
            "due_on",
            *_COMPONENT_STEPS,
        ]
        clean_model_instances = True


class EnrolmentResource(ImportedByMixin, ScopedModelResource):
    case = case_number_field()

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "case",
            "kind",
            "institution_name",
            "udise_code",
            "class_name",
            "enrolled_on",
            "residential",
            "ended_on",
            "notes",
        ]
        clean_model_instances = True


class VisitResource(ScopedModelResource):
    """Export only: a visit's findings are recorded in the portal, which scores the risk and asks for decisions."""

    allow_import = False

    case = case_number_field()

    class Meta:
        model = Visit
        fields = [
            "id",
            "case",
            "sequence",
            "due_on",
            "assigned_to",
            "visited_on",
            "found",
            "living_with_family",
            "in_school",
            "attendance",
            "working_again",
            "family_migrated",
            "health",
            "scheme_access",
            "risk_level",
            "safe",
            "needs_decision",
            "decision",
        ]
        clean_model_instances = True
