from django.contrib import admin

from clts.audit.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "object_type", "object_id", "label", "ip_address"]
    list_filter = ["action", "object_type", ("at", admin.DateFieldListFilter), "user"]
    search_fields = ["object_id", "label", "user__username"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AccessLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
