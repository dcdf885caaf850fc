"""Directory models, a module per area; import from here: ``from cities.models import City``."""

from .climate import CityClimate
from .directory import (
    Challenge,
    City,
    CityQuerySet,
    CityStaff,
    Initiative,
    InitiativeStatus,
    Membership,
    Official,
    OfficialRole,
    Organisation,
    OrganisationCurator,
    OrganisationKind,
    StaffRole,
    Theme,
    VerificationStatus,
    sdg_list_validator,
)

__all__ = [
    "Challenge",
    "City",
    "CityClimate",
    "CityQuerySet",
    "CityStaff",
    "Initiative",
    "InitiativeStatus",
    "Membership",
    "Official",
    "OfficialRole",
    "Organisation",
    "OrganisationCurator",
    "OrganisationKind",
    "StaffRole",
    "Theme",
    "VerificationStatus",
    "sdg_list_validator",
]
