from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from clts.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "get_full_name", "role", "district", "block", "institution", "department", "is_active"]
    list_filter = ["role", "is_active", "is_staff", "district"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["state", "district", "block"]
    raw_id_fields = ["institution", "department"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Role and jurisdiction"),
            {"fields": ("role", "designation", "phone", "state", "district", "block", "institution", "department")},
        ),
        (_("Preferences"), {"fields": ("language",)}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role and jurisdiction"), {"fields": ("role", "state", "district", "block", "institution", "department")}),
    )
