"""The climate section of a city profile: class, key figures and the nearest future twin."""

from django import template

from cities.climate import core, selectors, twins

register = template.Library()


@register.filter
def scenario_label(scenario) -> str:
    """The scenario's label in the active language, its level in that language's number
    format ("+2,8 °C ≈ …" in German)."""
    return selectors.scenario_label(scenario)


@register.inclusion_tag("cities/_city_climate_summary.html")
def city_climate_summary(city):
    """At most five queries: the climate row, the array-cache check, the candidate filter and
    the twin's row (the first call per process also loads all cities' normals once)."""
    climate = selectors.city_climate_or_none(city)
    context = {"city": city, "climate": climate}
    if climate is None:
        return context
    scenario = core.WARMING_LEVELS[core.DEFAULT_WARMING_KEY]
    present, projected = selectors.present_and_projected(climate, city.latitude, scenario)
    nearest = selectors.city_climate_twins(city, scenario=scenario, direction=twins.FUTURE, top=1)
    context.update(
        present=present,
        projected=projected,
        scenario=scenario,
        twin=nearest[0] if nearest else None,
    )
    return context
