"""Who may see and organise a programme: the one place views and templates ask.

- Published and completed programmes are public; drafts are seen only by their organisers
  and site admins (to anyone else a draft is a 404).
- Organisers (and site admins) edit their own programmes.
- A participant sees their own schedule through a private link carrying their token (sent
  with the invitation; organisers can copy it). The link needs no account, because many
  visiting officials have none; it shows one person's schedule and lets them state wishes.
  Signed-in staff of a participant's city find the same links on the programme page.
- Public pages never show e-mail addresses or phone numbers of participants.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from cities.permissions import UserLike, is_site_admin
from partnerships.models import Participant, Programme, ProgrammeStatus


def is_organiser(user: UserLike, programme: Programme) -> bool:
    if not user.is_authenticated:
        return False
    return is_site_admin(user) or programme.organisers.filter(pk=user.pk).exists()


def can_view_programme(user: UserLike, programme: Programme) -> bool:
    return programme.status != ProgrammeStatus.DRAFT or is_organiser(user, programme)


def can_edit_programme(user: UserLike, programme: Programme) -> bool:
    return is_organiser(user, programme)


def can_create_programme(user: UserLike) -> bool:
    """Any signed-in member may start a programme; it stays a private draft until published."""
    return bool(user.is_authenticated and user.is_active)


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
