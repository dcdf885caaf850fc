"""The profile page's "Suggested partner cities" section: the city's top stored suggestions."""

from django import template

from cities.permissions import public_cities
from partnerships.models import MatchSuggestion

register = template.Library()

PROFILE_SUGGESTIONS = 5


@register.inclusion_tag("partnerships/_city_suggestions_list.html")
def city_suggestions(city):
    """Top stored suggestions of ``city`` (one query), cities the public may see only: the
    section is cached for every visitor alike, and a city unpublished since the rows were
    stored drops out at once."""
    suggestions = list(
        MatchSuggestion.objects.for_city(city).filter(suggested_city__in=public_cities())[
            :PROFILE_SUGGESTIONS
        ]
    )
    return {"city": city, "suggestions": suggestions}
