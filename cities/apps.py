from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitiesConfig(AppConfig):
    name = "cities"
    verbose_name = _("Cities")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from citydiplomacy.celery import announce_eager_mode

        from . import lookups
        from .models import Theme
        from .notifications.services import register_kinds
        from .taxonomy import forget_theme_names

        lookups.register()
        announce_eager_mode()
        # A corrected theme name shows at once in sentences built from stored data.
        post_save.connect(forget_theme_names, sender=Theme, dispatch_uid="taxonomy-saved")
        post_delete.connect(forget_theme_names, sender=Theme, dispatch_uid="taxonomy-deleted")
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
        from .dashboard import selectors as dashboard
        from .dashboard.registry import register_section

        register_section(
            key="cities",
            order=10,
            template="cities/dashboard/_cities.html",
            build=dashboard.my_cities_section,
        )
        register_section(
            key="curation",
            order=60,
            template="cities/dashboard/_curation.html",
            build=dashboard.curation_section,
        )
