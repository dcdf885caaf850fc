from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        """Plug this app into the extension points of ``cities`` (docs/architecture.md)."""
        from cities import signals
        from cities.notifications.services import register_kinds
        from cities.profile import register_profile_section

        register_kinds(
            template_dir="partnerships/emails",
            kinds={
                "request_received": _("Partnership request received"),
                "request_reminder": _("Reminder: a partnership request is waiting"),
                "request_accepted": _("Partnership request accepted"),
                "request_declined": _("Partnership request declined"),
                "request_expired": _("Partnership request expired"),
                "request_withdrawn": _("Partnership request withdrawn"),
                "partnership_dormant": _("Partnership possibly dormant"),
                "weekly_digest": _("New suggested partners"),
            },
        )
        register_kinds(
            template_dir="partnerships/programmes/emails",
            kinds={
                "programme_invitation": _("Invitation to a visitors programme"),
                "programme_personal_invitation": _("Personal invitation to a visitors programme"),
                "programme_host_requested": _("Request to host a visitors programme"),
                "programme_host_decided": _("Answer to a request to host a programme"),
                "programme_organiser_granted": _("Programme organiser role granted"),
                "programme_organiser_revoked": _("Programme organiser role revoked"),
            },
        )
        register_profile_section(
            name="partnerships", template="partnerships/_city_partnerships.html", order=20
        )
        register_profile_section(
            name="suggestions",
            template="partnerships/_city_suggestions.html",
            order=30,
            shared=True,
        )
        signals.profile_changed.connect(
            refresh_matches_after_profile_change, dispatch_uid="partnerships-refresh-matches"
        )


def refresh_matches_after_profile_change(sender, *, city, **kwargs) -> None:
    """A changed profile changes the city's suggestions: recompute them after commit."""
    from .matching.services import city_matches_refresh_enqueue

    city_matches_refresh_enqueue(city=city)
