"""Views of the registry and the request workflow. Each: parse input, check
access (partnerships.permissions), call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cities.models import City
from cities.permissions import is_site_admin

from . import permissions, selectors, services
from .filters import PartnershipFilter
from .forms import ActivityForm, DeclineForm, RequestForm
from .models import RequestStatus

PAGE_SIZE = 25


def _refusal_message(exc: services.RequestRefused):
    message = " ".join(exc.messages)
    if exc.link:
        return format_html('{} <a href="{}">{}</a>', message, exc.link, _("Show it"))
    return message


# --- registry ---------------------------------------------------------------------------------


@require_safe
def partnership_list(request):
    filterset, queryset = selectors.partnership_list(
        user=request.user, filterset_class=PartnershipFilter, data=request.GET
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partnerships/list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "map_lines": selectors.partnership_map_lines(queryset),
            "map_limit": selectors.MAP_LINES_LIMIT,
        },
    )


@require_safe
def partnership_detail(request, pk: int):
    partnership = permissions.get_partnership_for_viewer(request.user, pk)
    return _render_detail(request, partnership, ActivityForm())


def _render_detail(request, partnership, form, status=200):
    activities = list(selectors.partnership_detail_activities(partnership))
    return render(
        request,
        "partnerships/detail.html",
        {
            "partnership": partnership,
            "themes": list(partnership.themes.all()),
            "activities": activities,
            "possibly_dormant": partnership.is_possibly_dormant(),
            "can_add_activity": permissions.can_add_activity(request.user, partnership),
            "form": form,
            "map_lines": selectors.partnership_map_lines(
                partnership.__class__.objects.filter(pk=partnership.pk)
            ),
        },
        status=status,
    )


@login_required
@require_POST
def activity_add(request, pk: int):
    partnership = permissions.get_partnership_for_viewer(request.user, pk)
    if not permissions.can_add_activity(request.user, partnership):
        raise PermissionDenied
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            services.partnership_activity_add(
                partnership=partnership, user=request.user, **form.cleaned_data
            )
        except services.RequestRefused as exc:
            form.add_error(None, _refusal_message(exc))
        else:
            messages.success(request, _("The activity was recorded."))
            return redirect(partnership)
    return _render_detail(request, partnership, form)


# --- requests ---------------------------------------------------------------------------------


def _sender_cities(user, from_slug: str):
    if is_site_admin(user):
        return City.objects.filter(Q(staff__user=user) | Q(slug=from_slug)).distinct()
    return permissions.staffed_cities(user)


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request):
    from_slug = request.GET.get("from", "") or request.POST.get("from_city", "")
    sender_cities = _sender_cities(request.user, from_slug)
    if not sender_cities.exists():
        raise PermissionDenied(_("Only staff of a city can send partnership requests."))
    to_slug = request.GET.get("to", "")
    to_city = City.objects.published().filter(slug=to_slug).first() if to_slug else None
    if request.method == "POST":
        form = RequestForm(request.POST, sender_cities=sender_cities)
        if form.is_valid():
            data = form.cleaned_data
            # The form offers only the sender's cities; ask the rule itself all the same.
            if not permissions.can_send_request_for(request.user, data["from_city"]):
                raise PermissionDenied
            try:
                sent = services.request_send(
                    sender=request.user,
                    from_city=data["from_city"],
                    to_city=data["to_city"],
                    kind=data["kind"],
                    themes=data["themes"],
                    message=data["message"],
                )
            except services.RequestRefused as exc:
                form.add_error(None, _refusal_message(exc))
            else:
                messages.success(
                    request,
                    _("Your request to %(city)s was sent.") % {"city": sent.to_city.name},
                )
                return redirect(sent)
        to_city = form.cleaned_data.get("to_city")
        to_slug = request.POST.get("to_city", "") or to_slug
    else:
        initial = {"to_city": to_city.slug if to_city else ""}
        own = sender_cities.filter(slug=from_slug).first() or (
            sender_cities.first() if sender_cities.count() == 1 else None
        )
        if own is not None:
            initial["from_city"] = own.slug
        form = RequestForm(initial=initial, sender_cities=sender_cities)
    return render(
        request,
        "partnerships/request_form.html",
        {"form": form, "to_city": to_city, "to_slug": to_slug},
    )


@login_required
@require_safe
def request_box(request, box: str):
    status = request.GET.get("status", "")
    if status not in {"", "open", *RequestStatus.values}:
        status = ""
    city_slug = request.GET.get("city", "")
    result = selectors.request_box(user=request.user, box=box, city_slug=city_slug, status=status)
    if not result.cities and not is_site_admin(request.user):
        if city_slug:
            raise Http404
        raise PermissionDenied(_("Only staff and curators of a city have a request inbox."))
    page = Paginator(result.requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/request_box.html",
        {
            "box": box,
            "result": result,
            "page": page,
            "status": status,
            "city_slug": city_slug,
            "statuses": RequestStatus.choices,
            "counts": selectors.open_request_counts(user=request.user),
        },
    )


@login_required
@require_safe
def request_detail(request, pk: int):
    partnership_request = permissions.get_request_for_viewer(request.user, pk)
    services.request_mark_seen(request=partnership_request, user=request.user)
    is_open = partnership_request.is_open
    return render(
        request,
        "partnerships/request_detail.html",
        {
            "req": partnership_request,
            "themes": list(partnership_request.themes.all()),
            "events": list(selectors.request_history(partnership_request)),
            "can_answer": is_open
            and permissions.can_answer_request(request.user, partnership_request),
            "can_withdraw": is_open
            and permissions.can_withdraw_request(request.user, partnership_request),
            "decline_form": DeclineForm(),
        },
    )


def _answer(request, pk: int, may, act):
    partnership_request = permissions.get_request_for_viewer(request.user, pk)
    if not may(request.user, partnership_request):
        raise PermissionDenied
    try:
        result = act(partnership_request)
    except services.RequestRefused as exc:
        messages.error(request, _refusal_message(exc))
        return redirect(partnership_request)
    return result


@login_required
@require_POST
def request_accept(request, pk: int):
    def act(partnership_request):
        partnership = services.request_accept(request=partnership_request, user=request.user)
        messages.success(request, _("You accepted the request: the partnership is recorded."))
        return redirect(partnership)

    return _answer(request, pk, permissions.can_answer_request, act)


@login_required
@require_POST
def request_decline(request, pk: int):
    def act(partnership_request):
        form = DeclineForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(m for e in form.errors.values() for m in e))
            return redirect(partnership_request)
        services.request_decline(
            request=partnership_request, user=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("You declined the request."))
        return redirect(partnership_request)

    return _answer(request, pk, permissions.can_answer_request, act)


@login_required
@require_POST
def request_withdraw(request, pk: int):
    def act(partnership_request):
        services.request_withdraw(request=partnership_request, user=request.user)
        messages.success(request, _("You withdrew the request."))
        return redirect(partnership_request)

    return _answer(request, pk, permissions.can_withdraw_request, act)
