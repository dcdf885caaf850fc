"""Template tags for accounts and curation: the profile's action links and the Curation
link in the navigation. They ask cities.permissions, like the views do."""

from django import template

from .. import permissions

register = template.Library()


@register.inclusion_tag("accounts/_city_actions.html", takes_context=True)
def city_actions(context, city):
    """Links a person may follow on a city profile: edit, history, staff, curation actions,
    ask to join, report a problem. A bounded number of queries (one per predicate)."""
    user = context["request"].user
    can_edit = permissions.can_edit_city(user, city)
    curated = []
    if user.is_authenticated:
        curated = [
            m.organisation
            for m in city.memberships.select_related("organisation")
            if permissions.is_organisation_curator(user, m.organisation)
        ]
    is_staff = user.is_authenticated and city.staff.filter(user=user).exists()
    return {
        "city": city,
        "user": user,
        "can_edit": can_edit,
        "can_manage_staff": can_edit and permissions.can_manage_city_staff(user, city),
        "curated": curated,
        "can_join": user.is_authenticated and not is_staff,
        "request": context["request"],
    }


@register.simple_tag(takes_context=True)
def is_curator(context) -> bool:
    request = context.get("request")
    return bool(request and permissions.is_curator(request.user))
