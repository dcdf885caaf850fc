"""Programme pages. Each view: parse input, check access, call one service or selector,
render. Times on every page are shown in the programme's own time zone."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cities.permissions import can_see_contact, is_city_staff, is_organisation_curator
from partnerships.models import (
    AgendaItem,
    HostStatus,
    Meeting,
    MeetingWish,
    Participant,
    ParticipantSide,
    ParticipantStatus,
    ProgrammeStatus,
    WishSource,
)

from . import forms, ical, selectors, services
from .permissions import (
    can_create_programme,
    can_edit_programme,
    get_organisation_for_host_decider,
    get_organisation_for_role_granter,
    get_participant_by_token,
    get_programme_for_organiser,
    get_programme_for_viewer,
    own_participants,
)

require_GET_or_POST = require_http_methods(["GET", "HEAD", "POST"])


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _in_programme_time(view):
    """Render the page in the programme's time zone (forms read times in it too)."""

    @functools.wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        from partnerships.models import Programme

        tz = Programme.objects.filter(slug=slug).values_list("timezone", flat=True).first()
        if tz is None:
            return view(request, slug, *args, **kwargs)
        from zoneinfo import ZoneInfo

        with timezone.override(ZoneInfo(tz)):
            return view(request, slug, *args, **kwargs)

    return wrapper


# --- public ----------------------------------------------------------------------------------


@require_safe
def programme_list(request):
    filterset = selectors.programme_list(user=request.user, data=request.GET or None)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/programmes/list.html",
        {
            "filter": filterset,
            "page": page,
            "today": timezone.localdate(),
            "can_create": can_create_programme(request.user),
            "curated": selectors.curated_for_programmes(request.user),
        },
    )


@require_safe
@_in_programme_time
def programme_detail(request, slug):
    programme = get_programme_for_viewer(request.user, slug, selectors.programme_detail_queryset())
    people = list(
        selectors.participants_visible_to(programme, request.user).exclude(status="declined")
    )
    cities = selectors.participating_cities(programme, viewer=request.user)
    return render(
        request,
        "partnerships/programmes/detail.html",
        {
            "programme": programme,
            "visitors": [p for p in people if p.side == ParticipantSide.VISITOR],
            "hosts": [p for p in people if p.side == ParticipantSide.HOST],
            "cities": cities,
            "map_points": [
                {"lat": c.latitude, "lon": c.longitude, "name": c.name, "slug": c.slug}
                for c in cities
                if c.latitude is not None and c.longitude is not None
            ],
            "agenda": selectors.agenda_for(programme, viewer=request.user),
            "hosts_confirmed": list(programme.confirmed_host_organisations()),
            "can_edit": can_edit_programme(request.user, programme),
            "own_participants": own_participants(request.user, people),
        },
    )


@require_safe
@_in_programme_time
def programme_print(request, slug):
    """The printable programme: agenda and participants for everyone; each person's meeting
    schedule only for the organisers."""
    programme = get_programme_for_viewer(request.user, slug)
    organiser = can_edit_programme(request.user, programme)
    people = list(
        selectors.participants_visible_to(programme, request.user).exclude(status="declined")
    )
    return render(
        request,
        "partnerships/programmes/print.html",
        {
            "programme": programme,
            "agenda": selectors.agenda_for(programme, viewer=request.user),
            "participants": people,
            "schedules": selectors.schedules(programme) if organiser else [],
            "organiser": organiser,
        },
    )


@require_safe
def programme_ical(request, slug):
    programme = get_programme_for_viewer(request.user, slug)
    body = ical.programme_calendar(programme, host=request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{programme.slug}.ics"'
    return response


# --- a participant's private page (token link) --------------------------------------------


@require_GET_or_POST
@_in_programme_time
def participant_schedule(request, slug, token):
    participant = get_participant_by_token(slug, token)
    wish_form = forms.OwnWishForm(
        request.POST if "wish" in request.POST else None, participant=participant
    )
    availability = forms.AvailabilityForm(
        request.POST if "availability" in request.POST else None,
        participant=participant,
        initial={
            "unavailable": participant.unavailable_slots.all(),
            "max_meetings": participant.max_meetings,
        },
    )
    if request.method == "POST":
        try:
            if "respond" in request.POST:
                services.participant_respond(
                    participant=participant, accept=request.POST["respond"] == "accept"
                )
                messages.success(request, _("Thank you, your answer is recorded."))
                return redirect(request.path)
            if "wish" in request.POST and wish_form.is_valid():
                other = wish_form.cleaned_data["other"]
                visitor, host = (
                    (other, participant) if participant.is_host else (participant, other)
                )
                services.meeting_wish_set(
                    programme=participant.programme,
                    participant=visitor,
                    host=host,
                    weight=wish_form.cleaned_data["weight"],
                    stated_by=WishSource.HOST if participant.is_host else WishSource.PARTICIPANT,
                )
                messages.success(request, _("Your wish is recorded."))
                return redirect(request.path)
            if "availability" in request.POST and availability.is_valid():
                services.participant_set_availability(
                    participant=participant,
                    unavailable=list(availability.cleaned_data["unavailable"]),
                    max_meetings=availability.cleaned_data["max_meetings"],
                )
                messages.success(request, _("Your availability is saved."))
                return redirect(request.path)
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
    own_wishes = (
        MeetingWish.objects.filter(host=participant)
        if participant.is_host
        else MeetingWish.objects.filter(participant=participant)
    ).select_related("participant__city", "host__city", "host__organisation")
    return render(
        request,
        "partnerships/programmes/participant.html",
        {
            "programme": participant.programme,
            "participant": participant,
            "entries": selectors.schedule_entries(participant),
            "wishes": own_wishes,
            "wish_form": wish_form,
            "availability_form": availability,
        },
    )


@require_safe
def participant_ical(request, slug, token):
    participant = get_participant_by_token(slug, token)
    body = ical.participant_calendar(participant, host=request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-schedule.ics"'
    return response


# --- organisers ------------------------------------------------------------------------------


@login_required
@require_GET_or_POST
def programme_create(request):
    if not can_create_programme(request.user):
        raise PermissionDenied
    form = forms.ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            programme = services.programme_create(
                user=request.user,
                title=data["title"],
                host_country=data["host_country"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                timezone_name=data["timezone"],
                description=data["description"],
                themes=list(data["themes"]),
                host_organisations=list(data["host_organisations"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The programme is saved as a draft."))
            return redirect("partnerships:programme_organise", slug=programme.slug)
    return render(request, "partnerships/programmes/form.html", {"form": form})


@login_required
@require_GET_or_POST
@_in_programme_time
def programme_edit(request, slug):
    programme = get_programme_for_organiser(request.user, slug)
    form = forms.ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            with transaction.atomic():
                services.programme_update(
                    programme=programme,
                    user=request.user,
                    themes=list(data.pop("themes")),
                    host_organisations=list(data.pop("host_organisations")),
                    **data,
                )
        except ValidationError as exc:
            programme.refresh_from_db()
            form.add_error(None, exc)
        else:
            messages.success(request, _("The programme is saved."))
            return redirect("partnerships:programme_organise", slug=programme.slug)
    return render(
        request, "partnerships/programmes/form.html", {"form": form, "programme": programme}
    )


@login_required
@require_POST
def programme_status(request, slug):
    programme = get_programme_for_organiser(request.user, slug)
    try:
        services.programme_set_status(programme=programme, status=request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(_errors(exc)))
    else:
        messages.success(
            request, _("The programme is now: %(s)s.") % {"s": programme.get_status_display()}
        )
    return redirect("partnerships:programme_organise", slug=programme.slug)


@login_required
@require_safe
@_in_programme_time
def programme_organise(request, slug):
    """The organiser's desk: delegations, participants with their private links, and the
    overlaps in anyone's agenda."""
    programme = get_programme_for_organiser(request.user, slug)
    people = list(selectors.participants(programme))
    # The invitation address the organisers gave, else the official's own address when the
    # official's contact visibility lets this organiser see it.
    contacts = {
        p.pk: p.email
        or (p.official.email if p.official and can_see_contact(request.user, p.official) else "")
        for p in people
    }
    return render(
        request,
        "partnerships/programmes/organise.html",
        {
            "programme": programme,
            "participants": [(p, contacts[p.pk]) for p in people],
            "delegations": programme.delegations.all(),
            "delegation_form": forms.DelegationForm(),
            "participant_form": forms.ParticipantForm(programme=programme),
            "statuses": ProgrammeStatus.choices,
        },
    )


BACK_PAGES = {
    "organise": "partnerships:programme_organise",
    "agenda": "partnerships:programme_agenda",
    "matchmaking": "partnerships:programme_matchmaking",
    "meetings": "partnerships:programme_meetings",
}


def _organiser_post(back: str):
    """A POST-only organiser action that returns to the ``back`` page: access check first,
    then ``handler(request, programme, **kwargs)`` in one transaction. A ValidationError
    becomes error messages and nothing is saved."""

    def decorate(handler):
        @login_required
        @require_POST
        @functools.wraps(handler)
        def view(request, slug, **kwargs):
            from zoneinfo import ZoneInfo

            programme = get_programme_for_organiser(request.user, slug)
            with timezone.override(ZoneInfo(programme.timezone)):
                try:
                    with transaction.atomic():
                        handler(request, programme, **kwargs)
                except ValidationError as exc:
                    for message in _errors(exc):
                        messages.error(request, message)
                except IntegrityError:
                    # Two organisers changed the same thing at once; the database kept the
                    # rules and nothing of this request was saved.
                    messages.error(
                        request, _("Someone changed this at the same moment; please try again.")
                    )
            return redirect(BACK_PAGES[back], slug=programme.slug)

        return view

    return decorate


def _form_errors(form) -> ValidationError:
    return ValidationError(
        [
            f"{form.fields[f].label if f in form.fields else ''}: {e}".lstrip(": ")
            for f, errs in form.errors.items()
            for e in errs
        ]
    )


@_organiser_post("organise")
def delegation_create(request, programme):
    form = forms.DelegationForm(request.POST)
    if not form.is_valid():
        raise _form_errors(form)
    services.delegation_create(programme=programme, **form.cleaned_data)
    messages.success(request, _("Delegation added."))


@_organiser_post("organise")
def participant_add(request, programme):
    form = forms.ParticipantForm(request.POST, programme=programme)
    if not form.is_valid():
        raise _form_errors(form)
    data = form.cleaned_data
    city = data["city"] or (data["official"].city if data["official"] else None)
    # Only someone who answers for the participant (staff of their city, curator of their
    # organisation) adds them as confirmed; anyone else invites them, and those who answer
    # for them are told.
    speaks_for = (city is not None and is_city_staff(request.user, city)) or (
        city is None
        and data["organisation"] is not None
        and is_organisation_curator(request.user, data["organisation"])
    )
    participant = services.participant_add(
        programme=programme,
        side=data["side"],
        official=data["official"],
        city=data["city"],
        organisation=data["organisation"],
        name=data["name"],
        role=data["role"],
        email=data["email"],
        languages=data["languages"] or None,
        delegation=data["delegation"],
        max_meetings=data["max_meetings"],
        invite=not speaks_for or bool(data["email"]),
    )
    _say_who_was_invited(request, participant)


def _say_who_was_invited(request, participant) -> None:
    names = {"name": participant.name, "represents": participant.represents.name}
    if participant.status != ParticipantStatus.INVITED:
        messages.success(request, _("%(name)s added.") % names)
    elif participant.accounts_told:
        messages.success(
            request,
            _("%(name)s is invited: %(n)d account(s) of %(represents)s were told.")
            % {**names, "n": participant.accounts_told},
        )
    elif participant.email:
        messages.success(request, _("%(name)s is invited at the address you gave.") % names)
    else:
        messages.warning(
            request,
            _(
                "%(name)s is invited, but nobody answers for %(represents)s on the portal "
                "yet: send them their private link yourself."
            )
            % names,
        )


@_organiser_post("organise")
def participant_remove(request, programme, pk):
    participant = get_object_or_404(Participant, programme=programme, pk=pk)
    services.participant_remove(participant=participant)
    messages.success(request, _("%(name)s removed.") % {"name": participant.name})


@login_required
@require_safe
@_in_programme_time
def agenda_organise(request, slug):
    programme = get_programme_for_organiser(request.user, slug)
    return render(
        request,
        "partnerships/programmes/agenda.html",
        {
            "programme": programme,
            "agenda": selectors.agenda(programme),
            "overlaps": selectors.overlaps(programme),
        },
    )


@login_required
@require_GET_or_POST
@_in_programme_time
def agenda_item_edit(request, slug, pk=None):
    programme = get_programme_for_organiser(request.user, slug)
    item = get_object_or_404(AgendaItem, programme=programme, pk=pk) if pk else None
    form = forms.AgendaItemForm(request.POST or None, instance=item, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.agenda_item_save(
                programme=programme,
                item=item,
                attendees=list(data.pop("attendees")),
                themes=list(data.pop("themes")),
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The agenda item is saved."))
            return redirect("partnerships:programme_agenda", slug=programme.slug)
    return render(
        request,
        "partnerships/programmes/agenda_form.html",
        {"programme": programme, "form": form, "item": item},
    )


@_organiser_post("agenda")
def agenda_item_delete(request, programme, pk):
    item = get_object_or_404(AgendaItem, programme=programme, pk=pk)
    services.agenda_item_delete(item=item)
    messages.success(request, _("The agenda item is deleted."))


@login_required
@require_safe
@_in_programme_time
def matchmaking(request, slug):
    programme = get_programme_for_organiser(request.user, slug)
    return render(
        request,
        "partnerships/programmes/matchmaking.html",
        {
            "programme": programme,
            "suggestions": selectors.matchmaking(programme),
            "hosts": selectors.participants(programme).filter(side=ParticipantSide.HOST),
            "invite_form": forms.HostInviteForm(),
        },
    )


@_organiser_post("matchmaking")
def host_invite(request, programme):
    form = forms.HostInviteForm(request.POST)
    if not form.is_valid():
        raise _form_errors(form)
    data = form.cleaned_data
    host = services.host_invite(
        programme=programme,
        city=data["city"],
        organisation=data["organisation"],
        name=data["name"],
        email=data["email"],
    )
    _say_who_was_invited(request, host)


@login_required
@require_safe
@_in_programme_time
def meetings_organise(request, slug):
    programme = get_programme_for_organiser(request.user, slug)
    all_meetings = list(selectors.meetings(programme))
    return render(
        request,
        "partnerships/programmes/meetings.html",
        {
            "programme": programme,
            "slots": programme.meeting_slots.all(),
            "meetings": all_meetings,
            "wishes": programme.wishes.select_related(
                "participant__city", "host__city", "host__organisation"
            ),
            "slots_form": forms.MeetingSlotsForm(
                initial={"day": programme.start_date, "first_start": "14:00", "last_end": "17:00"}
            ),
            "wish_form": forms.WishForm(programme=programme),
            "meeting_form": forms.MeetingCreateForm(programme=programme),
            "move_form": forms.MeetingMoveForm(programme=programme),
            "total_score": sum(m.score for m in all_meetings),
        },
    )


@_organiser_post("meetings")
def meeting_slots_create(request, programme):
    form = forms.MeetingSlotsForm(request.POST)
    if not form.is_valid():
        raise _form_errors(form)
    created = services.meeting_slots_create(programme=programme, **form.cleaned_data)
    messages.success(request, _("%(n)s meeting slots added.") % {"n": len(created)})


@_organiser_post("meetings")
def meeting_slot_delete(request, programme, pk):
    slot = get_object_or_404(programme.meeting_slots, pk=pk)
    services.meeting_slot_delete(slot=slot)
    messages.success(request, _("The slot is deleted."))


@_organiser_post("meetings")
def meeting_wish_add(request, programme):
    form = forms.WishForm(request.POST, programme=programme)
    if not form.is_valid():
        raise _form_errors(form)
    services.meeting_wish_set(
        programme=programme, stated_by=WishSource.ORGANISER, **form.cleaned_data
    )
    messages.success(request, _("The wish is recorded."))


@_organiser_post("meetings")
def meeting_wish_delete(request, programme, pk):
    services.meeting_wish_delete(wish=get_object_or_404(programme.wishes, pk=pk))
    messages.success(request, _("The wish is deleted."))


@_organiser_post("meetings")
def meetings_schedule(request, programme):
    try:
        solution = services.meetings_schedule(programme=programme)
    except services.ScheduleConflict as exc:
        messages.error(request, _("The schedule cannot be made; these locked meetings conflict:"))
        raise ValidationError(exc.messages) from exc
    status = _("optimal") if solution.status == "optimal" else _("best found in the time limit")
    messages.success(
        request,
        _(
            "%(n)s meetings scheduled, total score %(score).2f (%(status)s; "
            "no schedule can exceed %(bound).2f)."
        )
        % {
            "n": len(solution.assignments),
            "score": solution.total_score,
            "status": status,
            "bound": solution.upper_bound,
        },
    )


@_organiser_post("meetings")
def meeting_create(request, programme):
    form = forms.MeetingCreateForm(request.POST, programme=programme)
    if not form.is_valid():
        raise _form_errors(form)
    services.meeting_create(programme=programme, **form.cleaned_data)
    messages.success(request, _("The meeting is placed and locked."))


@_organiser_post("meetings")
def meeting_move(request, programme, pk):
    meeting = get_object_or_404(
        Meeting.objects.select_related("participant", "host"), programme=programme, pk=pk
    )
    form = forms.MeetingMoveForm(request.POST, programme=programme)
    if not form.is_valid():
        raise _form_errors(form)
    services.meeting_move(meeting=meeting, slot=form.cleaned_data["slot"])
    messages.success(request, _("The meeting is moved and locked."))


@_organiser_post("meetings")
def meeting_lock(request, programme, pk):
    meeting = get_object_or_404(Meeting, programme=programme, pk=pk)
    services.meeting_lock(meeting=meeting, locked=request.POST.get("locked") == "1")


@_organiser_post("meetings")
def meeting_delete(request, programme, pk):
    services.meeting_delete(meeting=get_object_or_404(Meeting, programme=programme, pk=pk))
    messages.success(request, _("The meeting is removed."))


# --- organisations: who organises for them, and the programmes they are asked to host -------


@login_required
@require_GET_or_POST
def organisation_organisers(request, org_slug):
    """An organisation's curators grant and revoke the programme organiser role for it."""
    organisation = get_organisation_for_role_granter(request.user, org_slug)
    form = forms.OrganiserGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.organiser_role_grant(
                user=form.cleaned_data["account"],
                organisation=organisation,
                granted_by=request.user,
            )
        except ValidationError as exc:
            form.add_error("account", exc)
        else:
            messages.success(
                request,
                _("%(user)s may now organise programmes for %(organisation)s.")
                % {"user": role.user.get_username(), "organisation": organisation.name},
            )
            return redirect("partnerships:programme_organisers", org_slug=organisation.slug)
    return render(
        request,
        "partnerships/programmes/organisers.html",
        {
            "organisation": organisation,
            "form": form,
            "roles": selectors.organiser_roles(organisation),
            "history": selectors.organiser_role_history(organisation),
        },
    )


@login_required
@require_POST
def organisation_organiser_revoke(request, org_slug, pk):
    organisation = get_organisation_for_role_granter(request.user, org_slug)
    role = get_object_or_404(selectors.organiser_roles(organisation), pk=pk)
    services.organiser_role_revoke(role=role, revoked_by=request.user)
    messages.success(
        request,
        _("%(user)s no longer organises programmes for %(organisation)s.")
        % {"user": role.user.get_username(), "organisation": organisation.name},
    )
    return redirect("partnerships:programme_organisers", org_slug=organisation.slug)


@login_required
@require_safe
def organisation_hosting(request, org_slug):
    """The programmes that name the organisation as host, to confirm or decline."""
    organisation = get_organisation_for_host_decider(request.user, org_slug)
    return render(
        request,
        "partnerships/programmes/hosting.html",
        {"organisation": organisation, "links": selectors.host_links(organisation)},
    )


@login_required
@require_POST
def organisation_hosting_decide(request, org_slug, pk):
    organisation = get_organisation_for_host_decider(request.user, org_slug)
    link = get_object_or_404(selectors.host_links(organisation), pk=pk)
    decision = request.POST.get("decision", "")
    if decision not in {"confirm", "decline"}:
        messages.error(request, _("Choose to confirm or to decline."))
        return redirect("partnerships:programme_hosting", org_slug=organisation.slug)
    link = services.programme_host_decide(
        link=link, user=request.user, confirm=decision == "confirm"
    )
    if link.status == HostStatus.CONFIRMED:
        text = _("%(organisation)s is shown as host of “%(title)s”.")
    else:
        text = _("%(organisation)s is not shown as host of “%(title)s”.")
    messages.success(
        request, text % {"organisation": organisation.name, "title": link.programme.title}
    )
    return redirect("partnerships:programme_hosting", org_slug=organisation.slug)
