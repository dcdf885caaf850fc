from django.urls import path

from . import views
from .accounts import views as account_views
from .climate import views as climate_views
from .editing import views as edit_views

app_name = "cities"

urlpatterns: list = [
    path("", views.city_list, name="list"),
    path("suggest/", views.city_suggest, name="suggest"),
    path("map.json", views.map_data, name="map_data"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("<slug:slug>/", views.city_detail, name="detail"),
    path("<slug:slug>/climate/", climate_views.city_climate, name="climate"),
    path(
        "<slug:slug>/climate/compare/<slug:other_slug>/",
        climate_views.climate_compare,
        name="climate_compare",
    ),
    # Editing, history and staff (accounts & curation)
    path("<slug:slug>/edit/", edit_views.profile_edit, name="edit"),
    *[
        route
        for kind, one in (
            ("officials", "official"),
            ("challenges", "challenge"),
            ("initiatives", "initiative"),
        )
        for route in (
            path(
                f"<slug:slug>/edit/{kind}/",
                edit_views.items_edit,
                {"kind": kind},
                name=f"edit_{kind}",
            ),
            path(
                f"<slug:slug>/edit/{kind}/<int:pk>/",
                edit_views.item_edit,
                {"kind": kind},
                name=f"edit_{one}",
            ),
            path(
                f"<slug:slug>/edit/{kind}/<int:pk>/delete/",
                edit_views.item_delete,
                {"kind": kind},
                name=f"delete_{one}",
            ),
        )
    ],
    path("<slug:slug>/edit/memberships/", edit_views.memberships_edit, name="edit_memberships"),
    path(
        "<slug:slug>/edit/memberships/<int:pk>/delete/",
        edit_views.membership_delete,
        name="delete_membership",
    ),
    path("<slug:slug>/edit/staff/", account_views.staff, name="edit_staff"),
    path("<slug:slug>/edit/staff/invite/", account_views.invite, name="invite"),
    path(
        "<slug:slug>/edit/staff/invitations/<int:pk>/revoke/",
        account_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "<slug:slug>/edit/staff/<int:pk>/remove/",
        account_views.staff_remove,
        name="staff_remove",
    ),
    path(
        "<slug:slug>/edit/staff/requests/<int:pk>/",
        account_views.join_request_decide,
        name="join_request_decide",
    ),
    path("<slug:slug>/history/", edit_views.history, name="history"),
    path("<slug:slug>/history/revert/", edit_views.history_revert_view, name="history_revert"),
    path("<slug:slug>/join/", account_views.join_request_new, name="join"),
    path("<slug:slug>/report/", account_views.report_problem, name="report"),
]
