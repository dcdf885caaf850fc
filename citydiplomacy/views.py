from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import health


@require_safe
def home(request):
    """The public home page: the same for everyone (signed-in people get a link to their
    dashboard), with a search box, the directory's figures and a climate-twin story."""
    from django.utils import timezone

    from . import home as home_data

    context = {
        "stats": home_data.home_stats(),
        "story": home_data.climate_story(today=timezone.localdate()),
    }
    return render(request, "home.html", context)


@never_cache
@require_safe
def healthz(request):
    """200 with each component's state, or 503 naming the one that failed."""
    report, healthy = health.run_checks()
    return JsonResponse(report, status=200 if healthy else 503)
