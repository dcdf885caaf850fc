"""Directory pages: the list (with map and CSV export) and the city profile. Read-only."""

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.http import HttpResponseBadRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import selectors
from .filters import View
from .profile import profile_sections

PER_PAGE = 25


def _page(queryset, number):
    """The requested page, or ``None`` with a notice when the number is not usable.

    Paginator.count runs one ``COUNT(*)`` over the filtered rows. Most searches and narrow
    filters fit on the first page, so that page is read first (one row more than it shows):
    when everything fits, its length is the count and the second scan is saved.
    """
    if number in (None, "", "1"):
        head = list(queryset[: PER_PAGE + 1])
        if len(head) <= PER_PAGE:
            paginator = Paginator(head, PER_PAGE)
            return paginator.page(1), paginator, None
        paginator = Paginator(queryset, PER_PAGE)
        return Page(head[:PER_PAGE], 1, paginator), paginator, None
    paginator = Paginator(queryset, PER_PAGE)
    try:
        return paginator.page(number or 1), paginator, None
    except PageNotAnInteger:
        return paginator.page(1), paginator, _("The page number must be a whole number.")
    except EmptyPage:
        return None, paginator, _("There is no such page in these results.")


@require_safe
def city_list(request):
    """/cities/: filters, search, list or map. An HTMX request gets only the results part."""
    filterset = selectors.directory_filterset(request.GET)
    cities = selectors.directory_cities(filterset)
    is_map = filterset.is_valid() and filterset.display == View.MAP
    page = paginator = notice = None
    if not is_map:
        page, paginator, notice = _page(cities, request.GET.get("page"))
    context = {
        "filter": filterset,
        "form": filterset.form,
        "page": page,
        "paginator": paginator,
        "result_count": paginator.count if paginator else cities.count(),
        "page_notice": notice,
        "is_map": is_map,
        "current_view": View.MAP if is_map else View.LIST,
        "is_search": filterset.is_valid() and filterset.is_search,
        "fragment_cache_seconds": settings.FRAGMENT_CACHE_SECONDS,
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "cities/_results.html" if partial else "cities/list.html"
    response = render(request, template, context)
    # The same URL answers with a fragment or a page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def map_data(request):
    """The filtered cities as map points (JSON), at most ``MAP_POINTS_MAX``."""
    filterset = selectors.directory_filterset(request.GET)
    if not filterset.is_valid():
        return JsonResponse({"errors": filterset.errors.get_json_data()}, status=400)
    return JsonResponse(selectors.map_points(filterset))


@require_safe
def export_csv(request):
    """The filtered cities as CSV, public fields only, streamed."""
    filterset = selectors.directory_filterset(request.GET)
    if not filterset.is_valid():
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in filterset.errors.items()
        )
        return HttpResponseBadRequest(
            _("The filters are not valid: %(problems)s") % {"problems": problems},
            content_type="text/plain; charset=utf-8",
        )
    rows = selectors.export_rows(filterset, build_url=request.build_absolute_uri)
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="cities-{stamp}.csv"'
    return response


@require_safe
def city_detail(request, slug):
    """A city's profile. Unknown or unpublished (for this visitor) → 404."""
    city = selectors.city_for_profile(request.user, slug)
    officials = selectors.official_entries(request.user, city)
    challenges = list(city.challenges.all())
    context = {
        "city": city,
        "user": request.user,
        "officials": officials,
        "contact_note": selectors.visibility_note(officials),
        "seeking": [c for c in challenges if c.seeks_help],
        "offering": [c for c in challenges if c.offers_expertise],
        "initiatives": city.initiatives.all(),
        "memberships": city.memberships.all(),
        "working_languages": selectors.language_names(city.working_languages or []),
        "fragment_cache_seconds": settings.FRAGMENT_CACHE_SECONDS,
        "profile_sections": profile_sections(),
    }
    return render(request, "cities/detail.html", context)
