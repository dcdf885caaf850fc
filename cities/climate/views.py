"""The climate page of a city and the climate comparison of two cities. Read-only."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cities.models import City
from cities.permissions import can_view_city, cities_visible_to

from . import core, regions, selectors, twins
from .chart import climate_chart

TOP = 10


def _viewable_city(user, slug: str) -> City:
    """The city with its climate (one query); 404 when unknown or not viewable by ``user``."""
    city = get_object_or_404(City.objects.select_related("climate"), slug=slug)
    if not can_view_city(user, city):
        raise Http404
    return city


def _options(request) -> tuple[core.Scenario, int, list[str]]:
    """Warming level or scenario and minimum population from the query string, and the
    messages for values that are not valid (the view then answers 400 with the form)."""
    errors = []
    scenario = core.WARMING_LEVELS[core.DEFAULT_WARMING_KEY]
    try:
        scenario = core.scenario_for(request.GET.get("warming"))
    except core.UnknownWarmingLevel as exc:
        errors.append(
            _(
                "Unknown warming level or scenario “%(value)s”. Choose one of: %(valid)s "
                "(warming levels in °C above 1850–1900)."
            )
            % {"value": exc.value, "valid": ", ".join(exc.valid)}
        )
    raw = request.GET.get("population") or "0"
    min_population = 0
    try:
        min_population = int(raw)
        if min_population not in selectors.POPULATION_CHOICES:
            raise ValueError
    except ValueError:
        min_population = 0
        errors.append(
            _("Unknown population filter “%(value)s”; choose one of %(valid)s.")
            % {"value": raw[:40], "valid": ", ".join(map(str, selectors.POPULATION_CHOICES))}
        )
    return scenario, min_population, errors


def _scenario_groups() -> list[tuple[str, list[core.Scenario]]]:
    """The choices as the form shows them: scenarios first, then bare warming levels."""
    choices = list(core.WARMING_LEVELS.values())
    return [
        (_("Emissions scenarios (CMIP6 models)"), [s for s in choices if s.is_scenario]),
        (_("Global warming levels"), [s for s in choices if not s.is_scenario]),
    ]


def _chart(present, projected):
    return climate_chart(
        {"present": present.temperature, "projected": projected.temperature},
        present.precipitation,
        bands={"projected": (projected.temperature_low, projected.temperature_high)},
    )


@require_safe
def city_climate(request, slug):
    """/cities/<slug>/climate/: normals, Köppen class, projection and both twin lists.
    An unknown warming level or population filter answers 400 with the form and the message."""
    city = _viewable_city(request.user, slug)
    scenario, min_population, errors = _options(request)
    climate = selectors.city_climate_or_none(city)
    context = {
        "city": city,
        "climate": climate,
        "scenario": scenario,
        "scenario_groups": _scenario_groups(),
        "population_choices": selectors.POPULATION_CHOICES,
        "min_population": min_population,
        "errors": errors,
        "good_twin_max_distance": core.GOOD_TWIN_MAX_DISTANCE,
    }
    if errors:
        return render(request, "cities/climate.html", context, status=400)
    if climate is not None:
        present, projected = selectors.present_and_projected(climate, city.latitude, scenario)
        twin_options = {
            "scenario": scenario,
            "top": TOP,
            "min_population": min_population,
            "visible": cities_visible_to(request.user),
        }
        future = selectors.city_climate_twins(city, direction=twins.FUTURE, **twin_options)
        past = selectors.city_climate_twins(city, direction=twins.PAST, **twin_options)
        region = selectors.climate_region(climate)
        context.update(
            present=present,
            projected=projected,
            region=region,
            region_label=regions.region_label(region, _),
            chart=_chart(present, projected),
            monthly_rows=[
                (MONTHS[m + 1], t, ft, low, high, p, fp)
                for m, (t, ft, low, high, p, fp) in enumerate(
                    zip(
                        present.temperature,
                        projected.temperature,
                        projected.temperature_low,
                        projected.temperature_high,
                        present.precipitation,
                        projected.precipitation,
                        strict=True,
                    )
                )
            ],
            future_twins=future,
            past_twins=past,
            future_has_good=any(t.is_good for t in future),
            past_has_good=any(t.is_good for t in past),
            provenance=selectors.dataset_provenance(),
        )
    return render(request, "cities/climate.html", context)


@require_safe
def climate_compare(request, slug, other_slug):
    """/cities/<slug>/climate/compare/<other>/: A at the warming level next to B today."""
    city = _viewable_city(request.user, slug)
    other = _viewable_city(request.user, other_slug)
    scenario, _population, errors = _options(request)
    a_climate = selectors.city_climate_or_none(city)
    b_climate = selectors.city_climate_or_none(other)
    context = {
        "city": city,
        "other": other,
        "scenario": scenario,
        "scenario_groups": _scenario_groups(),
        "errors": errors,
        "missing": [c for c, k in ((city, a_climate), (other, b_climate)) if k is None],
        "good_twin_max_distance": core.GOOD_TWIN_MAX_DISTANCE,
    }
    if errors:
        return render(request, "cities/climate_compare.html", context, status=400)
    if not context["missing"]:
        a_present, a_projected = selectors.present_and_projected(a_climate, city.latitude, scenario)
        b_present, _b = selectors.present_and_projected(b_climate, other.latitude, scenario)
        context.update(
            a_present=a_present,
            a_projected=a_projected,
            b_present=b_present,
            chart=climate_chart(
                {"compare-a": a_projected.temperature, "compare-b": b_present.temperature},
                b_present.precipitation,
                bands={"projected": (a_projected.temperature_low, a_projected.temperature_high)},
            ),
            comparison=selectors.pair_comparison(city, other, scenario=scenario),
            provenance=selectors.dataset_provenance(),
        )
    return render(request, "cities/climate_compare.html", context)
