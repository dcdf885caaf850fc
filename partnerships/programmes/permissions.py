"""Who may see and organise a programme: the one place views and templates ask.

The access rule (as in cities.permissions): a view — or the organiser-action decorator in
views.py, which calls ``get_programme_for_organiser`` — asks this module first; the services
in services.py trust their arguments.

- Creating and running programmes needs the programme organiser role
  (``ProgrammeOrganiserRole``), granted by a site admin or by an organisation's curators for
  their organisation. Someone who loses the role loses their organiser pages too.
- Published and completed programmes are public; drafts are seen only by their organisers
  and site admins (to anyone else a draft is a 404).
- Organisers (and site admins) edit their own programmes.
- An organisation named as host is shown as host only once its curators confirm; they
  decide on their organisation's hosting page.
- A participant sees their own schedule through a private link carrying their token (sent
  with the invitation; organisers can copy it). The link needs no account, because many
  visiting officials have none; it shows one person's schedule and lets them state wishes.
  Signed-in staff of a participant's city find the same links on the programme page.
- Public pages never show e-mail addresses or phone numbers of participants.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from cities.models import Organisation
from cities.permissions import UserLike, is_organisation_curator, is_site_admin
from partnerships.models import Participant, Programme, ProgrammeOrganiserRole, ProgrammeStatus


def holds_organiser_role(user: UserLike) -> bool:
    """Holds the programme organiser role (from the portal or an organisation), or is a site
    admin."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_site_admin(user) or ProgrammeOrganiserRole.objects.filter(user=user).exists()


def is_organiser(user: UserLike, programme: Programme) -> bool:
    """One of ``programme``'s organisers who still holds the role, or a site admin."""
    if not user.is_authenticated:
        return False
    if is_site_admin(user):
        return True
    return (
        programme.organisers.filter(pk=user.pk).exists()
        and ProgrammeOrganiserRole.objects.filter(user=user).exists()
    )


def can_view_programme(user: UserLike, programme: Programme) -> bool:
    return programme.status != ProgrammeStatus.DRAFT or is_organiser(user, programme)


def can_edit_programme(user: UserLike, programme: Programme) -> bool:
    return is_organiser(user, programme)


def can_create_programme(user: UserLike) -> bool:
    """Only holders of the programme organiser role start programmes (a self-registered
    account cannot); a new programme stays a private draft until published."""
    return holds_organiser_role(user)


def can_grant_organiser_role(user: UserLike, organisation: Organisation) -> bool:
    """Grant or revoke the organiser role for ``organisation``: its curators, site admins."""
    return is_organisation_curator(user, organisation)


def can_decide_hosting(user: UserLike, organisation: Organisation) -> bool:
    """Confirm or decline hosting a programme for ``organisation``: its curators."""
    return is_organisation_curator(user, organisation)


def get_organisation_for_role_granter(user: UserLike, slug: str) -> Organisation:
    """404 for an unknown organisation, 403 for someone who may not grant its role."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can_grant_organiser_role(user, organisation):
        raise PermissionDenied
    return organisation


def get_organisation_for_host_decider(user: UserLike, slug: str) -> Organisation:
    """404 for an unknown organisation, 403 for someone who may not decide for it."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can_decide_hosting(user, organisation):
        raise PermissionDenied
    return organisation


def own_participants(user: UserLike, participants) -> list[Participant]:
    """The participants whose city ``user`` keeps (city staff act for their officials): they
    get the links to those participants' schedules without holding the private links."""
    if not user.is_authenticated:
        return []
    if is_site_admin(user):
        return []  # admins reach every schedule through the organiser pages
    from cities.models import CityStaff

    cities = set(CityStaff.objects.filter(user=user).values_list("city_id", flat=True))
    return [p for p in participants if p.city_id in cities]


def get_programme_for_viewer(user: UserLike, slug: str, queryset=None) -> Programme:
    programme = get_object_or_404(
        queryset if queryset is not None else Programme.objects.all(), slug=slug
    )
    if not can_view_programme(user, programme):
        raise Http404
    return programme


def get_programme_for_organiser(user: UserLike, slug: str) -> Programme:
    """404 for a draft the user may not know of, 403 for a visible programme not theirs."""
    programme = get_programme_for_viewer(user, slug)
    if not can_edit_programme(user, programme):
        raise PermissionDenied
    return programme


def get_participant_by_token(slug: str, token: str) -> Participant:
    """The participant whose private link this is; a wrong token is a 404."""
    return get_object_or_404(
        Participant.objects.select_related("programme", "city", "organisation"),
        programme__slug=slug,
        token=token,
    )
