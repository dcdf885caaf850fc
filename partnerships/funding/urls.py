"""Funding URLs, included from partnerships/urls.py (namespace ``partnerships``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("funding/", views.funding_list, name="funding_list"),
    path("funding/check/", views.funding_check, name="funding_check"),
    path("funding/new/", views.funding_create, name="funding_create"),
    path("funding/<slug:slug>/", views.funding_detail, name="funding_detail"),
    path("funding/<slug:slug>/edit/", views.funding_edit, name="funding_edit"),
    path("funding/<slug:slug>/checked/", views.funding_mark_checked, name="funding_checked"),
]
