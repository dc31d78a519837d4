"""Admin for institutions (public directory data) and CWC orders (scoped like the cases they belong to)."""

from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from trackchild_sync import resources
from trackchild_sync.models import CwcOrder, Institution


@admin.register(Institution)
class InstitutionAdmin(ImportExportModelAdmin):
    resource_classes = [resources.InstitutionResource]
    list_display = ["name", "kind", "district", "state", "capacity", "is_active"]
    list_filter = ["kind", "is_active", "state"]
    list_select_related = ["district", "state"]
    search_fields = ["name", "code"]
    raw_id_fields = ["district"]


@admin.register(CwcOrder)
class CwcOrderAdmin(ImportExportModelAdmin):
    resource_classes = [resources.CwcOrderResource]
    list_display = ["case", "kind", "ordered_on", "cwc", "cci"]
    list_filter = ["kind"]
    list_select_related = ["case", "cwc", "cci"]
    raw_id_fields = ["case", "cwc", "cci", "recorded_by"]
    show_full_result_count = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.visible_to(request.user)
