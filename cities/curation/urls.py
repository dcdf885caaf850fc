from django.urls import path

from . import views

app_name = "curation"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/officials/<int:pk>/", views.official_data, name="official_data"),
    path("privacy/officials/<int:pk>/erase/", views.official_erase, name="official_erase"),
    path("<slug:org_slug>/", views.queue, name="queue"),
    path("<slug:org_slug>/members/", views.members, name="members"),
    path("<slug:org_slug>/cities/<slug:slug>/verify/", views.verify, name="verify"),
    path("<slug:org_slug>/cities/<slug:slug>/publish/", views.publish, name="publish"),
    path(
        "<slug:org_slug>/cities/<slug:slug>/request-update/",
        views.request_update,
        name="request_update",
    ),
    path("<slug:org_slug>/flags/<int:pk>/resolve/", views.flag_resolve, name="flag_resolve"),
    path("<slug:org_slug>/export/<str:kind>.<str:fmt>", views.export, name="export"),
    path("<slug:org_slug>/import/", views.import_upload, name="import"),
    path("<slug:org_slug>/import/<int:pk>/", views.import_job, name="import_job"),
]
