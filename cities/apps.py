from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitiesConfig(AppConfig):
    name = "cities"
    verbose_name = _("Cities")

    def ready(self) -> None:
        from citydiplomacy.celery import announce_eager_mode

        from . import lookups
        from .notifications.services import register_kinds

        lookups.register()
        announce_eager_mode()
        register_kinds(
            template_dir="cities/accounts/emails",
            kinds={
                "invitation": _("Invitation to a city's staff"),
                "join_request": _("Request to join a city's staff"),
                "join_request_decided": _("Answer to a request to join a city's staff"),
                "password_reset": _("Password reset"),
            },
        )
        register_kinds(
            template_dir="cities/curation/emails",
            kinds={"update_requested": _("Request to update a profile")},
        )
