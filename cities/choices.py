"""Vocabulary shared by both apps (kept free of model imports to avoid import cycles)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnershipKind(models.TextChoices):
    TWINNING = "twinning", _("Twinning / sister city")
    FRIENDSHIP = "friendship", _("Friendship")
    CONTACT = "contact", _("Contact")
    PROJECT = "project", _("Project partnership")
    CLIMATE = "climate", _("Climate partnership")
    PEER_LEARNING = "peer_learning", _("Peer-learning exchange")


class Continent(models.TextChoices):
    AFRICA = "AF", _("Africa")
    ASIA = "AS", _("Asia")
    EUROPE = "EU", _("Europe")
    NORTH_AMERICA = "NA", _("North America")
    OCEANIA = "OC", _("Oceania")
    SOUTH_AMERICA = "SA", _("South America")
    ANTARCTICA = "AN", _("Antarctica")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class ContactVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Signed-in members")
    HIDDEN = "hidden", _("Hidden")
