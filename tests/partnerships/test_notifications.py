"""In-app notifications (the bell, the page, marking read), the recipient's language, and the
weekly digest of suggested partners with its per-user opt-out."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cities.models import Notification, OutboxEmail, UserProfile
from cities.notifications import services as notifications
from partnerships import services
from partnerships import tasks as request_tasks
from partnerships.models import MatchSuggestion

from ..cities.factories import CityFactory
from .factories import PartnershipFactory, PartnershipRequestFactory

pytestmark = pytest.mark.django_db


def _notify(user, title="Kafue proposes a partnership to Recife", url="/requests/1/"):
    return Notification.objects.create(
        user=user, kind="request_received", title=title, url=url, created_at=timezone.now()
    )


def _render_user_menu(user):
    request = RequestFactory().get("/")
    request.user = user
    return Template('{% include "_user_menu.html" %}').render(
        Context({"request": request, "user": user})
    )


def test_it_shows_the_unread_count_on_the_bell_with_one_query(
    staff_recife, member, django_assert_num_queries
):
    _notify(staff_recife)
    _notify(staff_recife)
    Notification.objects.filter(pk=_notify(staff_recife).pk).update(read_at=timezone.now())
    _notify(member)

    with django_assert_num_queries(1):
        html = _render_user_menu(staff_recife)

    assert '<span class="bell-count">2</span>' in html


def test_it_lists_a_users_notifications_newest_first(
    client, staff_recife, member, django_assert_max_num_queries
):
    _notify(staff_recife, title="older")
    _notify(staff_recife, title="newer")
    _notify(member, title="someone else's")
    client.force_login(staff_recife)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:list"))

    titles = [n.title for n in response.context["page"].object_list]
    assert titles == ["newer", "older"]


def test_it_marks_a_notification_read_and_follows_its_link(client, staff_recife):
    notification = _notify(staff_recife, url="/partnerships/")
    client.force_login(staff_recife)

    response = client.post(reverse("notifications:read", kwargs={"pk": notification.pk}))

    assert response.status_code == 302
    assert response["Location"] == "/partnerships/"
    notification.refresh_from_db()
    assert notification.is_read


def test_it_never_marks_another_users_notification(client, staff_recife, member):
    notification = _notify(staff_recife)
    client.force_login(member)

    response = client.post(reverse("notifications:read", kwargs={"pk": notification.pk}))
    client.post(reverse("notifications:read_all"))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_it_marks_all_of_a_users_notifications_read(client, staff_recife):
    _notify(staff_recife)
    _notify(staff_recife)
    client.force_login(staff_recife)

    client.post(reverse("notifications:read_all"))

    assert notifications.unread_count(staff_recife) == 0


def test_it_writes_e_mail_in_the_recipients_preferred_language(
    staff_kafue, staff_recife, kafue, recife
):
    UserProfile.objects.update_or_create(user=staff_recife, defaults={"preferred_language": "pt"})

    services.request_send(
        sender=staff_kafue, from_city=kafue, to_city=recife, kind="project", message="Olá"
    )

    assert '<html lang="pt">' in OutboxEmail.objects.get().body_html


def test_it_escapes_nothing_in_plain_text_and_everything_in_html(
    staff_kafue, staff_recife, kafue, recife
):
    services.request_send(
        sender=staff_kafue,
        from_city=kafue,
        to_city=recife,
        kind="project",
        message="Rivers & <floods>",
    )

    row = OutboxEmail.objects.get()
    assert "Rivers & <floods>" in row.body_text
    assert "Rivers &amp; &lt;floods&gt;" in row.body_html


def test_it_withdraws_with_an_in_app_notice_and_no_e_mail(staff_kafue, staff_recife, kafue, recife):
    request = PartnershipRequestFactory(from_city=kafue, to_city=recife, sender=staff_kafue)

    services.request_withdraw(request=request, user=staff_kafue)

    assert Notification.objects.get().user == staff_recife
    assert not OutboxEmail.objects.exists()


# --- weekly digest --------------------------------------------------------------------------


NOW = datetime.datetime(2026, 6, 1, 6, 0, tzinfo=datetime.UTC)


@pytest.fixture
def suggested(kafue, recife, staff_kafue):
    kafue.open_to_partnerships = True
    kafue.save(update_fields=["open_to_partnerships"])
    essen = CityFactory(name="Essen", slug="essen")
    for rank, city in enumerate([recife, essen], start=1):
        MatchSuggestion.objects.create(
            city=kafue,
            suggested_city=city,
            rank=rank,
            score=0.8 - rank / 10,
            reasons=["Both work on flood protection"],
            computed_at=NOW - datetime.timedelta(days=1),
        )
    return essen


def test_it_sends_the_weekly_digest_of_new_suggestions_once_per_week(
    suggested, staff_kafue, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_send_weekly(now=NOW) == 1
    assert services.digest_send_weekly(now=NOW + datetime.timedelta(hours=1)) == 0

    assert [m.to for m in mailoutbox] == [[staff_kafue.email]]
    assert "Recife" in mailoutbox[0].body and "Essen" in mailoutbox[0].body
    assert "Both work on flood protection" in mailoutbox[0].body


def test_it_leaves_out_cities_already_partnered_or_in_an_open_request(
    suggested, kafue, recife, mailoutbox
):
    PartnershipFactory(first=kafue, second=recife)

    services.digest_send_weekly(now=NOW)

    body = OutboxEmail.objects.get().body_text
    assert "Essen" in body and "Recife" not in body


def test_it_respects_a_users_digest_opt_out(suggested, staff_kafue):
    UserProfile.objects.update_or_create(user=staff_kafue, defaults={"digest_opt_out": True})

    assert services.digest_send_weekly(now=NOW) == 0
    assert not OutboxEmail.objects.exists()


def test_it_sends_no_digest_for_cities_not_open_to_partnerships(suggested, kafue):
    kafue.open_to_partnerships = False
    kafue.save(update_fields=["open_to_partnerships"])

    assert services.digest_send_weekly(now=NOW) == 0


def test_it_sends_no_digest_for_suggestions_older_than_a_week(suggested):
    MatchSuggestion.objects.update(computed_at=NOW - datetime.timedelta(days=8))

    assert services.digest_send_weekly(now=NOW) == 0


def test_it_runs_the_digest_from_the_beat_task(suggested, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)

    assert request_tasks.send_weekly_digest() == 1
