"""Admin for schemes: the catalogue is edited here (a malformed rule is refused with its place and reason);
personal rows are scoped to what the user may see."""

from django import forms
from django.contrib import admin
from import_export.admin import ExportMixin, ImportExportModelAdmin

from clts.accounts.access import ScopedAdminMixin as ScopedAdmin
from schemes import resources, services
from schemes.eligibility import describe_rule
from schemes.models import (
    Document,
    EligibilitySummary,
    Household,
    HouseholdChild,
    HouseholdMember,
    Linkage,
    LinkageEvent,
    Scheme,
)


class SchemeAdminForm(forms.ModelForm):
    class Meta:
        model = Scheme
        exclude: list[str] = []
        widgets = {"rule": forms.Textarea(attrs={"rows": 14, "cols": 90, "style": "font-family: monospace"})}


@admin.register(Scheme)
class SchemeAdmin(ImportExportModelAdmin):
    form = SchemeAdminForm
    resource_classes = [resources.SchemeResource]
    list_display = ["code", "name_en", "department", "level", "beneficiary", "cash_amount", "service_days", "is_active"]
    list_filter = ["department", "level", "beneficiary", "is_active"]
    list_select_related = ["department"]
    search_fields = ["code", "name_en", "name_hi", "source"]
    readonly_fields = ["rule_in_words"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.linkage_departments_sync(scheme=obj)

    @admin.display(description="rule in words")
    def rule_in_words(self, obj):
        try:
            return describe_rule(obj.rule)
        except (KeyError, TypeError, AttributeError, StopIteration):
            return "—"


class HouseholdChildInline(admin.TabularInline):
    model = HouseholdChild
    extra = 0
    raw_id_fields = ["child"]


class HouseholdMemberInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0
    exclude = ["aadhaar_hash"]
    readonly_fields = ["aadhaar_last4"]


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin, ImportExportModelAdmin):
    resource_classes = [resources.HouseholdResource]
    list_display = ["id", "district", "block", "area", "social_category", "bpl", "ration_card_type"]
    list_filter = ["district", "area", "bpl", "ration_card_type"]
    list_select_related = ["district", "block"]
    raw_id_fields = ["village", "created_by"]
    readonly_fields = ["ration_card_last4", "bank_account_last4"]
    inlines = [HouseholdChildInline, HouseholdMemberInline]


@admin.register(HouseholdMember)
class HouseholdMemberAdmin(ScopedAdmin, ImportExportModelAdmin):
    resource_classes = [resources.HouseholdMemberResource]
    list_display = ["id", "household", "relation", "sex", "age_years", "is_guardian"]
    raw_id_fields = ["household"]
    readonly_fields = ["aadhaar_last4"]


@admin.register(Document)
class DocumentAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["id", "household", "kind", "child", "member", "number_last4", "issued_on"]
    list_filter = ["kind"]
    raw_id_fields = ["household", "child", "member", "recorded_by"]
    readonly_fields = ["number_last4"]


class LinkageEventInline(admin.TabularInline):
    model = LinkageEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "from_status", "to_status", "attempt", "note", "data"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Linkage)
class LinkageAdmin(ScopedAdmin, ExportMixin, admin.ModelAdmin):
    """Linkages move through the services (the portal's forms); the admin shows them and their history."""

    resource_classes = [resources.LinkageResource]
    list_display = ["id", "scheme", "district", "status", "attempt", "status_changed_at", "due_on"]
    list_filter = ["status", "scheme__department", "scheme", "district"]
    list_select_related = ["scheme", "district"]
    raw_id_fields = ["household", "case", "child", "member", "identified_by"]
    readonly_fields = ["status", "attempt", "identified_at", "status_changed_at"]
    inlines = [LinkageEventInline]


@admin.register(EligibilitySummary)
class EligibilitySummaryAdmin(admin.ModelAdmin):
    list_display = ["scheme", "district", "eligible", "unlinked", "refreshed_at"]
    list_filter = ["scheme"]
    list_select_related = ["scheme", "district"]

    def has_add_permission(self, request):
        return False
