"""Who may do what with funding programmes: the one place views and templates ask.

The access rule (as in cities.permissions): a view asks this module first; the services trust
their arguments.

- Everyone (also anonymous visitors) reads the programmes and checks any pair of published
  cities: the data is public, and so is what the directory says about cities.
- Curators (of any organisation) and site admins add, edit and mark programmes as checked.
  Site admins also have the Django admin, with the change history.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from cities.permissions import UserLike, is_curator
from partnerships.models import FundingProgramme


def can_curate_funding(user: UserLike) -> bool:
    return bool(user.is_authenticated and user.is_active and is_curator(user))


def get_programme_for_curator(user: UserLike, slug: str) -> FundingProgramme:
    """404 for an unknown programme, 403 for someone who may not curate programmes."""
    programme = get_object_or_404(FundingProgramme, slug=slug)
    if not can_curate_funding(user):
        raise PermissionDenied
    return programme
