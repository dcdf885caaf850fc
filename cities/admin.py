from django.contrib import admin
from django.contrib import messages as admin_messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .admin_guards import SafeAutocompleteMixin
from .models import (
    Challenge,
    City,
    CityStaff,
    Initiative,
    Membership,
    Notification,
    Official,
    Organisation,
    OrganisationCurator,
    OutboxEmail,
    Theme,
)
from .notifications import outbox
from .taxonomy import translated_columns


class OfficialInline(SafeAutocompleteMixin, admin.StackedInline):
    model = Official
    extra = 0


class ChallengeInline(SafeAutocompleteMixin, admin.TabularInline):
    model = Challenge
    extra = 0
    autocomplete_fields = ["theme"]


class MembershipInline(SafeAutocompleteMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation", "city"]


class CityStaffInline(SafeAutocompleteMixin, admin.TabularInline):
    model = CityStaff
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(City)
class CityAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "country",
        "population",
        "open_to_partnerships",
        "verification_status",
        "is_published",
        "is_sample",
        "completeness",
        "updated_at",
    ]
    list_filter = [
        "continent",
        "open_to_partnerships",
        "verification_status",
        "is_published",
        "is_sample",
        "country",
    ]
    search_fields = ["name", "ascii_name", "search_names", "=geonames_id", "slug"]
    readonly_fields = ["search_names", "completeness", "created_at", "updated_at"]
    autocomplete_fields = ["verified_by"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["verified_by"]
    show_full_result_count = False  # counting 34,000 rows on every page is wasted work
    inlines = [OfficialInline, ChallengeInline, MembershipInline, CityStaffInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A city added by hand or moved gets the climate normals of its new coordinates.
        if not change or {"latitude", "longitude"} & set(form.changed_data):
            from .climate.services import city_climate_assign

            city_climate_assign(city=obj)


@admin.register(Theme)
class ThemeAdmin(SafeAutocompleteMixin, TranslationAdmin):
    """A theme's name and description in every language (English required, an empty
    translation shows the English text): curators correct the translations here."""

    list_display = ["name", "parent", "slug", "sdgs", "position"]
    list_filter = ["parent"]
    # Every language's name, so a theme is found by what the searcher reads.
    search_fields = [*translated_columns("name"), "slug"]


@admin.register(Official)
class OfficialAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "role", "city", "contact_visibility"]
    list_filter = ["role", "contact_visibility"]
    search_fields = ["name", "title", "email", "city__name"]
    autocomplete_fields = ["city"]
    actions = ["personal_data_request"]

    @admin.action(description=_("Export or erase the personal data of one official"))
    def personal_data_request(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one official."), level="warning")
            return None
        return redirect("curation:official_data", pk=queryset.get().pk)


@admin.register(Challenge)
class ChallengeAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["city", "theme", "priority", "seeks_help", "offers_expertise"]
    list_filter = ["priority", "seeks_help", "offers_expertise", "theme"]
    search_fields = ["city__name", *translated_columns("theme__name"), "description"]
    autocomplete_fields = ["city", "theme"]


@admin.register(Initiative)
class InitiativeAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["title", "city", "status", "start_date", "end_date"]
    list_filter = ["status", "themes"]
    search_fields = ["title", "description", "city__name"]
    autocomplete_fields = ["city", "themes", "partner_cities"]


@admin.register(Organisation)
class OrganisationAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "country", "is_sample"]
    list_filter = ["kind", "is_sample"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(OrganisationCurator)
class OrganisationCuratorAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["user", "organisation", "created_at"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(CityStaff)
class CityStaffAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["user", "city", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "city__name"]
    autocomplete_fields = ["user", "city"]


# --- accounts and curation ----------------------------------------------------------------------
from .models import ContentFlag, ImportJob, Invitation, JoinRequest, UserProfile  # noqa: E402


@admin.register(UserProfile)
class UserProfileAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["user", "preferred_language", "digest_opt_out", "updated_at"]
    list_filter = ["preferred_language", "digest_opt_out"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    """Read-only: invitations are sent from a city's staff page (the token exists only in the
    e-mail; the database keeps its hash)."""

    list_display = [
        "email",
        "city",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
    ]
    list_filter = ["role"]
    search_fields = ["email", "city__name"]
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(JoinRequest)
class JoinRequestAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["user", "city", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__username", "city__name"]
    autocomplete_fields = ["user", "city"]
    readonly_fields = ["decided_by", "decided_at"]


@admin.register(ContentFlag)
class ContentFlagAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["city", "reason", "status", "created_at", "resolved_at"]
    list_filter = ["reason", "status"]
    search_fields = ["city__name", "message"]
    autocomplete_fields = ["city"]
    readonly_fields = ["reported_by", "resolved_by", "resolved_at"]


@admin.register(ImportJob)
class ImportJobAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["filename", "kind", "organisation", "status", "total_rows", "created_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in ImportJob._meta.fields if f.name != "rows"]
    exclude = ["rows"]

    def has_add_permission(self, request):
        return False


# --- notifications and the e-mail outbox (docs/notifications.md) -----------------------------


@admin.register(Notification)
class NotificationAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["title", "user", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "user__username"]
    raw_id_fields = ["user"]


@admin.register(OutboxEmail)
class OutboxEmailAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    """Failed e-mails are visible here (filter by status) and can be queued again."""

    list_display = ["subject", "to_email", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "subject"]
    readonly_fields = [f.name for f in OutboxEmail._meta.fields]
    actions = ["retry_failed"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Queue the selected failed e-mails again"))
    def retry_failed(self, request, queryset):
        count = outbox.outbox_retry_failed(outbox_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            _("%(count)d e-mails queued again.") % {"count": count},
            admin_messages.SUCCESS,
        )
