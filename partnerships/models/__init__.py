"""Partnership models, one module per area; import them from here."""

from .funding import CallType, FundingProgramme, FundingProgrammeQuerySet
from .programmes import (
    AgendaItem,
    AgendaItemKind,
    Delegation,
    HostStatus,
    Meeting,
    MeetingSlot,
    MeetingWish,
    Participant,
    ParticipantSide,
    ParticipantStatus,
    Programme,
    ProgrammeHostOrganisation,
    ProgrammeOrganiserRole,
    ProgrammeStatus,
    WishSource,
)
from .registry import (
    Partnership,
    PartnershipActivity,
    PartnershipActivityKind,
    PartnershipSource,
    PartnershipStatus,
)
from .requests import OPEN_STATUSES, PartnershipRequest, RequestEvent, RequestStatus
from .suggestions import MatchSuggestion, MatchSuggestionQuerySet

__all__ = [
    "CallType",
    "FundingProgramme",
    "FundingProgrammeQuerySet",
    "AgendaItem",
    "AgendaItemKind",
    "Delegation",
    "HostStatus",
    "Meeting",
    "MeetingSlot",
    "MeetingWish",
    "Participant",
    "ParticipantSide",
    "ParticipantStatus",
    "Programme",
    "ProgrammeHostOrganisation",
    "ProgrammeOrganiserRole",
    "ProgrammeStatus",
    "WishSource",
    "OPEN_STATUSES",
    "MatchSuggestion",
    "MatchSuggestionQuerySet",
    "PartnershipRequest",
    "RequestEvent",
    "RequestStatus",
    "Partnership",
    "PartnershipActivity",
    "PartnershipActivityKind",
    "PartnershipSource",
    "PartnershipStatus",
]
