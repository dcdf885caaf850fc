from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import health


@require_safe
def home(request):
    from cities.models import City, Organisation

    stats = {
        "cities": City.objects.published().count(),
        "open": City.objects.published().open_to_partnerships().count(),
        "organisations": Organisation.objects.count(),
    }
    return render(request, "home.html", {"stats": stats})


@never_cache
@require_safe
def healthz(request):
    """200 with each component's state, or 503 naming the one that failed."""
    report, healthy = health.run_checks()
    return JsonResponse(report, status=200 if healthy else 503)
