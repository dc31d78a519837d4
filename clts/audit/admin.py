from django.contrib import admin

from clts.accounts.access import ReadOnlyAdminMixin
from clts.audit.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "user", "action", "object_type", "object_id", "label", "ip_address"]
    list_filter = ["action", "object_type", ("at", admin.DateFieldListFilter), "user"]
    search_fields = ["object_id", "label", "user__username"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AccessLog._meta.fields]
