"""Funding pages. Each view: parse input, check access, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partnerships.models import FundingProgramme

from . import selectors, services
from .forms import FundingProgrammeForm, PairForm
from .permissions import can_curate_funding, get_programme_for_curator

PAGE_SIZE = 25


@require_safe
def funding_list(request):
    filterset = selectors.programme_list(request.GET)
    valid = not filterset.is_bound or filterset.is_valid()
    queryset = filterset.qs if filterset.is_bound and valid else filterset.queryset
    if not valid:
        queryset = queryset.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partnerships/funding/list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "can_curate": can_curate_funding(request.user),
            "sources": selectors.data_sources(),
        },
    )


@require_safe
def funding_detail(request, slug):
    programme = get_object_or_404(selectors.programme_detail_queryset(), slug=slug)
    can_curate = can_curate_funding(request.user)
    return render(
        request,
        "partnerships/funding/detail.html",
        {
            "programme": programme,
            "themes": list(programme.themes.all()),
            "today": timezone.localdate(),
            "can_curate": can_curate,
            "history": selectors.programme_history(programme) if can_curate else [],
            "pair_form": PairForm(),
            "sources": selectors.data_sources(),
        },
    )


@require_safe
def funding_check(request):
    """Every programme's answer for one pair of cities (``?a=…&b=…``, slug or GeoNames id)."""
    form = PairForm(request.GET) if request.GET else PairForm()
    answers = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            city_a, city_b = form.cleaned_data["a"], form.cleaned_data["b"]
            answers = selectors.pair_eligibility(city_a, city_b)
        else:
            status = 400
    return render(
        request,
        "partnerships/funding/check.html",
        {"form": form, "answers": answers, "sources": selectors.data_sources()},
        status=status,
    )


def _save(request, form, programme):
    if not form.is_valid():
        return False
    try:
        services.funding_programme_save(
            programme=form.instance, themes=form.cleaned_data["themes"], user=request.user
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def funding_create(request):
    if not can_curate_funding(request.user):
        raise PermissionDenied
    programme = FundingProgramme(checked_by="")
    form = FundingProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST":
        programme.checked_by = request.user.get_full_name() or request.user.get_username()
        if _save(request, form, programme):
            messages.success(request, _("The funding programme was added."))
            return redirect(form.instance)
    return render(request, "partnerships/funding/form.html", {"form": form, "programme": None})


@login_required
@require_http_methods(["GET", "POST"])
def funding_edit(request, slug):
    programme = get_programme_for_curator(request.user, slug)
    form = FundingProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid() and "last_checked_on" in form.changed_data:
        # Whoever sets a new check date is the one who checked.
        programme.checked_by = request.user.get_full_name() or request.user.get_username()
    if request.method == "POST" and _save(request, form, programme):
        messages.success(request, _("The funding programme was saved."))
        return redirect(form.instance)
    return render(request, "partnerships/funding/form.html", {"form": form, "programme": programme})


@login_required
@require_POST
def funding_mark_checked(request, slug):
    programme = get_programme_for_curator(request.user, slug)
    services.funding_programme_mark_checked(programme=programme, user=request.user)
    messages.success(
        request, _("Marked as checked against its source today. Thank you for keeping it true.")
    )
    return redirect(programme)
