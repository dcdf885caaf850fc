from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("cities.accounts.urls")),
    path("curation/", include("cities.curation.urls")),
    path("cities/", include("cities.urls")),
    path("", include("cities.notifications.urls")),
    path("", include("partnerships.urls")),
]
