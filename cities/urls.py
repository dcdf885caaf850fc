from django.urls import path

from . import views
from .climate import views as climate_views

app_name = "cities"

urlpatterns: list = [
    path("", views.city_list, name="list"),
    path("map.json", views.map_data, name="map_data"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("<slug:slug>/", views.city_detail, name="detail"),
    path("<slug:slug>/climate/", climate_views.city_climate, name="climate"),
    path(
        "<slug:slug>/climate/compare/<slug:other_slug>/",
        climate_views.climate_compare,
        name="climate_compare",
    ),
]
