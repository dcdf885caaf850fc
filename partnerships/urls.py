from django.urls import include, path

from . import views
from .matching import views as matching_views

app_name = "partnerships"

urlpatterns: list = [
    # Registry and requests (docs/requests.md)
    path("partnerships/", views.partnership_list, name="list"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="detail"),
    path("partnerships/<int:pk>/activities/", views.activity_add, name="activity_add"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/inbox/", views.request_box, {"box": "inbox"}, name="inbox"),
    path("requests/outbox/", views.request_box, {"box": "outbox"}, name="outbox"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/accept/", views.request_accept, name="request_accept"),
    path("requests/<int:pk>/decline/", views.request_decline, name="request_decline"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    # Matching (docs/matching.md)
    path("cities/<slug:slug>/matches/", matching_views.matches, name="matches"),
    # Funding programmes and eligibility (docs/funding.md)
    path("", include("partnerships.funding.urls")),
    # Visitors programmes (docs/programmes.md)
    path("", include("partnerships.programmes.urls")),
]
