"""The profile page's "Suggested partner cities" section: the city's best partners."""

from django import template

from ..matching.services import profile_suggestions

register = template.Library()


@register.inclusion_tag("partnerships/_city_suggestions_list.html")
def city_suggestions(city):
    """The city's top suggestions as the public sees them (the section is cached for every
    visitor alike): its stored rows (one query; the reasons worded now, in the reader's
    language), or — for a city without stored rows — the same ranking its matches page
    computes (``matching.services.profile_suggestions``)."""
    return {"city": city, "result": profile_suggestions(city)}
