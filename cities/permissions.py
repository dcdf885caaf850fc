"""Who may do what with cities and organisations: the one place views, templates, exports and
the API ask.

The access rule, the same in every app: a view (or the view decorator it uses) asks this
module first — ``get_*_for_*`` loads the object and raises 404 (unknown, or not to be known)
or 403; ``can_*`` / ``is_*`` predicates take the user first and never raise — and only then
calls a service, which trusts its arguments and says so in its docstring. Lists ask the
queryset forms of the same predicates (``cities_visible_to``); nothing has a second set of
rules."""

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from .choices import ContactVisibility
from .models import (
    City,
    CityStaff,
    Membership,
    Official,
    Organisation,
    OrganisationCurator,
    StaffRole,
)

UserLike = User | AnonymousUser


def is_site_admin(user: UserLike) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def is_city_staff(user: UserLike, city: City) -> bool:
    """Editor or admin of ``city`` (site admins count too)."""
    if not user.is_authenticated:
        return False
    return is_site_admin(user) or CityStaff.objects.filter(user=user, city=city).exists()


def is_city_admin(user: UserLike, city: City) -> bool:
    if not user.is_authenticated:
        return False
    return (
        is_site_admin(user)
        or CityStaff.objects.filter(user=user, city=city, role=StaffRole.ADMIN).exists()
    )


def is_curator_of_city(user: UserLike, city: City) -> bool:
    """Curator of an organisation that ``city`` is a member of."""
    if not user.is_authenticated:
        return False
    curated = OrganisationCurator.objects.filter(user=user).values("organisation")
    return Membership.objects.filter(city=city, organisation__in=curated).exists()


def can_edit_city(user: UserLike, city: City) -> bool:
    return is_city_staff(user, city) or is_curator_of_city(user, city)


def can_view_city(user: UserLike, city: City) -> bool:
    """Unpublished profiles are seen only by those who keep or curate them."""
    return city.is_published or can_edit_city(user, city)


def cities_visible_to(user: UserLike) -> QuerySet[City]:
    """The queryset form of ``can_view_city``: published cities, plus the unpublished ones
    ``user`` keeps or curates (every city for a site admin).

    Every list of cities asks this — search results, the map and the CSV export, suggested
    partners, climate twins, initiatives' partner cities, programmes' city lists, the digest —
    so no list shows a city its profile would refuse (docs/accounts.md, "Who sees what")."""
    if is_site_admin(user):
        return City.objects.all()
    visible = Q(is_published=True)
    if user.is_authenticated:
        curated = OrganisationCurator.objects.filter(user=user).values("organisation")
        visible |= Q(pk__in=CityStaff.objects.filter(user=user).values("city")) | Q(
            pk__in=Membership.objects.filter(organisation__in=curated).values("city")
        )
    return City.objects.filter(visible)


def public_cities() -> QuerySet[City]:
    """``cities_visible_to`` an anonymous visitor. For what is shown to everyone alike:
    fragments cached for all visitors (directory results, a profile's suggestions) and what is
    computed once for everyone (stored suggestions)."""
    return cities_visible_to(AnonymousUser())


def can_see_contact(user: UserLike, official: Official) -> bool:
    """Whether ``user`` may see the e-mail and phone of ``official``."""
    if official.contact_visibility == ContactVisibility.PUBLIC:
        return True
    if official.contact_visibility == ContactVisibility.MEMBERS:
        return bool(user.is_authenticated)
    return can_edit_city(user, official.city)


def get_city_for_editor(user: UserLike, slug: str) -> City:
    """The city with ``slug`` if ``user`` may edit it: 404 if unknown, 403 if not allowed."""
    city = get_object_or_404(City, slug=slug)
    if not can_edit_city(user, city):
        raise PermissionDenied
    return city


def get_city_for_viewer(user: UserLike, slug: str) -> City:
    """The city with ``slug`` if ``user`` may see it; an unpublished city is a 404 to others."""
    city = get_object_or_404(City, slug=slug)
    if not can_view_city(user, city):
        from django.http import Http404

        raise Http404
    return city


# --- roles added with accounts and curation --------------------------------------------------


def curated_organisations(user: UserLike):
    """The organisations ``user`` curates (all of them for a site admin)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if is_site_admin(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(curators__user=user)


def is_curator(user: UserLike) -> bool:
    """Curates at least one organisation (shows the Curation link)."""
    if not user.is_authenticated:
        return False
    return is_site_admin(user) or OrganisationCurator.objects.filter(user=user).exists()


def is_organisation_curator(user: UserLike, organisation: Organisation) -> bool:
    if not user.is_authenticated:
        return False
    return (
        is_site_admin(user)
        or OrganisationCurator.objects.filter(user=user, organisation=organisation).exists()
    )


def can_curate_city(user: UserLike, city: City) -> bool:
    """Verify, unpublish, revert history: curators of the city's organisations, site admins."""
    return is_site_admin(user) or is_curator_of_city(user, city)


def can_curate_city_for(user: UserLike, city: City, organisation: Organisation) -> bool:
    """Act for ``organisation`` on ``city``: curator of it, and ``city`` is its member."""
    return (
        is_organisation_curator(user, organisation)
        and Membership.objects.filter(city=city, organisation=organisation).exists()
    )


def can_manage_city_staff(user: UserLike, city: City) -> bool:
    """Invite staff, decide join requests: the city's admins and its curators."""
    return is_city_admin(user, city) or can_curate_city(user, city)


def can_manage_membership(user: UserLike, organisation: Organisation) -> bool:
    """Add a city to, or remove it from, ``organisation``: only its curators decide."""
    return is_organisation_curator(user, organisation)


def can_end_membership(user: UserLike, city: City, organisation) -> bool:
    """End ``city``'s membership in ``organisation``: the city's staff (leaving) or the
    organisation's curators. ``organisation`` may be an Organisation or its id."""
    return is_city_staff(user, city) or can_manage_membership(user, organisation)


# City fields that change only their own way: a curator verifies for their organisation, a
# curator of the city (un)publishes it. The profile fields are CITY_EDITABLE_FIELDS (the
# profile form and the curators' import); everything else comes from GeoNames or the admin.
VERIFICATION_FIELDS = frozenset({"verification_status", "verified_by_id", "verified_at"})
PUBLICATION_FIELDS = frozenset({"is_published"})


def can_change_city_fields(
    user: UserLike, city: City, fields, *, verifying_organisations=()
) -> bool:
    """Whether ``user`` may change these fields (attribute names) of ``city`` directly:
    profile fields as its editor, publication as its curator, the verification only as a
    curator of every organisation it names (``verifying_organisations``: the verifier before
    and after, ids or objects; none named — site admins only), any other field as site admin."""
    from .editing.services import CITY_EDITABLE_FIELDS

    fields = set(fields)
    if is_site_admin(user):
        return True
    if fields - VERIFICATION_FIELDS - PUBLICATION_FIELDS - set(CITY_EDITABLE_FIELDS):
        return False
    if not can_edit_city(user, city):
        return False
    if fields & PUBLICATION_FIELDS and not can_curate_city(user, city):
        return False
    if fields & VERIFICATION_FIELDS:
        verifiers = {o for o in verifying_organisations if o is not None}
        return bool(verifiers) and all(can_curate_city_for(user, city, o) for o in verifiers)
    return True


def can_revert_change(
    user: UserLike, city: City, *, kind: str, action: str, fields=(), organisations=()
) -> bool:
    """Undo one recorded change of ``city``'s profile (the history's revert).

    Reverting is a curator's tool (``can_curate_city``), and it needs the same permission as
    making the resulting change directly — a curator of one organisation cannot add, end or
    alter a membership in another, nor undo another organisation's verification, through the
    history. ``kind`` is the history key (city, official, challenge, initiative, membership);
    ``action`` what the revert does: "delete" (undo a creation), "restore" (undo a deletion)
    or "change"; ``fields`` the attribute names it sets; ``organisations`` the organisations
    the record names (a membership's organisation, a city's verifier), before and after.
    """
    if not can_curate_city(user, city):
        return False
    if kind == "city":
        return can_change_city_fields(user, city, fields, verifying_organisations=organisations)
    if "city_id" in fields:  # would move the item to another city
        return is_site_admin(user)
    if kind == "membership":
        named = {o for o in organisations if o is not None}
        if not named:
            return is_site_admin(user)
        if action == "delete":
            return all(can_end_membership(user, city, o) for o in named)
        return all(can_manage_membership(user, o) for o in named)
    return can_edit_city(user, city)


def get_city_for_staff_manager(user: UserLike, slug: str) -> City:
    city = get_object_or_404(City, slug=slug)
    if not can_manage_city_staff(user, city):
        raise PermissionDenied
    return city


def get_organisation_for_curator(user: UserLike, slug: str) -> Organisation:
    """The organisation with ``slug`` if ``user`` curates it: 404 if unknown, 403 if not."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not is_organisation_curator(user, organisation):
        raise PermissionDenied
    return organisation
