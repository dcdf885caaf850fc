"""Sign-in with the preferred language, sign-up, the account profile, invitations, a city's
staff page, join requests and "Report a problem"."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from citydiplomacy.clientip import client_ip
from citydiplomacy.redirects import is_local_path

from .. import permissions
from ..models import CityStaff, Invitation, JoinRequest, JoinRequestStatus, UserProfile
from . import services
from .forms import InvitationForm, JoinRequestForm, ProfileForm, ReportProblemForm, SignUpForm

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _apply_language(request, response, language: str):
    """Switch the interface to ``language`` now and for later visits (the language cookie)."""
    if language and language in dict(settings.LANGUAGES):
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
    return response


class LoginView(auth_views.LoginView):
    """Django's sign-in; afterwards the interface switches to the person's preferred language."""

    redirect_authenticated_user = True
    http_method_names = ["get", "post"]
    template_name = "cities/accounts/login.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        profile = UserProfile.objects.filter(user=form.get_user()).first()
        return _apply_language(
            self.request, response, profile.preferred_language if profile else ""
        )


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = services.user_create(
                    username=form.cleaned_data["username"],
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                    language=translation.get_language() or "",
                )
        except (IntegrityError, ValidationError):
            # Someone took the username between the form's check and the write (a double
            # submit, or two people at once). Checking the form again names the clash now
            # that the other account is committed; a failure it cannot explain is re-raised.
            form = SignUpForm(request.POST)
            if form.is_valid():
                raise
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(
                request,
                _("Welcome! Your account has no role yet: ask to join your city from its profile."),
            )
            return redirect("profile")
    return render(request, "cities/accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user_profile = UserProfile.for_user(request.user)
    form = ProfileForm(request.POST or None, instance=user_profile)
    if request.method == "POST" and form.is_valid():
        saved = services.profile_update(
            user=request.user,
            preferred_language=form.cleaned_data["preferred_language"],
            digest_opt_out=form.cleaned_data["digest_opt_out"],
        )
        messages.success(request, _("Your settings were saved."))
        return _apply_language(request, redirect("profile"), saved.preferred_language)
    context = {
        "form": form,
        "staff_roles": CityStaff.objects.filter(user=request.user).select_related("city"),
        "curated": permissions.curated_organisations(request.user)
        if not permissions.is_site_admin(request.user)
        else [],
        "join_requests": JoinRequest.objects.filter(user=request.user).select_related("city")[:20],
    }
    return render(request, "cities/accounts/profile.html", context)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """Accept an invitation: signed-in people accept with one click; others create an account
    here (or sign in first). Unknown, expired, revoked or used links say so and change nothing."""
    try:
        invitation = services.invitation_check(token=token)
    except services.InvitationInvalid as invalid:
        return render(
            request,
            "cities/accounts/invitation_invalid.html",
            {"message": invalid.message},
            status=404,
        )
    form = None
    if not request.user.is_authenticated:
        form = SignUpForm(request.POST or None, initial={"email": invitation.email})
    if request.method == "POST":
        user = request.user
        if form is not None:
            if not form.is_valid():
                return render(
                    request,
                    "cities/accounts/invitation.html",
                    {"invitation": invitation, "form": form},
                )
            user = services.user_create(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                language=invitation.language,
            )
        try:
            staff = services.invitation_accept(token=token, user=user)
        except services.InvitationInvalid as invalid:
            return render(
                request,
                "cities/accounts/invitation_invalid.html",
                {"message": invalid.message},
                status=404,
            )
        if form is not None:
            login(request, user, backend=MODEL_BACKEND)
        messages.success(
            request,
            _("You are now %(role)s of %(city)s.")
            % {"role": staff.get_role_display().lower(), "city": staff.city.name},
        )
        return redirect("cities:edit", slug=staff.city.slug)
    return render(
        request, "cities/accounts/invitation.html", {"invitation": invitation, "form": form}
    )


# --- a city's staff -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def staff(request, slug):
    city = permissions.get_city_for_staff_manager(request.user, slug)
    context = {
        "city": city,
        "tab": "staff",
        "staff": city.staff.select_related("user").order_by("user__username"),
        "invitations": Invitation.objects.pending().filter(city=city),
        "join_requests": city.join_requests.filter(status=JoinRequestStatus.PENDING).select_related(
            "user"
        ),
        "form": InvitationForm(),
    }
    return render(request, "cities/accounts/staff.html", context)


@login_required
@require_POST
def invite(request, slug):
    city = permissions.get_city_for_staff_manager(request.user, slug)
    form = InvitationForm(request.POST)
    if form.is_valid():
        services.invitation_create(
            city=city,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
            language=form.cleaned_data["language"],
        )
        messages.success(
            request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
        )
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("cities:edit_staff", slug=city.slug)


@login_required
@require_POST
def invitation_revoke(request, slug, pk):
    city = permissions.get_city_for_staff_manager(request.user, slug)
    invitation = get_object_or_404(Invitation, pk=pk, city=city)
    if services.invitation_revoke(invitation=invitation):
        messages.success(request, _("The invitation was withdrawn."))
    return redirect("cities:edit_staff", slug=city.slug)


@login_required
@require_POST
def staff_remove(request, slug, pk):
    city = permissions.get_city_for_staff_manager(request.user, slug)
    member = get_object_or_404(CityStaff, pk=pk, city=city)
    services.staff_remove(staff=member)
    messages.success(
        request,
        _("%(user)s no longer works for %(city)s here.")
        % {
            "user": member.user.get_username(),
            "city": city.name,
        },
    )
    return redirect("cities:edit_staff", slug=city.slug)


@login_required
@require_POST
def join_request_decide(request, slug, pk):
    city = permissions.get_city_for_staff_manager(request.user, slug)
    join_request = get_object_or_404(JoinRequest, pk=pk, city=city)
    decision = request.POST.get("decision")
    if decision not in {"approve", "decline"}:
        messages.error(request, _("Choose approve or decline."))
        return redirect("cities:edit_staff", slug=city.slug)
    try:
        services.join_request_decide(
            join_request=join_request, user=request.user, approve=decision == "approve"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Request approved.") if decision == "approve" else _("Request declined.")
        )
    if request.POST.get("next"):
        return redirect(_safe_next(request))
    return redirect("cities:edit_staff", slug=city.slug)


def _safe_next(request) -> str:
    target = request.POST.get("next", "")
    return target if is_local_path(request, target) else "/"


@login_required
@require_http_methods(["GET", "POST"])
def join_request_new(request, slug):
    city = permissions.get_city_for_viewer(request.user, slug)
    already_staff = CityStaff.objects.filter(user=request.user, city=city).exists()
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and not already_staff and form.is_valid():
        try:
            services.join_request_create(
                user=request.user, city=city, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request was sent to the city's administrators."))
            return redirect(city.get_absolute_url())
    pending = JoinRequest.objects.filter(
        user=request.user, city=city, status=JoinRequestStatus.PENDING
    ).exists()
    context = {"city": city, "form": form, "already_staff": already_staff, "pending": pending}
    return render(request, "cities/accounts/join_request.html", context)


FLAGS_PER_HOUR = 5


@require_http_methods(["GET", "POST"])
def report_problem(request, slug):
    """Anyone who can see a profile may report a problem; at most 5 reports an hour each."""
    city = permissions.get_city_for_viewer(request.user, slug)
    form = ReportProblemForm(request.POST or None)
    if request.method == "POST":
        # Counted per account, else per client address as the sign-in throttling counts it
        # (citydiplomacy.clientip: the proxy's X-Forwarded-For entry, never the proxy itself).
        who = (
            f"user:{request.user.pk}"
            if request.user.is_authenticated
            else f"ip:{client_ip(request) or 'unknown'}"
        )
        key = f"report-problem:{who}"
        cache.add(key, 0, timeout=3600)
        try:
            reports = cache.incr(key)
        except ValueError:  # the cache is down (or the key just expired): let the report in
            reports = 1
        if reports > FLAGS_PER_HOUR:
            return render(
                request,
                "cities/accounts/report_problem.html",
                {
                    "city": city,
                    "form": form,
                    "throttled": _(
                        "You have sent many reports in the last hour. Please try again later."
                    ),
                },
                status=429,
            )
        if form.is_valid():
            services.flag_create(
                city=city,
                reason=form.cleaned_data["reason"],
                message=form.cleaned_data["message"],
                user=request.user,
            )
            messages.success(request, _("Thank you: the city's curators will look at it."))
            return redirect(city.get_absolute_url())
    return render(request, "cities/accounts/report_problem.html", {"city": city, "form": form})
