"""Who may do what with partnerships and partnership requests: the one place views, templates
and the API ask.

The access rule (as in cities.permissions): a view asks this module first — ``get_*_for_*``
raises 404 (unknown, or not to be known) or 403; predicates take the user first and never
raise — then calls a service, which trusts its arguments.

Visibility of partnerships (also in docs/requests.md):
- anonymous visitors see active partnerships between published cities only;
- signed-in users also see dormant and ended ones (history of published cities);
- proposed partnerships, and partnerships of an unpublished city, are seen only by the staff
  of either city, curators of either city and site admins.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from cities.models import City, CityStaff, Membership, OrganisationCurator
from cities.permissions import is_city_staff, is_curator_of_city, is_site_admin

from .models import Partnership, PartnershipRequest, PartnershipStatus

UserLike = User | AnonymousUser


def staffed_cities(user: UserLike) -> QuerySet[City]:
    """Cities ``user`` may act for (site admins: none implicitly — they pick any city)."""
    if not user.is_authenticated:
        return City.objects.none()
    return City.objects.filter(staff__user=user).order_by("name")


def curated_cities(user: UserLike) -> QuerySet[City]:
    """Member cities of the organisations ``user`` curates."""
    if not user.is_authenticated:
        return City.objects.none()
    organisations = OrganisationCurator.objects.filter(user=user).values("organisation")
    return City.objects.filter(
        pk__in=Membership.objects.filter(organisation__in=organisations).values("city")
    )


def can_send_request_for(user: UserLike, city: City) -> bool:
    """Only staff of a city send requests on its behalf (and see its outbox)."""
    return is_city_staff(user, city)


def can_view_request(user: UserLike, request: PartnershipRequest) -> bool:
    """Staff of either city, curators of either city (read-only) and site admins."""
    if not user.is_authenticated:
        return False
    if is_site_admin(user):
        return True
    cities = [request.from_city_id, request.to_city_id]
    if CityStaff.objects.filter(user=user, city_id__in=cities).exists():
        return True
    return curated_cities(user).filter(pk__in=cities).exists()


def can_answer_request(user: UserLike, request: PartnershipRequest) -> bool:
    """Accept or decline: staff of the addressed city only."""
    return is_city_staff(user, request.to_city)


def can_withdraw_request(user: UserLike, request: PartnershipRequest) -> bool:
    return is_city_staff(user, request.from_city)


def is_partnership_insider(user: UserLike, partnership: Partnership) -> bool:
    """Staff or curator of either city, or a site admin."""
    return any(
        is_city_staff(user, city) or is_curator_of_city(user, city)
        for city in (partnership.city_a, partnership.city_b)
    )


def can_view_partnership(user: UserLike, partnership: Partnership) -> bool:
    public = partnership.city_a.is_published and partnership.city_b.is_published
    if public and partnership.status == PartnershipStatus.ACTIVE:
        return True
    if public and user.is_authenticated and partnership.status != PartnershipStatus.PROPOSED:
        return True
    return bool(user.is_authenticated) and is_partnership_insider(user, partnership)


def can_add_activity(user: UserLike, partnership: Partnership) -> bool:
    """Staff of either city record what the partners did together."""
    return is_city_staff(user, partnership.city_a) or is_city_staff(user, partnership.city_b)


def partnerships_visible_to(user: UserLike) -> QuerySet[Partnership]:
    """The queryset form of ``can_view_partnership`` (one query, no per-row checks)."""
    public_pair = Q(city_a__is_published=True, city_b__is_published=True)
    if is_site_admin(user):
        return Partnership.objects.all()
    if not user.is_authenticated:
        return Partnership.objects.filter(public_pair, status=PartnershipStatus.ACTIVE)
    own_ids = {
        *staffed_cities(user).values_list("pk", flat=True),
        *curated_cities(user).values_list("pk", flat=True),
    }
    return Partnership.objects.filter(
        (public_pair & ~Q(status=PartnershipStatus.PROPOSED))
        | Q(city_a__in=own_ids)
        | Q(city_b__in=own_ids)
    )


def get_partnership_for_viewer(user: UserLike, pk: int) -> Partnership:
    partnership = get_object_or_404(Partnership.objects.select_related("city_a", "city_b"), pk=pk)
    if not can_view_partnership(user, partnership):
        raise Http404
    return partnership


def get_request_for_viewer(user: UserLike, pk: int) -> PartnershipRequest:
    """A request is a 404 to anyone who may not see it: its existence is not public."""
    request = get_object_or_404(
        PartnershipRequest.objects.select_related("from_city", "to_city", "sender"), pk=pk
    )
    if not can_view_request(user, request):
        raise Http404
    return request
