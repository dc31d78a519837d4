"""Admin for alerts: the deadline rules and their escalation steps are edited here; alerts and runs are read."""

from django import forms
from django.contrib import admin

from clts.accounts.access import ReadOnlyAdminMixin, ScopedAdminMixin
from clts.alerts.models import Alert, DeadlineRule, DigestSent, EscalationStep, ScanRun
from clts.alerts.rules import registry


class EscalationStepInline(admin.TabularInline):
    model = EscalationStep
    extra = 1


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "responsible_role", "timing", "due_after", "unit", "remind_before", "is_active"]
    list_filter = ["is_active", "timing", "responsible_role"]
    search_fields = ["code", "name_en", "name_hi", "source"]
    inlines = [EscalationStepInline]
    readonly_fields = ["updated_at"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            choices = [(key, key) for key in sorted(registry())]
            return forms.ChoiceField(choices=choices, label=db_field.verbose_name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Alerts, runs and digests are written by the scan: the admin shows them only."""


@admin.register(Alert)
class AlertAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["rule", "object_type", "object_id", "district", "due_at", "level", "status", "resolution"]
    list_filter = ["status", "rule", "level"]
    list_select_related = ["rule", "district"]
    raw_id_fields = ["case", "assignee", "acknowledged_by"]


@admin.register(ScanRun)
class ScanRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "trigger", "status", "created", "resolved", "escalated", "open_after", "finished_at"]
    list_filter = ["status", "trigger"]


@admin.register(DigestSent)
class DigestSentAdmin(ReadOnlyAdmin):
    list_display = ["day", "user", "overdue", "due_soon", "emailed", "texted", "sent_at"]
    list_filter = ["day", "emailed", "texted"]
    raw_id_fields = ["user"]
