"""Accounts: profiles, sign-up, invitations to a city's staff, join requests, problem reports.
Callers check permissions first; these services trust their arguments, validate, run
atomically, and tell people through ``cities.notifications`` (in-app and the e-mail outbox,
in the recipient's language)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    City,
    CityStaff,
    ContentFlag,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    StaffRole,
    UserProfile,
)
from ..models.accounts import token_hash
from ..notifications.services import email_address, notify, notify_many

User = get_user_model()


# --- profile and sign-up ------------------------------------------------------------------------


@transaction.atomic
def profile_update(*, user, preferred_language: str, digest_opt_out: bool) -> UserProfile:
    profile = UserProfile.for_user(user)
    profile.preferred_language = preferred_language
    profile.digest_opt_out = digest_opt_out
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def user_create(*, username: str, email: str, password: str, language: str = "") -> User:
    """A new account with no role. Its password was validated by the form."""
    user = User(username=username, email=email)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    UserProfile.objects.create(user=user, preferred_language=language)
    return user


# --- invitations ------------------------------------------------------------------------------


class InvitationInvalid(Exception):
    """The link is unknown, expired, revoked or already used; ``message`` says which."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@transaction.atomic
def invitation_create(
    *, city: City, email: str, role: str, invited_by, language: str
) -> tuple[Invitation, str]:
    """Invite ``email`` to ``city``'s staff with ``role`` and e-mail the single-use link in
    ``language`` through the outbox (the e-mail is the only copy of the token, so it is written
    in this transaction and survives a broker outage). Returns the invitation and the raw
    token (stored only as a hash)."""
    token = Invitation.new_token()
    now = timezone.now()
    invitation = Invitation(
        email=email.strip().lower(),
        city=city,
        role=role,
        invited_by=invited_by,
        token_hash=token_hash(token),
        language=language,
        created_at=now,
        expires_at=now + Invitation.VALID_FOR,
    )
    invitation.full_clean()
    invitation.save()
    email_address(
        to_email=invitation.email,
        kind="invitation",
        language=language,
        url=reverse("invitation_accept", kwargs={"token": token}),
        context={"invitation": invitation, "city": city, "inviter": invited_by},
    )
    return invitation, token


def invitation_check(*, token: str) -> Invitation:
    """The pending invitation for ``token``, or InvitationInvalid with a clear message."""
    invitation = (
        Invitation.objects.select_related("city").filter(token_hash=token_hash(token)).first()
    )
    if invitation is None:
        raise InvitationInvalid(
            _("This invitation link is not valid. Check that you copied it whole.")
        )
    if invitation.accepted_at is not None:
        raise InvitationInvalid(_("This invitation has already been used."))
    if invitation.revoked_at is not None:
        raise InvitationInvalid(_("This invitation was withdrawn."))
    if invitation.is_expired:
        raise InvitationInvalid(
            _("This invitation has expired. Ask the person who invited you for a new one.")
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user) -> CityStaff:
    """Give ``user`` the invited role at the city, once: the invitation is claimed with a
    conditional UPDATE, so a replayed or concurrent accept changes nothing."""
    invitation = invitation_check(token=token)
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).update(accepted_at=now, accepted_by=user)
    if not claimed:
        raise InvitationInvalid(_("This invitation has already been used."))
    staff, created = CityStaff.objects.get_or_create(
        user=user, city=invitation.city, defaults={"role": invitation.role}
    )
    if not created and invitation.role == StaffRole.ADMIN and staff.role != StaffRole.ADMIN:
        staff.role = StaffRole.ADMIN
        staff.save(update_fields=["role"])
    return staff


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> bool:
    return bool(
        Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
    )


@transaction.atomic
def staff_remove(*, staff: CityStaff) -> None:
    staff.delete()


# --- join requests ------------------------------------------------------------------------------


@transaction.atomic
def join_request_create(*, user, city: City, message: str) -> JoinRequest:
    """Ask to join ``city``'s staff. One pending request per person and city."""
    if CityStaff.objects.filter(user=user, city=city).exists():
        raise ValidationError(_("You are already on this city's staff."))
    join_request = JoinRequest(user=user, city=city, message=message)
    join_request.full_clean()
    try:
        with transaction.atomic():
            join_request.save()
    except IntegrityError:
        raise ValidationError(_("You have already asked to join this city.")) from None
    administrators = [
        s.user
        for s in CityStaff.objects.filter(city=city, role=StaffRole.ADMIN).select_related("user")
    ]
    notify_many(
        users=administrators,
        kind="join_request",
        url=reverse("cities:edit_staff", kwargs={"slug": city.slug}),
        context={"join_request": join_request, "city": city},
    )
    return join_request


@transaction.atomic
def join_request_decide(*, join_request: JoinRequest, user, approve: bool) -> JoinRequest:
    """Approve (the person becomes an editor) or decline a pending request, once."""
    status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.DECLINED
    now = timezone.now()
    decided = JoinRequest.objects.filter(
        pk=join_request.pk, status=JoinRequestStatus.PENDING
    ).update(status=status, decided_by=user, decided_at=now)
    if not decided:
        raise ValidationError(_("This request has already been decided."))
    join_request.refresh_from_db()
    if approve:
        CityStaff.objects.get_or_create(
            user=join_request.user, city=join_request.city, defaults={"role": StaffRole.EDITOR}
        )
    notify(
        user=join_request.user,
        kind="join_request_decided",
        url=reverse("cities:detail", kwargs={"slug": join_request.city.slug}),
        context={"join_request": join_request, "city": join_request.city, "approved": approve},
    )
    return join_request


# --- problem reports ----------------------------------------------------------------------------


@transaction.atomic
def flag_create(*, city: City, reason: str, message: str, user=None) -> ContentFlag:
    """Record a "Report a problem" on ``city``'s profile for its curators."""
    flag = ContentFlag(
        city=city,
        reason=reason,
        message=message,
        reported_by=user if user is not None and user.is_authenticated else None,
    )
    flag.full_clean()
    flag.save()
    return flag
