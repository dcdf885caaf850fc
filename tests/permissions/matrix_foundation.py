"""Foundation URLs: home, health check, language switch, and the Django admin."""

from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from .matrix import ADMIN_ONLY, EVERYONE, SIGNED_IN, Entry


def _admin_sample_urls(world) -> list[str]:
    """The admin index, every registered model's list, and one change page."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    city_opts = apps.get_model("cities", "City")._meta
    urls.append(
        reverse(f"admin:{city_opts.app_label}_{city_opts.model_name}_change", args=[world.city.pk])
    )
    return urls


ENTRIES = [
    Entry("home", methods={"GET": EVERYONE}, reason="The public home page."),
    Entry(
        "dashboard",
        methods={"GET": SIGNED_IN},
        reason="Each signed-in person's own dashboard; visitors are sent to sign in.",
    ),
    Entry("healthz", methods={"GET": EVERYONE}, reason="Load balancers probe it unauthenticated."),
    Entry(
        "set_language",
        methods=dict.fromkeys(("GET", "POST", "PUT", "PATCH", "DELETE"), EVERYONE),
        data=lambda w, kw: {"language": "de", "next": "/"},
        reason="Anyone may switch the language; Django's view redirects back on any method.",
    ),
    Entry(
        "admin:login",
        methods={"GET": EVERYONE, "POST": EVERYONE, "PUT": EVERYONE},
        reason="The admin sign-in form is public (a FormView takes PUT too).",
    ),
    Entry(
        "admin:*",
        methods={"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
        family_urls=_admin_sample_urls,
        reason="The Django admin is for site admins; others are sent to the admin sign-in.",
    ),
]
