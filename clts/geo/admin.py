"""Admin for the LGD geography: search by name or LGD code, filter by the parent unit."""

from django.contrib import admin

from .models import Block, District, Panchayat, State, Village

# An exact match on the code (compared as text), so searching "196" finds Gaya and not every code containing 196.
SEARCH_FIELDS = ("name_en", "name_hi", "lgd_code__exact")


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_hi", "lgd_code", "short_code", "is_union_territory")
    list_filter = ("is_union_territory",)
    search_fields = (*SEARCH_FIELDS, "short_code__iexact")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_hi", "lgd_code", "short_code", "state")
    list_filter = ("state",)
    list_select_related = ("state",)
    search_fields = (*SEARCH_FIELDS, "short_code__iexact")
    autocomplete_fields = ("state",)


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_hi", "lgd_code", "district")
    list_filter = ("district__state", "district")
    list_select_related = ("district",)
    search_fields = SEARCH_FIELDS
    autocomplete_fields = ("district",)


@admin.register(Panchayat)
class PanchayatAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_hi", "lgd_code", "block")
    list_filter = ("block__district__state", "block__district")
    list_select_related = ("block",)
    search_fields = SEARCH_FIELDS
    autocomplete_fields = ("block",)
    # A state has tens of thousands of panchayats; an exact count on every page is not worth the query.
    show_full_result_count = False


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_hi", "lgd_code", "district", "sub_district", "block", "panchayat")
    list_filter = ("district__state", "district")
    list_select_related = ("district", "block", "panchayat")
    search_fields = (*SEARCH_FIELDS, "sub_district")
    autocomplete_fields = ("district", "block", "panchayat")
    # India has some 600,000 villages; an exact count on every page is not worth the query.
    show_full_result_count = False
