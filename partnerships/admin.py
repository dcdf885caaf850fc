from django.contrib import admin

from .models import Partnership, PartnershipActivity


class PartnershipActivityInline(admin.TabularInline):
    model = PartnershipActivity
    extra = 0
    autocomplete_fields = ["created_by"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "since", "source", "is_sample"]
    list_filter = ["kind", "status", "source", "is_sample"]
    search_fields = ["city_a__name", "city_b__name", "description"]
    autocomplete_fields = ["city_a", "city_b", "themes"]
    inlines = [PartnershipActivityInline]
