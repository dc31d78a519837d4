"""Admin for the rescue app; a staff member who is not a superuser sees only the rows `visible_to` them, changes
only the rows they may write, and never the workflow: a case's status, number and jurisdiction, its timeline, its
transfers, link requests and the case number counters are read-only here (the services keep them)."""

from django.contrib import admin
from import_export.admin import ExportMixin, ImportExportModelAdmin

from clts.accounts import access
from rescue import resources
from rescue.models import (
    Case,
    CaseEvent,
    CaseNumberCounter,
    CaseUserObjectPermission,
    Child,
    LinkRequest,
    RescueOperation,
    Transfer,
)


class ScopedAdmin(access.ScopedAdminMixin, ImportExportModelAdmin):
    list_per_page = 50


class ReadOnlyScopedAdmin(access.ReadOnlyAdminMixin, access.ScopedAdminMixin, ExportMixin, admin.ModelAdmin):
    list_per_page = 50


@admin.register(RescueOperation)
class RescueOperationAdmin(ScopedAdmin):
    resource_classes = [resources.RescueOperationResource]
    list_display = ["id", "rescued_at", "state", "district", "industry", "led_by"]
    list_filter = ["industry", "led_by", "state"]
    list_select_related = ["state", "district"]
    date_hierarchy = "rescued_at"
    raw_id_fields = ["district", "block", "created_by"]


@admin.register(Child)
class ChildAdmin(ScopedAdmin):
    resource_classes = [resources.ChildResource]
    list_display = ["id", "name", "sex", "age_years", "home_district"]
    list_select_related = ["home_district"]
    list_filter = ["sex"]
    search_fields = ["=id"]
    raw_id_fields = ["home_district", "home_block", "home_village"]
    readonly_fields = ["aadhaar_last4"]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = ["at", "kind", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ScopedAdmin):
    resource_classes = [resources.CaseResource]
    list_display = ["case_number", "rescued_on", "status", "district", "home_district", "interstate"]
    list_filter = ["status", "interstate", "category", "production_late"]
    list_select_related = ["district", "home_district"]
    search_fields = ["=case_number"]
    raw_id_fields = [
        "child",
        "rescue",
        "district",
        "block",
        "home_district",
        "home_block",
        "cwc",
        "cci",
        "responsible_officer",
        "previous_case",
        "created_by",
    ]
    # The workflow changes through the services only, so that every change is on the timeline.
    readonly_fields = list(resources.CASE_WORKFLOW)
    inlines = [CaseEventInline]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyScopedAdmin):
    resource_classes = [resources.CaseEventResource]
    list_display = ["case", "at", "kind", "from_status", "to_status", "actor"]
    list_filter = ["kind"]
    list_select_related = ["case", "actor"]
    raw_id_fields = ["case", "actor"]


@admin.register(Transfer)
class TransferAdmin(ReadOnlyScopedAdmin):
    resource_classes = [resources.TransferResource]
    list_display = ["case", "kind", "stage", "from_district", "to_district", "initiated_at", "completed_at"]
    list_filter = ["kind", "stage"]
    list_select_related = ["case", "from_district", "to_district"]
    raw_id_fields = ["case", "from_district", "to_district", "home_cwc", "initiated_by", "acknowledged_by"]


@admin.register(CaseNumberCounter)
class CaseNumberCounterAdmin(access.ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: a counter set back would issue a case number twice."""

    list_display = ["district", "year", "last"]
    list_filter = ["year"]
    list_select_related = ["district"]


@admin.register(LinkRequest)
class LinkRequestAdmin(ReadOnlyScopedAdmin):
    """Read-only: the district holding the earlier case decides in the portal, comparing both records."""

    resource_classes = [resources.LinkRequestResource]
    list_display = ["id", "new_case", "earlier_case", "strength", "status", "filed_at", "decided_at"]
    list_filter = ["status", "strength"]
    list_select_related = ["new_case", "earlier_case"]


@admin.register(CaseUserObjectPermission)
class CaseUserObjectPermissionAdmin(admin.ModelAdmin):
    list_display = ["content_object", "user", "permission"]
    raw_id_fields = ["content_object", "user"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(content_object__in=Case.objects.visible_to(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only a case the staff member may change can be shared by them (a grant widens who reads it).
        if db_field.name == "content_object" and not request.user.is_superuser:
            kwargs["queryset"] = Case.objects.writable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
