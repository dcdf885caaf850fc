"""Profile editing for city staff and curators, the history page and the revert action.
Every view checks access first (cities.permissions), then calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import permissions
from ..models import Challenge, Initiative, Membership, Official
from . import services
from .forms import ChallengeForm, CityProfileForm, InitiativeForm, MembershipForm, OfficialForm
from .history import city_history, history_revert, mark_revertible, revert_scope


def _form_error(form, error: ValidationError) -> None:
    """A model-level ValidationError from a service, shown on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, slug):
    city = permissions.get_city_for_editor(request.user, slug)
    form = CityProfileForm(request.POST or None, instance=city)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        # The form edits a copy; the service loads the row itself and saves only these fields.
        city.refresh_from_db()
        try:
            services.city_update(city=city, changes=changes)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect("cities:edit", slug=city.slug)
    return render(
        request, "cities/edit/profile.html", {"city": city, "form": form, "tab": "profile"}
    )


# --- officials, challenges, initiatives: one list-and-add view and one edit view each ------

KINDS = {
    "officials": {
        "model": Official,
        "form": OfficialForm,
        "label": gettext_lazy("Officials"),
        "related": "officials",
    },
    "challenges": {
        "model": Challenge,
        "form": ChallengeForm,
        "label": gettext_lazy("Challenges"),
        "related": "challenges",
    },
    "initiatives": {
        "model": Initiative,
        "form": InitiativeForm,
        "label": gettext_lazy("Initiatives"),
        "related": "initiatives",
    },
}


def _make_form(kind, data=None, instance=None, city=None):
    form_class = KINDS[kind]["form"]
    if kind == "officials":
        return form_class(data, instance=instance)
    return form_class(data, instance=instance, city=city)


def _save(kind, form, city, instance=None) -> None:
    data = dict(form.cleaned_data)
    if kind == "officials":
        if instance is None:
            services.official_create(city=city, **data)
        else:
            services.official_update(official=instance, changes=_changed(form, data))
    elif kind == "challenges":
        if instance is None:
            services.challenge_create(city=city, **data)
        else:
            services.challenge_update(challenge=instance, changes=_changed(form, data))
    else:
        themes = data.pop("themes")
        if instance is None:
            services.initiative_create(city=city, themes=themes, **data)
        else:
            changes = _changed(form, data)
            services.initiative_update(initiative=instance, changes=changes, themes=themes)


def _changed(form, data):
    changes = {name: data[name] for name in form.changed_data if name in data}
    # The ModelForm already wrote the values onto its instance; reload so the service
    # compares and records against what is stored.
    form.instance.refresh_from_db()
    return changes


def _items(kind, city):
    qs = getattr(city, KINDS[kind]["related"]).all()
    if kind == "challenges":
        qs = qs.select_related("theme", "theme__parent")
    if kind == "initiatives":
        qs = qs.prefetch_related("themes")
    return qs


@login_required
@require_http_methods(["GET", "POST"])
def items_edit(request, slug, kind):
    """The list of a city's officials / challenges / initiatives, with a form to add one."""
    city = permissions.get_city_for_editor(request.user, slug)
    form = _make_form(kind, request.POST or None, city=city)
    if request.method == "POST" and form.is_valid():
        try:
            _save(kind, form, city)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Added."))
            return redirect(f"cities:edit_{kind}", slug=city.slug)
    context = {
        "city": city,
        "form": form,
        "kind": kind,
        "tab": kind,
        "label": KINDS[kind]["label"],
        "items": _items(kind, city),
    }
    return render(request, "cities/edit/items.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, slug, kind, pk):
    city = permissions.get_city_for_editor(request.user, slug)
    # Looked up within the city: another city's id is a 404, never an edit.
    instance = get_object_or_404(KINDS[kind]["model"], pk=pk, city=city)
    form = _make_form(kind, request.POST or None, instance=instance, city=city)
    if request.method == "POST" and form.is_valid():
        try:
            _save(kind, form, city, instance=instance)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"cities:edit_{kind}", slug=city.slug)
    context = {
        "city": city,
        "form": form,
        "kind": kind,
        "tab": kind,
        "label": KINDS[kind]["label"],
        "item": instance,
    }
    return render(request, "cities/edit/item.html", context)


@login_required
@require_POST
def item_delete(request, slug, kind, pk):
    city = permissions.get_city_for_editor(request.user, slug)
    instance = get_object_or_404(KINDS[kind]["model"], pk=pk, city=city)
    if kind == "officials":
        services.official_delete(official=instance)
    elif kind == "challenges":
        services.challenge_delete(challenge=instance)
    else:
        services.initiative_delete(initiative=instance)
    messages.success(request, _("Deleted. A curator can restore it from the history."))
    return redirect(f"cities:edit_{kind}", slug=city.slug)


# --- memberships ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def memberships_edit(request, slug):
    """Memberships of a city. Only curators add their own organisation's members; staff of
    the city may end a membership (leave an organisation)."""
    city = permissions.get_city_for_editor(request.user, slug)
    organisations = permissions.curated_organisations(request.user)
    form = MembershipForm(request.POST or None, city=city, organisations=organisations)
    if request.method == "POST":
        if not organisations.exists():
            raise PermissionDenied
        if form.is_valid():
            try:
                services.membership_create(
                    city=city,
                    organisation=form.cleaned_data["organisation"],
                    since=form.cleaned_data["since"],
                )
            except ValidationError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Membership added."))
                return redirect("cities:edit_memberships", slug=city.slug)
    memberships = city.memberships.select_related("organisation")
    context = {
        "city": city,
        "form": form if organisations.exists() else None,
        "memberships": memberships,
        "tab": "memberships",
    }
    return render(request, "cities/edit/memberships.html", context)


@login_required
@require_POST
def membership_delete(request, slug, pk):
    city = permissions.get_city_for_editor(request.user, slug)
    membership = get_object_or_404(Membership, pk=pk, city=city)
    if not permissions.can_end_membership(request.user, city, membership.organisation):
        raise PermissionDenied
    services.membership_delete(membership=membership)
    messages.success(request, _("Membership ended."))
    return redirect("cities:edit_memberships", slug=city.slug)


# --- history ----------------------------------------------------------------------------------


@login_required
@require_safe
def history(request, slug):
    city = permissions.get_city_for_editor(request.user, slug)
    entries = city_history(city=city)
    can_revert = permissions.can_curate_city(request.user, city)
    if can_revert:
        mark_revertible(entries, user=request.user, city=city)
    context = {"city": city, "entries": entries, "can_revert": can_revert, "tab": "history"}
    return render(request, "cities/edit/history.html", context)


@login_required
@require_POST
def history_revert_view(request, slug):
    city = permissions.get_city_for_editor(request.user, slug)
    if not permissions.can_curate_city(request.user, city):
        raise PermissionDenied
    key = request.POST.get("key", "")
    try:
        history_id = int(request.POST.get("history_id", ""))
        scope = revert_scope(city=city, key=key, history_id=history_id)
    except (ValueError, ObjectDoesNotExist):
        raise Http404 from None
    # The same permission as making this change directly (another organisation's membership
    # or verification is not this curator's to change).
    if not scope.allows(request.user, city):
        raise PermissionDenied
    try:
        done = history_revert(city=city, key=key, history_id=history_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        labels = {
            "deleted": _("The creation was undone."),
            "restored": _("The deleted item was restored."),
            "reverted": _("The change was reverted."),
        }
        messages.success(request, labels[done])
    return redirect("cities:history", slug=city.slug)
