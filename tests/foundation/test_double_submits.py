"""The same form submitted twice at once (a double click, two tabs, two colleagues) gets a
clear answer for each submission, never a 500: the database's unique constraints decide, and
the loser is told why, or — for a generated slug — simply gets the next free one.

Each case is tested twice: sequentially, by saving the clashing row between the check and the
write (both databases), and with real threads on separate PostgreSQL connections, held at a
barrier until both requests have passed their checks."""

import re
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from cities.editing import views as editing_views
from cities.models import Challenge, Theme
from partnerships.models import Programme
from partnerships.programmes import services as programme_services
from tests.cities.factories import ChallengeFactory

User = get_user_model()


@pytest.fixture(autouse=True)
def _skip_postgres_only_on_sqlite(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (concurrent connections and unique index waits)")


def race(*requests):
    """Run each ``request()`` in its own thread (its own database connection) at once;
    returns their responses (or exceptions) in order."""
    results: list = [None] * len(requests)

    def run(index, request):
        try:
            results[index] = request()
        except Exception as exc:  # collected for the assertions
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def hold_at(barrier: threading.Barrier, function):
    """``function`` that first waits until every racing request has reached it."""

    def held(*args, **kwargs):
        barrier.wait(timeout=20)
        return function(*args, **kwargs)

    return held


def statuses(responses) -> list:
    return sorted(getattr(r, "status_code", repr(r)) for r in responses)


def clash_after_check(monkeypatch, owner, check: str, make_clash, *, when=None):
    """Another request saves the clashing row right after ``owner.check`` passed in this one:
    ``make_clash()`` runs once after the first call for which ``when(kwargs)`` holds."""
    original = getattr(owner, check)
    pending = [True]

    def check_then_someone_else(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        if pending and (when is None or when(args, kwargs)):
            pending.clear()
            make_clash()
        return result

    monkeypatch.setattr(owner, check, check_then_someone_else)


def the_services_own_check(args, kwargs) -> bool:
    """``full_clean()`` as a service calls it, not the ModelForm's partial one."""
    return not args and not kwargs


# --- sign-up: the same username -----------------------------------------------------------

SIGNUP = {"username": "newcomer", "password1": "a-long-new-pw", "password2": "a-long-new-pw"}


def _sign_up(email: str):
    return Client().post(reverse("signup"), {**SIGNUP, "email": email})


@pytest.mark.django_db
def test_it_tells_the_second_of_two_sign_ups_that_the_username_was_just_taken(monkeypatch):
    from cities.accounts.forms import SignUpForm

    clash_after_check(
        monkeypatch,
        SignUpForm,
        "_post_clean",  # the form's last check, its unique username among them
        lambda: User.objects.create_user(username="newcomer", email="first@city.example"),
    )

    response = _sign_up("second@city.example")

    assert response.status_code == 200
    assert "A user with that username already exists." in response.content.decode()
    assert list(User.objects.values_list("email", flat=True)) == ["first@city.example"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_answers_two_simultaneous_sign_ups_with_the_same_username(monkeypatch):
    from cities.accounts import services

    monkeypatch.setattr(
        services, "user_create", hold_at(threading.Barrier(2), services.user_create)
    )

    responses = race(
        lambda: _sign_up("first@city.example"), lambda: _sign_up("second@city.example")
    )

    assert statuses(responses) == [200, 302]
    refused = next(r for r in responses if r.status_code == 200)
    assert "A user with that username already exists." in refused.content.decode()
    assert User.objects.filter(username="newcomer").count() == 1


# --- programmes: the same title, so the same slug -----------------------------------------

PROGRAMME = {
    "title": "Water week in Lusaka",
    "host_country": "ZM",
    "start_date": "2026-09-07",
    "end_date": "2026-09-11",
    "timezone": "Africa/Lusaka",
}


@pytest.fixture
def organiser(db):
    """Someone with the programme organiser role (granted by a site admin)."""
    from partnerships.models import ProgrammeOrganiserRole
    from tests.cities.factories import UserFactory

    user = UserFactory(username="organiser")
    ProgrammeOrganiserRole.objects.create(user=user)
    return user


def _create_programme(user):
    client = Client()
    client.force_login(user)
    return client.post(reverse("partnerships:programme_create"), PROGRAMME)


@pytest.mark.django_db
def test_it_gives_a_programme_the_next_free_slug_when_another_took_it_meanwhile(
    organiser, monkeypatch
):
    unique_slug = programme_services._unique_slug
    taken = []

    def someone_else_first(title, instance_pk=None):
        slug = unique_slug(title, instance_pk)
        if not taken:
            taken.append(
                Programme.objects.create(
                    title=title,
                    slug=slug,
                    host_country="ZM",
                    start_date="2026-09-07",
                    end_date="2026-09-11",
                )
            )
        return slug

    monkeypatch.setattr(programme_services, "_unique_slug", someone_else_first)

    response = _create_programme(organiser)

    assert response.status_code == 302
    assert sorted(Programme.objects.values_list("slug", flat=True)) == [
        "water-week-in-lusaka",
        "water-week-in-lusaka-2",
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_creates_both_of_two_simultaneous_programmes_with_the_same_title(organiser, monkeypatch):
    barrier = threading.Barrier(2)
    unique_slug = programme_services._unique_slug
    calls = []

    def slug_then_wait(title, instance_pk=None):
        slug = unique_slug(title, instance_pk)
        calls.append(slug)
        if len(calls) <= 2:  # the first attempt of each request; retries go straight on
            barrier.wait(timeout=20)
        return slug

    monkeypatch.setattr(programme_services, "_unique_slug", slug_then_wait)

    responses = race(lambda: _create_programme(organiser), lambda: _create_programme(organiser))

    assert statuses(responses) == [302, 302]
    assert sorted(Programme.objects.values_list("slug", flat=True)) == [
        "water-week-in-lusaka",
        "water-week-in-lusaka-2",
    ]


# --- challenges: the same theme twice -----------------------------------------------------


def _add_challenge(user, theme):
    client = Client()
    client.force_login(user)
    return client.post(
        reverse("cities:edit_challenges", kwargs={"slug": "kafue"}),
        {"theme": theme.pk, "priority": "high", "seeks_help": "on"},
    )


@pytest.mark.django_db
def test_it_explains_a_challenge_whose_theme_was_added_meanwhile(staff_kafue, kafue, monkeypatch):
    flooding = Theme.objects.get(slug="flooding")
    clash_after_check(
        monkeypatch,
        Challenge,
        "full_clean",
        lambda: ChallengeFactory(city=kafue, theme=flooding),
        when=the_services_own_check,
    )

    response = _add_challenge(staff_kafue, flooding)

    assert response.status_code == 200
    assert "Challenge with this City and Theme already exists." in response.content.decode()
    # (The simulated other request wrote in this request's transaction, so both are gone.)
    assert not Challenge.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_answers_two_simultaneous_challenges_on_the_same_theme(staff_kafue, kafue, monkeypatch):
    flooding = Theme.objects.get(slug="flooding")
    monkeypatch.setattr(
        Challenge, "full_clean", hold_at(threading.Barrier(2), Challenge.full_clean)
    )

    responses = race(
        lambda: _add_challenge(staff_kafue, flooding),
        lambda: _add_challenge(staff_kafue, flooding),
    )

    assert statuses(responses) == [200, 302]
    refused = next(r for r in responses if r.status_code == 200)
    assert "Challenge with this City and Theme already exists." in refused.content.decode()
    assert Challenge.objects.count() == 1


# --- history: the same revert twice -------------------------------------------------------


def _revert(user, record):
    client = Client()
    client.force_login(user)
    return client.post(
        reverse("cities:history_revert", kwargs={"slug": "kafue"}),
        {"key": "challenge", "history_id": record.history_id},
        follow=True,
    )


ALREADY_RESTORED = "This item exists again; nothing to restore."
ALREADY_UNDONE = "This change has already been undone."


def messages_on(response) -> list[str]:
    """The messages the page shows (after the redirect back to the history)."""
    return re.findall(r'<p class="message [^"]*">([^<]*)</p>', response.content.decode())


def _pages(responses) -> str:
    """Where each response ended and what it said, for a failure message."""
    return "; ".join(
        f"{r.redirect_chain} {re.findall(r'<title>([^<]*)</title>', r.content.decode())}"
        for r in responses
    )


def _deleted_challenge(kafue, theme):
    challenge = ChallengeFactory(city=kafue, theme=theme)
    pk = challenge.pk
    challenge.delete()
    return Challenge.history.get(id=pk, history_type="-")


@pytest.mark.django_db
def test_it_explains_a_restore_that_clashes_with_a_challenge_added_meanwhile(
    curator_dst, kafue, monkeypatch
):
    flooding = Theme.objects.get(slug="flooding")
    deletion = _deleted_challenge(kafue, flooding)
    clash_after_check(
        monkeypatch,
        Challenge,
        "full_clean",
        lambda: ChallengeFactory(city=kafue, theme=flooding),
        when=the_services_own_check,
    )

    response = _revert(curator_dst, deletion)

    assert response.status_code == 200
    assert "Challenge with this City and Theme already exists." in response.content.decode()
    # (The simulated other request wrote in this request's transaction, so both are gone.)
    assert not Challenge.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_restores_a_deletion_once_when_two_curators_revert_it_at_once(
    curator_dst, kafue, monkeypatch
):
    deletion = _deleted_challenge(kafue, Theme.objects.get(slug="flooding"))
    monkeypatch.setattr(
        editing_views,
        "history_revert",
        hold_at(threading.Barrier(2), editing_views.history_revert),
    )

    responses = race(lambda: _revert(curator_dst, deletion), lambda: _revert(curator_dst, deletion))

    assert statuses(responses) == [200, 200]
    said = sorted(messages_on(r) for r in responses)
    assert said == [["The deleted item was restored."], [ALREADY_RESTORED]], _pages(responses)
    assert Challenge.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_reverts_a_change_once_when_two_curators_revert_it_at_once(
    curator_dst, kafue, monkeypatch
):
    challenge = ChallengeFactory(city=kafue, theme=Theme.objects.get(slug="flooding"))
    challenge.priority = "low"
    challenge.save()
    change = Challenge.history.filter(id=challenge.pk, history_type="~").latest("history_date")
    monkeypatch.setattr(
        editing_views,
        "history_revert",
        hold_at(threading.Barrier(2), editing_views.history_revert),
    )

    responses = race(lambda: _revert(curator_dst, change), lambda: _revert(curator_dst, change))

    assert statuses(responses) == [200, 200]
    said = sorted(messages_on(r) for r in responses)
    assert said == [["The change was reverted."], [ALREADY_UNDONE]], _pages(responses)
    challenge.refresh_from_db()
    assert challenge.priority == "high"
    assert Challenge.history.filter(id=challenge.pk).count() == 3  # +, ~, and one revert


# --- memberships: the same organisation twice ---------------------------------------------


@pytest.mark.django_db
def test_it_explains_a_membership_added_meanwhile(curator_dst, kafue, monkeypatch):
    from cities.models import Membership, Organisation

    second = Organisation.objects.create(name="Second network", slug="second", kind="network")
    curator_dst.curator_roles.create(organisation=second)
    clash_after_check(
        monkeypatch,
        Membership,
        "full_clean",
        lambda: Membership.objects.bulk_create([Membership(city=kafue, organisation=second)]),
        when=the_services_own_check,
    )
    client = Client()
    client.force_login(curator_dst)

    response = client.post(
        reverse("cities:edit_memberships", kwargs={"slug": "kafue"}), {"organisation": second.pk}
    )

    assert response.status_code == 200
    assert "Membership with this Organisation and City already exists." in response.content.decode()
