"""Sign-in (with the preferred language and throttling), sign-up, profile, invitations, join
requests and problem reports, as the people using them see it."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cities.models import (
    CityStaff,
    ContentFlag,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    OutboxEmail,
    StaffRole,
    UserProfile,
)
from cities.models.accounts import token_hash

from .factories import CityStaffFactory, UserFactory

PASSWORD = "a-long-test-password"


def invitation_link(message) -> str:
    return re.search(r"https?://\S+/accounts/invitations/\S+/", message.body).group(0)


def make_invitation(city, *, email="new.person@city.example", role=StaffRole.EDITOR, **extra):
    token = Invitation.new_token()
    Invitation.objects.create(
        email=email,
        city=city,
        role=role,
        token_hash=token_hash(token),
        expires_at=extra.pop("expires_at", timezone.now() + Invitation.VALID_FOR),
        **extra,
    )
    return token


# --- sign-in ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_signs_in_and_switches_to_the_preferred_language(client):
    user = UserFactory(username="ana")
    UserProfile.objects.create(user=user, preferred_language="pt")

    response = client.post(reverse("login"), {"username": "ana", "password": PASSWORD})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "pt"
    assert '<html lang="pt">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_it_signs_out_with_a_post(client, member):
    client.force_login(member)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_locks_sign_in_for_15_minutes_after_5_failures(client, settings):
    settings.AXES_ENABLED = True
    UserFactory(username="ana")
    for _attempt in range(5):
        failed = client.post(reverse("login"), {"username": "ana", "password": "wrong"})
        assert failed.status_code in (200, 429)

    # Even the right password is refused now, with a page that says why.
    locked = client.post(reverse("login"), {"username": "ana", "password": PASSWORD})

    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_lets_a_person_in_again_after_the_cool_off(client, settings):
    settings.AXES_ENABLED = True
    from axes.models import AccessAttempt

    UserFactory(username="ana")
    for _attempt in range(5):
        client.post(reverse("login"), {"username": "ana", "password": "wrong"})
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    response = client.post(reverse("login"), {"username": "ana", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


# --- password reset and change ------------------------------------------------------------------


@pytest.mark.django_db
def test_it_resets_a_forgotten_password_by_e_mail_in_the_persons_language(
    client, django_capture_on_commit_callbacks
):
    ana = UserFactory(username="ana", email="ana@city.example")
    UserProfile.objects.update_or_create(user=ana, defaults={"preferred_language": "de"})

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "ana@city.example"})

    assert len(mail.outbox) == 1
    assert OutboxEmail.objects.get().to_email == "ana@city.example"  # through the outbox
    assert "Passwort" in mail.outbox[0].subject
    link = re.search(r"http://\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    form_page = client.get(link, follow=True)
    new = "another-long-password-42"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    assert client.login(username="ana", password=new)


@pytest.mark.django_db
def test_it_changes_the_password_of_a_signed_in_person(client, member):
    client.force_login(member)
    new = "another-long-password-42"

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new)


# --- sign-up and profile --------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_creates_an_account_without_a_role(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "newcomer",
            "email": "newcomer@city.example",
            "password1": "a-long-new-password",
            "password2": "a-long-new-password",
        },
    )

    assert response.status_code == 302
    assert not CityStaff.objects.filter(user__username="newcomer").exists()
    assert "You have no role yet" in client.get(reverse("profile")).content.decode()


@pytest.mark.django_db
def test_it_saves_the_preferred_language_and_digest_opt_out(client, member):
    client.force_login(member)

    response = client.post(reverse("profile"), {"preferred_language": "fr", "digest_opt_out": "on"})

    assert response.status_code == 302
    profile = UserProfile.objects.get(user=member)
    assert (profile.preferred_language, profile.digest_opt_out) == ("fr", True)
    assert response.cookies["django_language"].value == "fr"


# --- invitations ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_lets_a_curator_invite_someone_who_then_creates_an_account(
    client, curator_dst, kafue, django_capture_on_commit_callbacks
):
    client.force_login(curator_dst)

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("cities:invite", kwargs={"slug": "kafue"}),
            {"email": "New.Person@city.example", "role": "admin"},
        )

    assert sent.status_code == 302
    assert len(mail.outbox) == 1
    link = invitation_link(mail.outbox[0])
    client.logout()
    page = client.get(link)
    assert "Join the staff of Kafue" in page.content.decode()
    response = client.post(
        link,
        {
            "username": "newperson",
            "email": "new.person@city.example",
            "password1": "a-long-new-password",
            "password2": "a-long-new-password",
        },
    )
    assert response.status_code == 302
    staff = CityStaff.objects.get(user__username="newperson")
    assert (staff.city, staff.role) == (kafue, StaffRole.ADMIN)


@pytest.mark.django_db
def test_it_links_an_invitation_to_an_existing_account(client, member, kafue):
    token = make_invitation(kafue)
    client.force_login(member)

    client.post(reverse("invitation_accept", kwargs={"token": token}))

    assert CityStaff.objects.filter(user=member, city=kafue).exists()


@pytest.mark.django_db
def test_it_refuses_a_used_invitation_and_changes_nothing(client, member, kafue):
    token = make_invitation(kafue)
    client.force_login(member)
    client.post(reverse("invitation_accept", kwargs={"token": token}))
    other = UserFactory(username="other")
    client.force_login(other)

    response = client.post(reverse("invitation_accept", kwargs={"token": token}))

    assert response.status_code == 404
    assert "already been used" in response.content.decode()
    assert not CityStaff.objects.filter(user=other).exists()


@pytest.mark.django_db
def test_it_refuses_an_expired_invitation_and_changes_nothing(client, member, kafue):
    token = make_invitation(kafue, expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(member)

    response = client.post(reverse("invitation_accept", kwargs={"token": token}))

    assert response.status_code == 404
    assert "expired" in response.content.decode()
    assert not CityStaff.objects.filter(user=member).exists()


@pytest.mark.django_db
def test_it_refuses_a_tampered_invitation_link(client, member, kafue):
    token = make_invitation(kafue)
    client.force_login(member)

    response = client.post(reverse("invitation_accept", kwargs={"token": token[:-2] + "xx"}))

    assert response.status_code == 404
    assert "not valid" in response.content.decode()
    assert not CityStaff.objects.filter(user=member).exists()
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.django_db
def test_it_stores_only_a_hash_of_the_invitation_token(
    client, curator_dst, kafue, django_capture_on_commit_callbacks
):
    client.force_login(curator_dst)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cities:invite", kwargs={"slug": "kafue"}),
            {"email": "a@city.example", "role": "editor"},
        )
    token = invitation_link(mail.outbox[0]).rstrip("/").rsplit("/", 1)[-1]

    invitation = Invitation.objects.get()

    assert invitation.token_hash == token_hash(token)
    assert token not in str(Invitation.objects.values().get())


@pytest.mark.django_db
def test_it_does_not_let_an_editor_invite(client, staff_kafue):
    client.force_login(staff_kafue)

    response = client.post(
        reverse("cities:invite", kwargs={"slug": "kafue"}),
        {"email": "a@city.example", "role": "editor"},
    )

    assert response.status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_it_lets_a_city_admin_invite(client, kafue):
    city_admin = CityStaffFactory(city=kafue, role=StaffRole.ADMIN).user
    client.force_login(city_admin)

    client.post(
        reverse("cities:invite", kwargs={"slug": "kafue"}),
        {"email": "a@city.example", "role": "editor"},
    )

    assert Invitation.objects.filter(city=kafue, invited_by=city_admin).exists()


@pytest.mark.django_db
def test_it_does_not_let_staff_of_another_city_invite_by_swapping_the_slug(
    client, staff_recife, kafue
):
    CityStaff.objects.filter(user=staff_recife).update(role=StaffRole.ADMIN)
    client.force_login(staff_recife)

    response = client.post(
        reverse("cities:invite", kwargs={"slug": "kafue"}),
        {"email": "a@city.example", "role": "editor"},
    )

    assert response.status_code == 403
    assert not Invitation.objects.exists()


# --- join requests ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_lets_a_person_ask_to_join_and_a_curator_approve(
    client, member, curator_dst, kafue, django_capture_on_commit_callbacks
):
    client.force_login(member)
    client.post(reverse("cities:join", kwargs={"slug": "kafue"}), {"message": "IR office"})
    join_request = JoinRequest.objects.get(user=member, city=kafue)
    client.force_login(curator_dst)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cities:join_request_decide", kwargs={"slug": "kafue", "pk": join_request.pk}),
            {"decision": "approve"},
        )

    assert response.status_code == 302
    assert CityStaff.objects.get(user=member, city=kafue).role == StaffRole.EDITOR
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.APPROVED
    assert any("approved" in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_it_refuses_a_second_pending_request_for_the_same_city(client, member, kafue):
    client.force_login(member)
    client.post(reverse("cities:join", kwargs={"slug": "kafue"}), {"message": "one"})

    response = client.post(reverse("cities:join", kwargs={"slug": "kafue"}), {"message": "two"})

    assert response.status_code == 200
    assert JoinRequest.objects.filter(user=member).count() == 1


@pytest.mark.django_db
def test_it_does_not_let_staff_of_another_city_approve_a_request(
    client, member, staff_recife, kafue
):
    join_request = JoinRequest.objects.create(user=member, city=kafue)
    client.force_login(staff_recife)

    response = client.post(
        reverse("cities:join_request_decide", kwargs={"slug": "recife", "pk": join_request.pk}),
        {"decision": "approve"},
    )

    assert response.status_code in (403, 404)
    assert not CityStaff.objects.filter(user=member).exists()


# --- report a problem -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_records_a_problem_report_from_a_visitor(client, kafue):
    response = client.post(
        reverse("cities:report", kwargs={"slug": "kafue"}),
        {"reason": "outdated", "message": "The mayor changed in 2026."},
    )

    assert response.status_code == 302
    assert ContentFlag.objects.get().message == "The mayor changed in 2026."


@pytest.mark.django_db
def test_it_limits_problem_reports_to_5_an_hour(client, kafue):
    from django.core.cache import cache

    cache.clear()
    url = reverse("cities:report", kwargs={"slug": "kafue"})
    for _report in range(5):
        client.post(url, {"reason": "other", "message": "x"})

    response = client.post(url, {"reason": "other", "message": "x"})

    assert response.status_code == 429
    assert "try again later" in response.content.decode()
    assert ContentFlag.objects.count() == 5
    cache.clear()
