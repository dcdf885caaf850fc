from django.urls import path

from . import views

app_name = "cities"

urlpatterns: list = [
    path("", views.city_list, name="list"),
    path("map.json", views.map_data, name="map_data"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("<slug:slug>/", views.city_detail, name="detail"),
]
