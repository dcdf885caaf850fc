"""/curation/: each organisation's curators work on their member cities here."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import permissions
from ..models import City, ContentFlag, ImportJob, ImportKind, Official
from . import selectors, services
from .exporting import export_response
from .forms import ImportForm, UpdateRequestForm
from .importing import COLUMNS, ImportRejected, import_start


def _member_city(request, org_slug, slug):
    """The organisation (if the user curates it) and its member city ``slug``: a city that is
    not a member is refused even when it exists."""
    organisation = permissions.get_organisation_for_curator(request.user, org_slug)
    city = get_object_or_404(City, slug=slug)
    if not permissions.can_curate_city_for(request.user, city, organisation):
        raise PermissionDenied
    return organisation, city


@login_required
@require_safe
def home(request):
    organisations = list(permissions.curated_organisations(request.user)[:200])
    if not permissions.is_curator(request.user):
        raise PermissionDenied
    if len(organisations) == 1:
        return redirect("curation:queue", org_slug=organisations[0].slug)
    return render(request, "cities/curation/home.html", {"organisations": organisations})


@login_required
@require_safe
def queue(request, org_slug):
    organisation = permissions.get_organisation_for_curator(request.user, org_slug)
    context = {
        "organisation": organisation,
        "cities": list(selectors.curation_queue(organisation)[:500]),
        "flags": list(selectors.open_flags(organisation)[:100]),
        "join_requests": list(selectors.pending_join_requests(organisation)[:100]),
        "update_form": UpdateRequestForm(),
        "tab": "queue",
    }
    return render(request, "cities/curation/queue.html", context)


@login_required
@require_safe
def members(request, org_slug):
    organisation = permissions.get_organisation_for_curator(request.user, org_slug)
    context = {
        "organisation": organisation,
        "cities": list(selectors.members_with_completeness(organisation)[:2000]),
        "tab": "members",
    }
    return render(request, "cities/curation/members.html", context)


@login_required
@require_POST
def verify(request, org_slug, slug):
    organisation, city = _member_city(request, org_slug, slug)
    services.city_verify(city=city, organisation=organisation)
    messages.success(
        request,
        _("%(city)s is verified by %(organisation)s.")
        % {"city": city.name, "organisation": organisation.name},
    )
    target = "curation:members" if request.POST.get("next_page") == "members" else "curation:queue"
    return redirect(target, org_slug=organisation.slug)


@login_required
@require_POST
def publish(request, org_slug, slug):
    organisation, city = _member_city(request, org_slug, slug)
    published = request.POST.get("published") == "1"
    services.city_publish(city=city, published=published)
    if published:
        messages.success(request, _("%(city)s is published.") % {"city": city.name})
    else:
        messages.success(
            request,
            _("%(city)s is unpublished: only its staff and curators see it.") % {"city": city.name},
        )
    return redirect("curation:members", org_slug=organisation.slug)


@login_required
@require_POST
def request_update(request, org_slug, slug):
    organisation, city = _member_city(request, org_slug, slug)
    form = UpdateRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The message is too long (at most 2,000 characters)."))
        return redirect("curation:queue", org_slug=organisation.slug)
    told = services.city_update_request(
        city=city,
        organisation=organisation,
        user=request.user,
        message=form.cleaned_data["message"],
    )
    if told:
        messages.success(
            request,
            _("Asked %(n)d staff member(s) of %(city)s to update the profile.")
            % {"n": told, "city": city.name},
        )
    else:
        messages.warning(
            request,
            _("%(city)s has no staff on the portal yet: invite someone from its staff page.")
            % {"city": city.name},
        )
    return redirect("curation:queue", org_slug=organisation.slug)


@login_required
@require_POST
def flag_resolve(request, org_slug, pk):
    organisation = permissions.get_organisation_for_curator(request.user, org_slug)
    flag = get_object_or_404(ContentFlag, pk=pk, city__in=selectors.member_cities(organisation))
    services.flag_resolve(flag=flag, user=request.user)
    messages.success(request, _("The report is marked as resolved."))
    return redirect("curation:queue", org_slug=organisation.slug)


@login_required
@require_safe
def export(request, org_slug, kind, fmt):
    organisation = permissions.get_organisation_for_curator(request.user, org_slug)
    if kind not in COLUMNS or fmt not in {"csv", "xlsx"}:
        raise Http404
    return export_response(kind=kind, organisation=organisation, user=request.user, fmt=fmt)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, org_slug):
    organisation = permissions.get_organisation_for_curator(request.user, org_slug)
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    context = {
        "organisation": organisation,
        "columns": {ImportKind(k).label: cols for k, (cols, _req) in COLUMNS.items()},
        "jobs": ImportJob.objects.filter(organisation=organisation)[:10],
        "tab": "import",
        "limit_mb": limit // 1_048_576,
    }
    if request.method == "POST":
        # Refuse an oversized upload before Django reads it into a temporary file.
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit + 65_536:
            context["form"] = ImportForm()
            context["rejected"] = [
                _("The file is larger than %(limit)d MB and was not read.")
                % {"limit": limit // 1_048_576}
            ]
            return render(request, "cities/curation/import.html", context, status=413)
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = import_start(
                    organisation=organisation,
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                )
            except ImportRejected as rejected:
                context["rejected"] = rejected.messages
            else:
                return redirect("curation:import_job", org_slug=organisation.slug, pk=job.pk)
    else:
        form = ImportForm()
    context["form"] = form
    return render(request, "cities/curation/import.html", context)


@login_required
@require_safe
def import_job(request, org_slug, pk):
    organisation = permissions.get_organisation_for_curator(request.user, org_slug)
    job = get_object_or_404(ImportJob, pk=pk, organisation=organisation)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": job.status,
                "progress": job.progress_percent,
                "processed": job.processed_rows,
                "total": job.total_rows,
            }
        )
    template = (
        "cities/curation/_import_progress.html"
        if request.htmx
        else "cities/curation/import_job.html"
    )
    return render(request, template, {"organisation": organisation, "job": job, "tab": "import"})


# --- personal data (site admins) ----------------------------------------------------------------


def _admin_official(request, pk) -> Official:
    if not permissions.is_site_admin(request.user):
        raise PermissionDenied
    return get_object_or_404(Official.objects.select_related("city"), pk=pk)


@login_required
@require_safe
def official_data(request, pk):
    """A site admin's page for one official's personal-data request: export or erase."""
    official = _admin_official(request, pk)
    if request.GET.get("format") == "json":
        data = services.official_personal_data(official=official)
        response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
        response["Content-Disposition"] = f'attachment; filename="official-{official.pk}.json"'
        return response
    return render(request, "cities/curation/official_data.html", {"official": official})


@login_required
@require_POST
def official_erase(request, pk):
    official = _admin_official(request, pk)
    if request.POST.get("confirm") != "erase":
        messages.error(request, _("Tick the confirmation to erase this person's data."))
        return redirect("curation:official_data", pk=official.pk)
    services.official_erase(official=official)
    messages.success(
        request, _("The official's name, e-mail and phone were erased, history included.")
    )
    return redirect("curation:official_data", pk=official.pk)
