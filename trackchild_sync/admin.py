"""Admin for CWC orders (scoped like the cases they belong to)."""

from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from clts.accounts.access import ScopedAdminMixin
from trackchild_sync import resources
from trackchild_sync.models import CwcOrder


@admin.register(CwcOrder)
class CwcOrderAdmin(ScopedAdminMixin, ImportExportModelAdmin):
    resource_classes = [resources.CwcOrderResource]
    list_display = ["case", "kind", "ordered_on", "cwc", "cci"]
    list_filter = ["kind"]
    list_select_related = ["case", "cwc", "cci"]
    raw_id_fields = ["case", "cwc", "cci", "recorded_by"]
