from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitiesConfig(AppConfig):
    name = "cities"
    verbose_name = _("Cities")

    def ready(self) -> None:
        from citydiplomacy.celery import announce_eager_mode

        from . import lookups

        lookups.register()
        announce_eager_mode()
