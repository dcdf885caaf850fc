from django.contrib import admin

from cities.admin_widgets import SafeAutocompleteMixin

from .models import MatchSuggestion, Partnership, PartnershipActivity


class PartnershipActivityInline(SafeAutocompleteMixin, admin.TabularInline):
    model = PartnershipActivity
    extra = 0
    autocomplete_fields = ["created_by"]


@admin.register(Partnership)
class PartnershipAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "since", "source", "is_sample"]
    list_filter = ["kind", "status", "source", "is_sample"]
    search_fields = ["city_a__name", "city_b__name", "description"]
    autocomplete_fields = ["city_a", "city_b", "themes"]
    inlines = [PartnershipActivityInline]


# --- requests, notifications and the e-mail outbox (docs/requests.md) -------------------------

from django.contrib import messages as admin_messages  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from . import notifications as _notifications  # noqa: E402
from .models import Notification, OutboxEmail, PartnershipRequest, RequestEvent  # noqa: E402


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
        count = _notifications.outbox_retry_failed(outbox_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            _("%(count)d e-mails queued again.") % {"count": count},
            admin_messages.SUCCESS,
        )


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

from .models import (  # noqa: E402
    AgendaItem,
    Delegation,
    Meeting,
    MeetingSlot,
    MeetingWish,
    Participant,
    Programme,
)


class DelegationInline(SafeAutocompleteMixin, admin.TabularInline):
    model = Delegation
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["title", "host_country", "start_date", "end_date", "status", "is_sample"]
    list_filter = ["status", "host_country", "is_sample"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["host_organisations", "themes", "organisers"]
    inlines = [DelegationInline]


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
