from django.urls import include, path

from . import review_views, views
from .matching import views as matching_views

app_name = "partnerships"

urlpatterns: list = [
    # Registry and requests (docs/requests.md)
    path("partnerships/", views.partnership_list, name="list"),
    path("partnerships/map.json", views.partnership_map_data, name="map_data"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="detail"),
    path("partnerships/<int:pk>/activities/", views.activity_add, name="activity_add"),
    # Review of imported partnerships (docs/data.md)
    path("partnerships/review/", review_views.review_list, name="review"),
    path("partnerships/<int:pk>/confirm/", review_views.partnership_confirm, name="confirm"),
    path("partnerships/<int:pk>/correct/", review_views.partnership_correct, name="correct"),
    path("partnerships/<int:pk>/reject/", review_views.partnership_reject, name="reject"),
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
