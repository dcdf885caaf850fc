"""Partnership models, one module per area; import them from here."""

from .registry import (
    Partnership,
    PartnershipActivity,
    PartnershipActivityKind,
    PartnershipSource,
    PartnershipStatus,
)

__all__ = [
    "Partnership",
    "PartnershipActivity",
    "PartnershipActivityKind",
    "PartnershipSource",
    "PartnershipStatus",
]
