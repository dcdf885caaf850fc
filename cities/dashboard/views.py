"""``/dashboard/``: where a signed-in person lands (the login redirects here; ``/`` stays the
public home page)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import registry, selectors, services


@never_cache
@login_required
@require_safe
def dashboard(request):
    """Every registered section that has something for this person, in order; a welcome with
    the ways in when none has."""
    now = timezone.now()
    since = services.dashboard_visit_record(user=request.user, now=now)
    viewer = selectors.viewer_for(request.user, since=since, now=now)
    parts = []
    for section in registry.sections():
        data = section.build(viewer)
        if data is not None:
            parts.append({"key": section.key, "template": section.template, "data": data})
    return render(request, "cities/dashboard/dashboard.html", {"sections": parts, "viewer": viewer})
