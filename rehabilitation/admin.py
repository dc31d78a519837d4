"""Admin for rehabilitation: templates, schedule and rules are edited here; personal rows are scoped."""

from django.contrib import admin
from import_export.admin import ExportMixin, ImportExportModelAdmin

from clts.accounts.access import ReadOnlyAdminMixin
from clts.accounts.access import ScopedAdminMixin as ScopedAdmin
from rehabilitation import resources
from rehabilitation.models import (
    Component,
    ComponentTemplate,
    DistrictMonthFigures,
    Enrolment,
    Package,
    RehabilitationRule,
    Visit,
    VisitScheduleStep,
)


@admin.register(ComponentTemplate)
class ComponentTemplateAdmin(ImportExportModelAdmin):
    resource_classes = [resources.ComponentTemplateResource]
    list_display = ["code", "name_en", "kind", "amount", "applies_to", "due_event", "due_days", "is_active"]
    list_filter = ["kind", "is_active", "due_event"]
    search_fields = ["code", "name_en", "name_hi", "source"]


@admin.register(VisitScheduleStep)
class VisitScheduleStepAdmin(admin.ModelAdmin):
    list_display = ["months_after_restoration"]


@admin.register(RehabilitationRule)
class RehabilitationRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "safe_visits_for_closure", "school_age_from", "school_age_to"]

    def has_add_permission(self, request):
        return not RehabilitationRule.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 0
    fields = ["name_en", "status", "planned_amount", "sanctioned_amount", "disbursed_amount", "due_on"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Package)
class PackageAdmin(ScopedAdmin, ImportExportModelAdmin):
    resource_classes = [resources.PackageResource]
    list_display = ["case", "planned_total", "sanctioned_total", "disbursed_total", "open_components", "created_at"]
    search_fields = ["case__case_number"]
    raw_id_fields = ["case", "created_by"]
    readonly_fields = ["planned_total", "sanctioned_total", "disbursed_total", "open_components", "first_open_due_on"]
    inlines = [ComponentInline]


@admin.register(Component)
class ComponentAdmin(ScopedAdmin, ImportExportModelAdmin):
    resource_classes = [resources.ComponentResource]
    # Sanction, disbursement, verification and waiver are recorded in the portal with their proofs.
    readonly_fields = list(resources.ComponentResource.workflow_fields) + ["sanction_proof", "disbursement_proof"]
    list_display = ["package", "name_en", "status", "planned_amount", "sanctioned_amount", "disbursed_amount", "due_on"]
    list_filter = ["status", "kind", "disbursement_mode"]
    search_fields = ["package__case__case_number", "sanction_order_number"]
    raw_id_fields = ["package", "template", "sanctioned_by", "disbursed_by", "verified_by", "waived_by"]


@admin.register(Enrolment)
class EnrolmentAdmin(ScopedAdmin, ImportExportModelAdmin):
    resource_classes = [resources.EnrolmentResource]
    list_display = ["case", "kind", "institution_name", "udise_code", "enrolled_on", "ended_on"]
    list_filter = ["kind", "residential"]
    search_fields = ["case__case_number", "udise_code"]
    raw_id_fields = ["case", "created_by"]


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdminMixin, ScopedAdmin, ExportMixin, admin.ModelAdmin):
    """Read-only: a visit's findings are recorded in the portal, which scores the risk and asks for decisions."""

    resource_classes = [resources.VisitResource]
    list_display = [
        "case",
        "sequence",
        "due_on",
        "assigned_to",
        "visited_on",
        "risk_level",
        "needs_decision",
        "decision",
    ]
    list_filter = ["risk_level", "needs_decision", "decision", "found"]
    search_fields = ["case__case_number"]
    raw_id_fields = ["case", "assigned_to", "recorded_by", "decided_by"]


@admin.register(DistrictMonthFigures)
class DistrictMonthFiguresAdmin(admin.ModelAdmin):
    list_display = ["district", "month", "sanctioned_amount", "disbursed_amount", "overdue_amount", "refreshed_at"]
    list_filter = ["district"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
