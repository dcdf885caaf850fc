"""The profile page's "Suggested partner cities" section: the city's top stored suggestions."""

from django import template

from partnerships.models import MatchSuggestion

register = template.Library()

PROFILE_SUGGESTIONS = 5


@register.inclusion_tag("partnerships/_city_suggestions_list.html")
def city_suggestions(city):
    """Top stored suggestions of ``city`` (one query), published cities only."""
    suggestions = list(
        MatchSuggestion.objects.for_city(city).filter(suggested_city__is_published=True)[
            :PROFILE_SUGGESTIONS
        ]
    )
    return {"city": city, "suggestions": suggestions}
