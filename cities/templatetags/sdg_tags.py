"""SDG goals by number, named in the active language (cities/reference.py)."""

from django import template

from cities.reference import sdg_goals

register = template.Library()


@register.inclusion_tag("cities/_sdg_badges.html")
def sdg_badges(numbers):
    """Badges "SDG 11 · Sustainable cities and communities" for the goals in ``numbers``
    (numbers that are not goals are left out); the full goal is the tooltip."""
    try:
        goals = sdg_goals(list(numbers or []))
    except TypeError:
        goals = []
    return {"goals": goals}
