"""The request workflow through its services and pages: sending, seeing, answering, and every
bad input refused with a clear message, nothing stored twice and nothing sent."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cities.choices import PartnershipKind
from cities.models import Notification, OutboxEmail, OutboxStatus
from partnerships import services
from partnerships.models import (
    Partnership,
    PartnershipRequest,
    PartnershipSource,
    PartnershipStatus,
    RequestEvent,
    RequestStatus,
)

from ..cities.factories import CityFactory, CityStaffFactory, UserFactory
from .factories import PartnershipFactory, top_themes

pytestmark = pytest.mark.django_db

MESSAGE = "Kafue would like to exchange on flood protection and water supply."


@pytest.fixture
def tunis(db):
    return CityFactory(name="Tunis", slug="tunis", country="TN", latitude=36.8, longitude=10.18)


@pytest.fixture
def staff_tunis(db, tunis):
    return CityStaffFactory(user=UserFactory(username="staff_tunis"), city=tunis).user


@pytest.fixture
def send(staff_kafue, staff_recife, kafue, recife, django_capture_on_commit_callbacks):
    """Send a request from Kafue to Recife and run what happens after commit."""

    def _send(**overrides):
        arguments = {
            "sender": staff_kafue,
            "from_city": kafue,
            "to_city": recife,
            "kind": PartnershipKind.PROJECT,
            "message": MESSAGE,
            **overrides,
        }
        with django_capture_on_commit_callbacks(execute=True):
            return services.request_send(**arguments)

    return _send


def _nothing_sent(mailoutbox):
    return not mailoutbox and not OutboxEmail.objects.exists()


# --- sending ----------------------------------------------------------------------------------


def test_it_sends_a_request_and_tells_the_addressed_city_by_e_mail_and_in_app(
    send, staff_recife, mailoutbox
):
    themes = top_themes(2)
    request = send(themes=themes)

    assert request.status == RequestStatus.SENT
    assert set(request.themes.all()) == set(themes)
    assert request.expires_at - request.created_at == datetime.timedelta(days=60)
    assert list(request.events.values_list("from_status", "to_status")) == [("", "sent")]
    notification = Notification.objects.get()
    assert notification.user == staff_recife
    assert notification.url == request.get_absolute_url()
    assert [m.to for m in mailoutbox] == [[staff_recife.email]]
    assert "Kafue proposes a partnership to Recife" in mailoutbox[0].subject
    assert MESSAGE in mailoutbox[0].body
    assert mailoutbox[0].alternatives[0][1] == "text/html"
    assert OutboxEmail.objects.get().status == OutboxStatus.SENT


def test_it_rejects_a_request_to_the_own_city(send, kafue, mailoutbox):
    with pytest.raises(services.RequestRefused) as refused:
        send(to_city=kafue)

    assert "itself" in refused.value.messages[0]
    assert not PartnershipRequest.objects.exists()
    assert _nothing_sent(mailoutbox)


def test_it_rejects_a_duplicate_open_request_with_a_link_to_the_open_one(send, mailoutbox):
    first = send()
    with pytest.raises(services.RequestRefused) as refused:
        send(message="Again, in case you missed it.")

    assert refused.value.code == "duplicate"
    assert refused.value.link == first.get_absolute_url()
    assert PartnershipRequest.objects.count() == 1
    assert len(mailoutbox) == 1


def test_it_points_to_the_request_the_other_city_already_sent(
    send, staff_recife, kafue, recife, mailoutbox
):
    theirs = send(sender=staff_recife, from_city=recife, to_city=kafue)
    with pytest.raises(services.RequestRefused) as refused:
        send()

    assert refused.value.code == "reverse_open"
    assert refused.value.link == theirs.get_absolute_url()
    assert PartnershipRequest.objects.count() == 1


def test_it_allows_a_new_request_once_the_previous_one_is_answered(
    send, staff_recife, django_capture_on_commit_callbacks
):
    first = send()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_decline(request=first, user=staff_recife)

    second = send(kind=PartnershipKind.FRIENDSHIP)

    assert second.pk != first.pk
    assert PartnershipRequest.objects.open().count() == 1


def test_it_rejects_a_request_to_an_unpublished_city(send, mailoutbox):
    hidden = CityFactory(is_published=False)
    with pytest.raises(services.RequestRefused) as refused:
        send(to_city=hidden)

    assert refused.value.code == "unknown_city"
    assert _nothing_sent(mailoutbox)


def test_it_refuses_a_request_for_a_pair_that_already_partners_in_this_kind(
    send, kafue, recife, mailoutbox
):
    partnership = PartnershipFactory(first=kafue, second=recife, kind=PartnershipKind.PROJECT)
    with pytest.raises(services.RequestRefused) as refused:
        send()

    assert refused.value.link == partnership.get_absolute_url()
    assert _nothing_sent(mailoutbox)


@override_settings(CITYDIPLOMACY={"REQUESTS_PER_CITY_PER_DAY": 2})
def test_it_refuses_requests_over_the_daily_limit_with_a_clear_message(send, mailoutbox):
    send(to_city=CityFactory())
    send(to_city=CityFactory())
    with pytest.raises(services.RequestRefused) as refused:
        send()

    assert refused.value.code == "rate_limited"
    assert "24 hours" in refused.value.messages[0]
    assert PartnershipRequest.objects.count() == 2


@override_settings(CITYDIPLOMACY={"REQUESTS_PER_CITY_PER_DAY": 1})
def test_it_counts_the_limit_over_a_rolling_day(send):
    yesterday = timezone.now() - datetime.timedelta(days=1, minutes=1)
    send(to_city=CityFactory(), now=yesterday)

    send()  # the request of more than 24 hours ago no longer counts

    assert PartnershipRequest.objects.count() == 2


def test_it_rejects_a_message_over_the_length_limit(send, mailoutbox):
    with pytest.raises(ValidationError) as refused:
        send(message="x" * 2001)

    assert "message" in refused.value.message_dict
    assert not PartnershipRequest.objects.exists()
    assert _nothing_sent(mailoutbox)


def test_it_refuses_staff_of_another_city_sending_on_its_behalf(client, staff_recife, mailoutbox):
    client.force_login(staff_recife)

    response = client.post(
        reverse("partnerships:request_new") + "?to=tunis",
        {"from_city": "kafue", "to_city": "tunis", "kind": "project", "message": "Hello"},
    )

    assert response.status_code == 200  # the form refuses a city the sender does not staff
    assert "from_city" in response.context["form"].errors
    assert not PartnershipRequest.objects.exists()


def test_it_sends_nothing_when_the_surrounding_transaction_rolls_back(
    send, staff_kafue, kafue, recife, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.request_send(
            sender=staff_kafue, from_city=kafue, to_city=recife, kind="project", message="Hi"
        )
        raise RuntimeError("abort after the request was written")

    assert callbacks == []
    assert not PartnershipRequest.objects.exists()
    assert not Notification.objects.exists()
    assert _nothing_sent(mailoutbox)


# --- seeing and answering ---------------------------------------------------------------------


def test_it_marks_a_request_seen_when_staff_of_the_addressed_city_open_it(
    send, client, staff_recife, curator_dst, admin
):
    request = send()
    for viewer in (admin,):
        client.force_login(viewer)
        client.get(request.get_absolute_url())
    request.refresh_from_db()
    assert request.status == RequestStatus.SENT  # a site admin looking is not the city

    client.force_login(staff_recife)
    response = client.get(request.get_absolute_url())
    client.get(request.get_absolute_url())

    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == RequestStatus.SEEN
    assert list(request.events.values_list("from_status", "to_status")) == [
        ("", "sent"),
        ("sent", "seen"),
    ]


def test_it_accepts_a_request_into_exactly_one_active_partnership_with_its_themes(
    send, staff_kafue, staff_recife, mailoutbox, django_capture_on_commit_callbacks
):
    themes = top_themes(2)
    request = send(themes=themes)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        partnership = services.request_accept(request=request, user=staff_recife)

    assert Partnership.objects.count() == 1
    assert partnership.status == PartnershipStatus.ACTIVE
    assert partnership.source == PartnershipSource.REQUEST
    assert partnership.kind == PartnershipKind.PROJECT
    assert set(partnership.themes.all()) == set(themes)
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    assert request.partnership == partnership
    assert [m.to for m in mailoutbox] == [[staff_kafue.email]]
    assert "accepted" in mailoutbox[0].subject


def test_it_refuses_a_second_accept_and_creates_no_second_partnership(
    send, staff_recife, mailoutbox, django_capture_on_commit_callbacks
):
    request = send()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_accept(request=request, user=staff_recife)
    mailoutbox.clear()

    with pytest.raises(services.RequestRefused) as refused:
        services.request_accept(request=request, user=staff_recife)

    assert "already been accepted" in refused.value.messages[0]
    assert Partnership.objects.count() == 1
    assert not mailoutbox


def test_it_refuses_accepting_when_the_pair_partners_in_that_kind_already_with_a_link(
    send, kafue, recife, staff_recife
):
    request = send()
    curated = PartnershipFactory(first=kafue, second=recife, kind=PartnershipKind.PROJECT)

    with pytest.raises(services.RequestRefused) as refused:
        services.request_accept(request=request, user=staff_recife)

    assert refused.value.link == curated.get_absolute_url()
    assert Partnership.objects.count() == 1
    request.refresh_from_db()
    assert request.is_open


def test_it_refuses_staff_of_a_third_city_accepting_a_request_addressed_to_another(
    send, client, staff_tunis, mailoutbox
):
    request = send()
    mailoutbox.clear()

    client.force_login(staff_tunis)
    response = client.post(reverse("partnerships:request_accept", kwargs={"pk": request.pk}))

    assert response.status_code == 404  # the request is not theirs to know about
    request.refresh_from_db()
    assert request.status == RequestStatus.SENT
    assert not Partnership.objects.exists()
    assert not mailoutbox


def test_it_refuses_the_sending_city_accepting_its_own_request(send, client, staff_kafue):
    request = send()
    client.force_login(staff_kafue)

    response = client.post(reverse("partnerships:request_accept", kwargs={"pk": request.pk}))

    assert response.status_code == 403
    assert not Partnership.objects.exists()


def test_it_refuses_accepting_an_expired_request(send, staff_recife, mailoutbox):
    sent_at = timezone.now() - datetime.timedelta(days=61)
    request = send(now=sent_at)
    services.requests_expire_due(now=timezone.now())
    mailoutbox.clear()

    with pytest.raises(services.RequestRefused) as refused:
        services.request_accept(request=request, user=staff_recife)

    assert "expired" in refused.value.messages[0]
    assert not Partnership.objects.exists()
    assert not mailoutbox


def test_it_refuses_accepting_a_request_past_its_expiry_before_the_beat_ran(send, staff_recife):
    request = send(now=timezone.now() - datetime.timedelta(days=61))

    with pytest.raises(services.RequestRefused) as refused:
        services.request_accept(request=request, user=staff_recife)

    assert refused.value.code == "already_expired"
    assert not Partnership.objects.exists()


def test_it_refuses_accepting_a_withdrawn_request(
    send, client, staff_kafue, staff_recife, mailoutbox, django_capture_on_commit_callbacks
):
    request = send()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_withdraw(request=request, user=staff_kafue)
    mailoutbox.clear()

    client.force_login(staff_recife)
    response = client.post(
        reverse("partnerships:request_accept", kwargs={"pk": request.pk}), follow=True
    )

    assert "withdrawn" in response.content.decode()
    assert not Partnership.objects.exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    assert not mailoutbox


def test_it_declines_with_a_reason_and_tells_the_sending_city(
    send, staff_kafue, staff_recife, mailoutbox, django_capture_on_commit_callbacks
):
    request = send()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.request_decline(request=request, user=staff_recife, reason="Not this year.")

    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED
    assert request.decline_reason == "Not this year."
    assert [m.to for m in mailoutbox] == [[staff_kafue.email]]
    assert "Not this year." in mailoutbox[0].body
    event = RequestEvent.objects.get(to_status=RequestStatus.DECLINED)
    assert (event.actor, event.from_status, event.note) == (staff_recife, "sent", "Not this year.")


def test_it_rejects_a_decline_reason_over_the_length_limit(send, staff_recife):
    request = send()

    with pytest.raises(services.RequestRefused):
        services.request_decline(request=request, user=staff_recife, reason="x" * 1001)

    request.refresh_from_db()
    assert request.status == RequestStatus.SENT


def test_it_lets_only_the_sending_city_withdraw(send, client, staff_recife):
    request = send()
    client.force_login(staff_recife)

    response = client.post(reverse("partnerships:request_withdraw", kwargs={"pk": request.pk}))

    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == RequestStatus.SENT


# --- the request page -------------------------------------------------------------------------


@pytest.fixture
def request_new_url():
    return reverse("partnerships:request_new")


def _form(**overrides):
    return {"from_city": "kafue", "to_city": "recife", "kind": "project", "message": MESSAGE} | (
        overrides
    )


def test_it_offers_the_form_prefilled_from_a_match_suggestion(client, staff_kafue, recife):
    client.force_login(staff_kafue)

    response = client.get(reverse("partnerships:request_new") + "?from=kafue&to=recife")

    assert response.status_code == 200
    assert response.context["form"].initial == {"to_city": "recife", "from_city": "kafue"}
    assert "Propose a partnership to Recife" in response.content.decode()


def test_it_stores_one_request_for_a_double_clicked_submit_and_explains_the_second(
    client,
    staff_kafue,
    staff_recife,
    request_new_url,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(staff_kafue)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(request_new_url + "?to=recife", _form())
        second = client.post(request_new_url + "?to=recife", _form())

    assert first.status_code == 302
    assert second.status_code == 200
    assert "already has an open request" in second.content.decode()
    assert PartnershipRequest.objects.count() == 1
    assert len(mailoutbox) == 1


def test_it_explains_an_unknown_city(client, staff_kafue, request_new_url):
    client.force_login(staff_kafue)

    page = client.get(request_new_url + "?to=atlantis")
    posted = client.post(request_new_url, _form(to_city="atlantis"))

    assert "There is no such city" in page.content.decode()
    assert posted.status_code == 200
    assert "There is no such city" in posted.content.decode()
    assert not PartnershipRequest.objects.exists()


def test_it_explains_a_message_over_the_length_limit_on_the_page(
    client, staff_kafue, recife, request_new_url
):
    client.force_login(staff_kafue)

    response = client.post(request_new_url + "?to=recife", _form(message="x" * 2001))

    assert response.status_code == 200
    assert "at most 2000 characters" in response.content.decode()
    assert not PartnershipRequest.objects.exists()


def test_it_explains_a_request_to_the_own_city_on_the_page(client, staff_kafue, request_new_url):
    client.force_login(staff_kafue)

    response = client.post(request_new_url + "?to=kafue", _form(to_city="kafue"))

    assert "cannot send a partnership request to itself" in response.content.decode()
    assert not PartnershipRequest.objects.exists()


def test_it_refuses_sending_on_behalf_of_a_city_the_user_does_not_staff(
    client, staff_kafue, recife, request_new_url
):
    other = CityFactory(slug="essen")
    client.force_login(staff_kafue)

    response = client.post(request_new_url, _form(from_city=other.slug))

    assert "on behalf of a city you work for" in response.content.decode()
    assert not PartnershipRequest.objects.exists()


def test_it_refuses_the_request_form_to_users_without_a_city(client, member, request_new_url):
    client.force_login(member)

    assert client.get(request_new_url + "?to=recife").status_code == 403


@override_settings(CITYDIPLOMACY={"REQUESTS_PER_CITY_PER_DAY": 0})
def test_it_explains_the_rate_limit_on_the_page(client, staff_kafue, recife, request_new_url):
    client.force_login(staff_kafue)

    response = client.post(request_new_url + "?to=recife", _form())

    assert "Please try again tomorrow" in response.content.decode()
    assert not PartnershipRequest.objects.exists()


def test_it_shows_the_history_of_state_changes_on_the_request_page(
    send, client, staff_recife, staff_kafue, django_assert_max_num_queries
):
    request = send()
    client.force_login(staff_recife)
    client.get(request.get_absolute_url())
    services.request_decline(request=request, user=staff_recife, reason="Too far away.")

    client.force_login(staff_kafue)
    with django_assert_max_num_queries(14):
        response = client.get(request.get_absolute_url())

    events = response.context["events"]
    assert [(e.from_status, e.to_status) for e in events] == [
        ("", "sent"),
        ("sent", "seen"),
        ("seen", "declined"),
    ]
    assert "Too far away." in response.content.decode()


# --- inbox and outbox -------------------------------------------------------------------------


def test_it_lists_received_and_sent_requests_with_open_counts(
    send, client, staff_kafue, staff_recife, django_assert_max_num_queries
):
    request = send()

    client.force_login(staff_recife)
    with django_assert_max_num_queries(12):
        inbox = client.get(reverse("partnerships:inbox"))
    outbox = client.get(reverse("partnerships:outbox"))

    assert list(inbox.context["page"].object_list) == [request]
    assert inbox.context["result"].open_count == 1
    assert inbox.context["counts"] == {"inbox": 1, "outbox": 0}
    assert list(outbox.context["page"].object_list) == []

    client.force_login(staff_kafue)
    assert list(client.get(reverse("partnerships:outbox")).context["page"].object_list) == [request]


def test_it_hides_a_citys_outbox_from_staff_of_other_cities(send, client, staff_tunis):
    send()
    client.force_login(staff_tunis)

    response = client.get(reverse("partnerships:outbox"))
    other = client.get(reverse("partnerships:outbox") + "?city=kafue")

    assert list(response.context["page"].object_list) == []
    assert other.status_code == 404


def test_it_shows_curators_their_members_requests_read_only(send, client, curator_dst):
    request = send()
    client.force_login(curator_dst)

    outbox = client.get(reverse("partnerships:outbox"))
    detail = client.get(request.get_absolute_url())
    accept = client.post(reverse("partnerships:request_accept", kwargs={"pk": request.pk}))
    withdraw = client.post(reverse("partnerships:request_withdraw", kwargs={"pk": request.pk}))

    assert list(outbox.context["page"].object_list) == [request]
    assert detail.status_code == 200
    assert detail.context["can_answer"] is False
    assert detail.context["can_withdraw"] is False
    assert (accept.status_code, withdraw.status_code) == (403, 403)
    request.refresh_from_db()
    assert request.status == RequestStatus.SENT


def test_it_hides_a_request_from_anonymous_visitors_and_other_cities(
    send, client, staff_tunis, member
):
    request = send()

    assert client.get(request.get_absolute_url()).status_code == 302  # to sign in
    for user in (staff_tunis, member):
        client.force_login(user)
        assert client.get(request.get_absolute_url()).status_code == 404


# --- concurrency (PostgreSQL: real row locks and a real partial unique index) ---------------


def _race(action, times: int = 4):
    """Run ``action`` in ``times`` threads at once; returns their results or exceptions."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(times)
    results = []

    def run():
        barrier.wait()
        try:
            results.append(action())
        except Exception as exc:  # collected for the assertions
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_stores_one_request_when_the_same_request_is_submitted_concurrently(
    staff_kafue, staff_recife, kafue, recife
):
    results = _race(
        lambda: services.request_send(
            sender=staff_kafue, from_city=kafue, to_city=recife, kind="project", message=MESSAGE
        )
    )

    assert sum(isinstance(r, PartnershipRequest) for r in results) == 1
    assert all(r.code == "duplicate" for r in results if isinstance(r, services.RequestRefused))
    assert PartnershipRequest.objects.count() == 1
    assert OutboxEmail.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_creates_one_partnership_when_two_staff_accept_at_the_same_time(
    staff_kafue, staff_recife, kafue, recife
):
    second = CityStaffFactory(user=UserFactory(username="recife_2"), city=recife).user
    request = services.request_send(
        sender=staff_kafue, from_city=kafue, to_city=recife, kind="project", message=MESSAGE
    )
    users = iter([staff_recife, second, staff_recife, second])

    results = _race(
        lambda: services.request_accept(
            request=PartnershipRequest.objects.get(pk=request.pk), user=next(users)
        )
    )

    assert sum(isinstance(r, Partnership) for r in results) == 1
    assert all(
        isinstance(r, services.RequestRefused) for r in results if not isinstance(r, Partnership)
    )
    assert Partnership.objects.count() == 1
    assert RequestEvent.objects.filter(to_status=RequestStatus.ACCEPTED).count() == 1
    assert OutboxEmail.objects.filter(kind="request_accepted").count() == 1
