"""The history page as people read it: labels instead of True, names instead of codes and
ids, local times instead of microsecond timestamps — and a confirmation before a revert."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cities.curation.services import city_verify
from cities.models import City, Initiative

from .factories import InitiativeFactory
from .test_edit import PROFILE, edit_url

pytestmark = pytest.mark.django_db


def history_html(client, slug="kafue") -> str:
    response = client.get(reverse("cities:history", kwargs={"slug": slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_flags_languages_and_kinds_by_their_names(client, staff_kafue, kafue):
    client.force_login(staff_kafue)
    client.post(edit_url(), {**PROFILE, "working_languages": "en, de"})

    html = history_html(client)

    assert "<ins>yes</ins>" in html  # open to partnerships
    assert "True" not in html and "False" not in html
    assert "English, German" in html and "[&#x27;en&#x27;" not in html
    assert "Climate partnership, Peer-learning exchange" in html


def test_it_shows_goals_by_name_not_as_a_list_of_numbers(client, curator_dst, kafue):
    initiative = InitiativeFactory(city=kafue, title="Solar schools", sdgs=[7])
    initiative.sdgs = [8, 11]
    initiative.save()
    client.force_login(curator_dst)

    html = history_html(client)

    assert "[8, 11]" not in html
    assert "Decent work and economic growth" in html
    assert "Sustainable cities and communities" in html


def test_it_shows_times_without_microseconds_and_marks_them_for_local_time(
    client, curator_dst, kafue, dst
):
    city_verify(city=kafue, organisation=dst)
    client.force_login(curator_dst)

    html = history_html(client)

    verified_at = City.objects.get(pk=kafue.pk).verified_at
    assert verified_at.isoformat() not in html
    assert str(verified_at) not in html  # "2026-11-29 15:49:23.123456+00:00"
    assert "data-local-time" in html and "js/localtime.js" in html


def test_german_readers_get_german_labels_and_dates(client, staff_kafue, kafue):
    client.force_login(staff_kafue)
    client.post(edit_url(), PROFILE)
    initiative = InitiativeFactory(city=kafue, start_date=datetime.date(2024, 3, 1))
    initiative.start_date = datetime.date(2025, 3, 1)
    initiative.save()

    html = client.get(
        reverse("cities:history", kwargs={"slug": "kafue"}), headers={"accept-language": "de"}
    ).content.decode()

    assert "<ins>Ja</ins>" in html
    assert "1. März 2025" in html


# --- asking before a revert -------------------------------------------------------------------


def test_the_history_asks_before_reverting(client, staff_kafue, curator_dst, kafue):
    client.force_login(staff_kafue)
    client.post(edit_url(), {**PROFILE, "summary": "Good."})
    client.post(edit_url(), {**PROFILE, "summary": "Vandalised."})
    client.force_login(curator_dst)
    history = client.get(reverse("cities:history", kwargs={"slug": "kafue"}))
    entry = history.context["entries"][0]
    html = history.content.decode()
    # The history offers a link to a confirmation page, not a button that reverts at once.
    confirm_url = (
        reverse("cities:history_revert", kwargs={"slug": "kafue"})
        + f"?key={entry.key}&amp;history_id={entry.history_id}"
    )
    assert confirm_url in html

    page = client.get(confirm_url.replace("&amp;", "&"))

    assert page.status_code == 200
    body = page.content.decode()
    assert "Revert this change?" in body
    assert "<del>Vandalised.</del> → <ins>Good.</ins>" not in body  # shows the recorded change
    assert "<del>Good.</del> → <ins>Vandalised.</ins>" in body
    assert 'method="post"' in body and "Yes, revert" in body
    kafue.refresh_from_db()
    assert kafue.summary == "Vandalised."  # nothing undone by looking

    client.post(
        reverse("cities:history_revert", kwargs={"slug": "kafue"}),
        {"key": entry.key, "history_id": entry.history_id},
    )
    kafue.refresh_from_db()
    assert kafue.summary == "Good."


def test_the_confirmation_page_refuses_what_the_revert_refuses(
    client, staff_kafue, curator_dst, kafue
):
    url = reverse("cities:history_revert", kwargs={"slug": "kafue"})
    initiative = InitiativeFactory(city=kafue)
    record = Initiative.history.filter(id=initiative.pk).latest("history_date")
    query = {"key": "initiative", "history_id": record.history_id}

    client.force_login(staff_kafue)
    assert client.get(url, query).status_code == 403  # staff do not revert
    client.force_login(curator_dst)
    assert client.get(url, {"key": "initiative", "history_id": "x"}).status_code == 404
    assert client.get(url, {"key": "nope", "history_id": record.history_id}).status_code == 404
    assert client.get(url, query).status_code == 200


def test_revert_confirmation_is_stale_safe(client, curator_dst, kafue):
    """Confirming twice does not fail with an error page: the second says it is done."""
    initiative = InitiativeFactory(city=kafue)
    creation = Initiative.history.filter(id=initiative.pk).latest("history_date")
    url = reverse("cities:history_revert", kwargs={"slug": "kafue"})
    client.force_login(curator_dst)
    data = {"key": "initiative", "history_id": creation.history_id}

    client.post(url, data)
    response = client.post(url, data, follow=True)

    assert response.status_code == 200
    assert "already been deleted" in response.content.decode()
    assert timezone.now()  # the page rendered without a 500
