"""Admin for CWC orders (scoped like the cases they belong to; shown and exported, recorded in the portal)."""

from django.contrib import admin
from import_export.admin import ExportMixin

from clts.accounts.access import ReadOnlyAdminMixin, ScopedAdminMixin
from trackchild_sync import resources
from trackchild_sync.models import CwcOrder, CwcSitting, CwcStep, Residence


@admin.register(CwcOrder)
class CwcOrderAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, ExportMixin, admin.ModelAdmin):
    """Read-only: an order moves the case, so it is recorded through the portal's form."""

    resource_classes = [resources.CwcOrderResource]
    list_display = ["case", "kind", "ordered_on", "cwc", "cci"]
    list_filter = ["kind"]
    list_select_related = ["case", "cwc", "cci"]
    raw_id_fields = ["case", "cwc", "cci", "recorded_by"]


@admin.register(Residence)
class ResidenceAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, ExportMixin, admin.ModelAdmin):
    """Read-only: the register is kept through the portal's pages, which check capacity and what a home takes."""

    resource_classes = [resources.ResidenceResource]
    list_display = ["institution", "admitted_on", "left_on", "leaving_reason"]
    list_filter = ["leaving_reason"]
    list_select_related = ["institution"]
    raw_id_fields = ["institution", "case", "cwc", "cwc_order", "transferred_from", "recorded_by"]


@admin.register(CwcStep)
class CwcStepAdmin(admin.ModelAdmin):
    """The Committee's time limits: the administrator sets a time only with its source."""

    list_display = ["code", "name_en", "clock", "due_after", "met_by"]
    search_fields = ["code", "name_en"]


@admin.register(CwcSitting)
class CwcSittingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["cwc", "sat_on", "members_present"]
    list_select_related = ["cwc"]
