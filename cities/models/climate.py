"""Monthly climate normals of a city, derived from ERA5 (2000–2025) by cities.climate."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .directory import City


class CityClimate(models.Model):
    """Present-day monthly normals and Köppen–Geiger class of one city.

    Filled by ``cities.climate.services`` from the committed dataset at the city's coordinates;
    ``latitude``/``longitude`` record the coordinates it was assigned for, so a change of the
    city's coordinates is noticed and the normals reassigned.
    """

    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="climate")
    temperature_c = models.JSONField(_("monthly mean temperature (°C)"))
    precipitation_mm = models.JSONField(_("monthly precipitation (mm)"))
    koppen = models.CharField(_("Köppen–Geiger class"), max_length=3, db_index=True)
    source = models.CharField(_("source"), max_length=200)
    period = models.CharField(_("period"), max_length=20, default="2000-2025")
    latitude = models.FloatField(_("latitude assigned for"))
    longitude = models.FloatField(_("longitude assigned for"))
    cell_latitude = models.FloatField(_("grid cell latitude"))
    cell_longitude = models.FloatField(_("grid cell longitude"))
    assigned_at = models.DateTimeField(_("assigned at"), auto_now=True)

    class Meta:
        verbose_name = _("city climate")
        verbose_name_plural = _("city climates")

    def __str__(self) -> str:
        return f"{self.city_id}: {self.koppen}"
