from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cities.admin_guards import SafeAutocompleteMixin, SafeHistoryMixin

from .models import (
    AgendaItem,
    Delegation,
    MatchSuggestion,
    Meeting,
    MeetingSlot,
    MeetingWish,
    Participant,
    Partnership,
    PartnershipActivity,
    PartnershipRequest,
    Programme,
    ProgrammeHostOrganisation,
    ProgrammeOrganiserRole,
    RequestEvent,
)


class PartnershipActivityInline(SafeAutocompleteMixin, admin.TabularInline):
    model = PartnershipActivity
    extra = 0
    autocomplete_fields = ["created_by"]


@admin.register(Partnership)
class PartnershipAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "since", "source", "confirmation", "is_sample"]
    list_filter = ["kind", "status", "source", "confirmation", "is_sample"]
    readonly_fields = ["provenance", "source_as_of", "wikidata_a", "wikidata_b"]
    search_fields = ["city_a__name", "city_b__name", "description"]
    autocomplete_fields = ["city_a", "city_b", "themes"]
    inlines = [PartnershipActivityInline]


# --- requests (docs/requests.md) -----------------------------------------------------------


class RequestEventInline(SafeAutocompleteMixin, admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "actor", "from_status", "to_status", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PartnershipRequest)
class PartnershipRequestAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    """Read-only: state changes go through the services, which notify the cities."""

    list_display = ["__str__", "kind", "status", "created_at", "expires_at"]
    list_filter = ["status", "kind"]
    search_fields = ["from_city__name", "to_city__name"]
    readonly_fields = [f.name for f in PartnershipRequest._meta.fields] + ["themes"]
    inlines = [RequestEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MatchSuggestion)
class MatchSuggestionAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    """Read-only: suggestions are computed (recompute_matches), never edited by hand."""

    list_display = ["city", "rank", "suggested_city", "score", "computed_at"]
    search_fields = ["city__name", "suggested_city__name"]
    list_select_related = ["city", "suggested_city"]
    readonly_fields = [
        "city",
        "suggested_city",
        "rank",
        "score",
        "components",
        "reasons",
        "computed_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- visitors programmes (docs/programmes.md) ---------------------------------------------


class DelegationInline(SafeAutocompleteMixin, admin.TabularInline):
    model = Delegation
    extra = 0


class HostOrganisationInline(SafeAutocompleteMixin, admin.TabularInline):
    """Read-only here: an organisation confirms or declines on its own hosting page."""

    model = ProgrammeHostOrganisation
    extra = 0
    fields = ["organisation", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    readonly_fields = fields
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Programme)
class ProgrammeAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["title", "host_country", "start_date", "end_date", "status", "is_sample"]
    list_filter = ["status", "host_country", "is_sample"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["themes", "organisers"]
    inlines = [DelegationInline, HostOrganisationInline]


@admin.register(ProgrammeOrganiserRole)
class ProgrammeOrganiserRoleAdmin(SafeHistoryMixin, SafeAutocompleteMixin, SimpleHistoryAdmin):
    """Site admins grant the role here (leave the organisation empty for the portal's own
    grant); an organisation's curators use /organisations/<slug>/programme-organisers/."""

    list_display = ["user", "organisation", "granted_by", "granted_at"]
    list_filter = ["organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    readonly_fields = ["granted_by", "granted_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Participant)
class ParticipantAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "programme", "side", "city", "organisation", "status"]
    list_filter = ["side", "status", "programme"]
    search_fields = ["name", "role", "email", "city__name", "organisation__name"]
    autocomplete_fields = ["programme", "official", "city", "organisation"]
    readonly_fields = ["token"]


@admin.register(AgendaItem)
class AgendaItemAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["title", "programme", "kind", "start", "end", "place"]
    list_filter = ["kind", "programme"]
    search_fields = ["title", "place"]
    autocomplete_fields = ["programme", "host_city", "host_organisation", "themes", "attendees"]


@admin.register(MeetingSlot)
class MeetingSlotAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["__str__", "programme", "tables"]
    list_filter = ["programme"]


@admin.register(MeetingWish)
class MeetingWishAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["__str__", "programme", "weight", "stated_by"]
    list_filter = ["programme", "stated_by"]
    autocomplete_fields = ["participant", "host"]


@admin.register(Meeting)
class MeetingAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["__str__", "programme", "table", "score", "locked"]
    list_filter = ["programme", "locked"]
    autocomplete_fields = ["participant", "host"]


# --- funding programmes (docs/funding.md) ------------------------------------------------------

from simple_history.admin import SimpleHistoryAdmin  # noqa: E402

from .funding.forms import FundingProgrammeForm  # noqa: E402
from .models import FundingProgramme  # noqa: E402


@admin.register(FundingProgramme)
class FundingProgrammeAdmin(SafeHistoryMixin, SafeAutocompleteMixin, SimpleHistoryAdmin):
    """Site admins keep programmes here too, with the change history; curators use the
    portal's own pages. The form is the curators' form, so the same checks apply."""

    form = FundingProgrammeForm
    list_display = ["name", "funder", "call_type", "next_deadline", "last_checked_on", "checked_by"]
    list_filter = ["call_type"]
    search_fields = ["name", "funder", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    fields = [
        *FundingProgrammeForm.Meta.fields,
        *FundingProgrammeForm.TRANSLATION_FIELDS,
        "checked_by",
        "created_at",
        "updated_at",
    ]
