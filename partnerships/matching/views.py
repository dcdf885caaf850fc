"""The matches page: suggested partners of one city, with weights and filters (GET only).

Suggestions derive only from public profile data, so the page is public like the profile:
anyone who may see the city (``cities.permissions.can_view_city``) may see its matches. What
the page lists asks the same predicates as the registry and the directory: suggested cities
are those the visitor may see (``cities_visible_to``), existing partners those whose
partnership the visitor may see (``partnerships_visible_to``).
"""

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from cities.permissions import cities_visible_to, get_city_for_viewer, is_city_staff
from partnerships.permissions import partnerships_visible_to

from . import services
from .forms import MatchQueryForm


def _request_url() -> str | None:
    try:
        return reverse("partnerships:request_new")
    except NoReverseMatch:
        return None


@require_GET
def matches(request, slug: str):
    city = get_city_for_viewer(request.user, slug)
    form = MatchQueryForm(request.GET or None)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        candidates = None
        if data["country"] or data["continent"] or data["open_only"]:
            candidates = cities_visible_to(request.user)
            if data["country"]:
                candidates = candidates.in_country(data["country"])
            if data["continent"]:
                candidates = candidates.filter(continent=data["continent"])
            if data["open_only"]:
                candidates = candidates.open_to_partnerships()
        result = services.match_city(
            city,
            top=data["top"] or 10,
            weights=data["weights"],
            candidates=candidates,
            exclude_partners=data["exclude_partners"],
            viewer=request.user,
        )
    partnerships = [
        (p, p.other(city))
        for p in partnerships_visible_to(request.user)
        .current()
        .involving(city)
        .select_related("city_a", "city_b")
        .order_by("pk")
    ]
    can_request = is_city_staff(request.user, city)
    return render(
        request,
        "partnerships/matches.html",
        {
            "city": city,
            "form": form,
            "result": result,
            "partnerships": partnerships,
            "request_url": _request_url() if can_request else None,
        },
    )
