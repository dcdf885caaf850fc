"""Views of the review of imported partnerships: the list of a reviewer's cities, and the
confirm / correct / reject actions. Each: parse input, check access
(``permissions.get_partnership_for_reviewer``), call one service (``partnerships.review``),
render or redirect. Bad input is a 400 with the form's messages, never a 500."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import DateField
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cities.models import City
from cities.permissions import is_site_admin
from citydiplomacy.redirects import local_redirect

from . import permissions, review, selectors
from .forms import ConfirmForm, CorrectForm, RejectForm, ReviewListForm

PAGE_SIZE = 50


def review_context(user, partnership, *, confirm_form=None, reject_form=None) -> dict:
    """What the detail page's review card needs (empty for those who may not review)."""
    role = permissions.review_role(user, partnership)
    if role is None:
        return {}
    return {
        "role": role,
        "confirm_form": confirm_form
        or ConfirmForm(initial={"kind": "", "status": "", "since": partnership.since}),
        "reject_form": reject_form or RejectForm(),
        "events": [
            (event, _change_rows(event)) for event in selectors.partnership_events(partnership)[:20]
        ],
    }


def _change_rows(event) -> list[tuple[str, str, str]]:
    """(field label, old, new) in the reader's language, choices shown by their labels."""
    from .models import Partnership

    rows = []
    for name, (old, new) in event.changes.items():
        try:
            field = Partnership._meta.get_field(name)
        except Exception:  # a field removed since: show the stored name
            rows.append((name, str(old or "—"), str(new or "—")))
            continue
        labels = dict(field.choices or ())

        def shown(value, field=field, labels=labels):
            if value in (None, ""):
                return "—"
            if isinstance(field, DateField):
                return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
            return str(labels.get(value, value))

        rows.append((str(field.verbose_name), shown(old), shown(new)))
    return rows


def _back(request, partnership):
    return local_redirect(request, request.POST.get("next", ""), partnership)


def _errors(form) -> str:
    return " ".join(str(m) for errors in form.errors.values() for m in errors)


@login_required
@require_safe
def review_list(request):
    user = request.user
    own = permissions.reviewable_cities(user)
    admin = is_site_admin(user)
    if not admin and not own.exists():
        raise PermissionDenied(_("Only staff and curators of a city review its partnerships."))
    form = ReviewListForm(request.GET)
    status = 200
    if form.is_valid():
        city, state = None, form.cleaned_data["state"]
        if form.cleaned_data["city"]:
            city = get_object_or_404(City, slug=form.cleaned_data["city"])
            if not admin and not own.filter(pk=city.pk).exists():
                raise PermissionDenied(_("You do not review the partnerships of this city."))
        scope = None if admin and city is None and not own.exists() else own
        queryset = selectors.review_list(user=user, cities=scope, city=city, state=state)
    else:
        city, state, status = None, "", 400
        queryset = selectors.review_list(user=user, cities=own).none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partnerships/review.html",
        {
            "form": form,
            "own_cities": list(own),
            "chosen_city": city,
            "state": state or "unconfirmed",
            "states": ReviewListForm.STATES,
            "page": page,
            "query": query.urlencode(),
        },
        status=status,
    )


def _detail_with_errors(request, partnership, **forms):
    from .forms import ActivityForm
    from .views import _render_detail

    return _render_detail(
        request,
        partnership,
        ActivityForm(),
        status=400,
        review=review_context(request.user, partnership, **forms),
    )


@login_required
@require_POST
def partnership_confirm(request, pk: int):
    partnership, role = permissions.get_partnership_for_reviewer(request.user, pk)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            review.partnership_confirm(
                partnership=partnership,
                user=request.user,
                role=role,
                kind=form.cleaned_data["kind"] or None,
                since=form.cleaned_data["since"],
                status=form.cleaned_data["status"] or None,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Confirmed: %(a)s – %(b)s.")
                % {"a": partnership.city_a.name, "b": partnership.city_b.name},
            )
            return _back(request, partnership)
    messages.error(request, _errors(form))
    return _detail_with_errors(request, partnership, confirm_form=form)


@login_required
@require_POST
def partnership_reject(request, pk: int):
    partnership, role = permissions.get_partnership_for_reviewer(request.user, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return _detail_with_errors(request, partnership, reject_form=form)
    review.partnership_reject(
        partnership=partnership, user=request.user, role=role, note=form.cleaned_data["note"]
    )
    messages.success(
        request,
        _("Marked as not a partnership: %(a)s – %(b)s. The next import will not bring it back.")
        % {"a": partnership.city_a.name, "b": partnership.city_b.name},
    )
    return _back(request, partnership)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_correct(request, pk: int):
    partnership, role = permissions.get_partnership_for_reviewer(request.user, pk)
    status = 200
    if request.method == "POST":
        form = CorrectForm(request.POST)
        if form.is_valid():
            try:
                review.partnership_correct(
                    partnership=partnership, user=request.user, role=role, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The partnership was corrected."))
                return redirect(partnership)
        status = 400
    else:
        form = CorrectForm(
            initial={
                "kind": partnership.kind,
                "status": "" if partnership.status == "proposed" else partnership.status,
                "since": partnership.since,
                "until": partnership.until,
                "description": partnership.description,
            }
        )
    return render(
        request,
        "partnerships/correct.html",
        {"partnership": partnership, "form": form, "role": role},
        status=status,
    )
