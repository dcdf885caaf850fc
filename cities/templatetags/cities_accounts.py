"""Template tags for accounts and curation: the profile's action links and the Curation
link in the navigation. They ask cities.permissions, like the views do."""

from django import template

from .. import permissions

register = template.Library()


@register.inclusion_tag("cities/accounts/_city_actions.html", takes_context=True)
def city_actions(context, city):
    """Links a person may follow on a city profile: edit, history, staff, curation actions,
    ask to join, report a problem. No query for visitors, two for signed-in people (their
    role at the city; the city's organisations they curate) — the same answers as
    ``can_edit_city`` and ``can_manage_city_staff``."""
    from ..models import CityStaff, Organisation, StaffRole

    request = context["request"]
    user = request.user
    role = None
    curated: list = []
    if user.is_authenticated:
        role = CityStaff.objects.filter(user=user, city=city).values_list("role", flat=True).first()
        organisations = Organisation.objects.filter(memberships__city=city)
        if not permissions.is_site_admin(user):
            organisations = organisations.filter(curators__user=user)
        curated = list(organisations)
    site_admin = permissions.is_site_admin(user)
    return {
        "city": city,
        "user": user,
        "can_edit": site_admin or role is not None or bool(curated),
        "can_manage_staff": site_admin or role == StaffRole.ADMIN or bool(curated),
        "curated": curated,
        "can_join": user.is_authenticated and role is None,
        "request": request,
    }


@register.simple_tag(takes_context=True)
def is_curator(context) -> bool:
    """Whether to show the Curation link; asked once per request. The error pages render this
    for requests refused before the authentication middleware ran (an unknown ``Host``): no
    ``request.user`` there, so no link."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return False
    if not hasattr(request, "_is_curator"):
        request._is_curator = permissions.is_curator(user)
    return request._is_curator


@register.simple_tag(takes_context=True)
def my_cities(context) -> list:
    """The cities the signed-in person keeps, for the header's "My city" link: at most two
    (one links to its profile, more to the dashboard's list); one query per request."""
    from ..models import City

    request = context.get("request")
    user = getattr(request, "user", None)  # none on a page refused before authentication
    if user is None or not user.is_authenticated:
        return []
    if not hasattr(request, "_my_cities"):
        request._my_cities = list(
            City.objects.filter(staff__user=user).order_by("name", "pk").only("slug")[:2]
        )
    return request._my_cities
