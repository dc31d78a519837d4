"""Admin for institutions and departments (public directory data, edited by the administrator)."""

from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from clts.orgs import resources
from clts.orgs.models import Department, Institution


@admin.register(Institution)
class InstitutionAdmin(ImportExportModelAdmin):
    resource_classes = [resources.InstitutionResource]
    list_display = ["name", "kind", "district", "state", "capacity", "is_active"]
    list_filter = ["kind", "is_active", "state"]
    list_select_related = ["district", "state"]
    search_fields = ["name", "code"]
    raw_id_fields = ["district"]


@admin.register(Department)
class DepartmentAdmin(ImportExportModelAdmin):
    resource_classes = [resources.DepartmentResource]
    list_display = ["code", "name_en", "name_hi"]
    search_fields = ["code", "name_en", "name_hi"]
