"""Findings of the URL fuzz test in the admin and the ORM, each pinned by a plain test."""

import pytest
from django.urls import reverse

from cities.models import City, Initiative
from partnerships.models import AgendaItem
from tests.partnerships.programmes.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

TOO_BIG = "9" * 40  # beyond any integer column


@pytest.mark.parametrize("value", ["abc", "1.5", TOO_BIG])
def test_it_renders_an_admin_add_page_whose_initial_city_is_garbage(client, admin, value):
    client.force_login(admin)

    response = client.get(reverse("admin:cities_initiative_add"), {"city": value})

    assert response.status_code == 200
    assert 'name="city"' in response.content.decode()


def test_it_re_renders_an_admin_form_with_garbage_choices_and_says_why(client, admin, kafue):
    client.force_login(admin)

    response = client.post(
        reverse("admin:cities_initiative_add"),
        {"city": "abc", "title": "Water", "partner_cities": ["x", TOO_BIG]},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Initiative.objects.exists()


def test_it_refuses_ids_beyond_the_columns_range_in_a_multiple_choice(client, admin):
    programme = ProgrammeFactory()
    client.force_login(admin)

    response = client.post(
        reverse("admin:partnerships_agendaitem_add"),
        {"programme": programme.pk, "kind": "meeting", "title": "Welcome", "attendees": TOO_BIG},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_it_finds_nothing_for_ids_beyond_the_columns_range(kafue):
    assert list(City.objects.filter(pk__in=[int(TOO_BIG), kafue.pk])) == [kafue]
    assert not City.objects.filter(pk__in=[int(TOO_BIG), -int(TOO_BIG)]).exists()


@pytest.mark.parametrize("suffix", ["abc/history/", "{pk}/history/abc/", "abc/history/1/"])
def test_it_answers_a_history_page_with_a_garbage_id_with_404(client, admin, suffix):
    from partnerships.models import ProgrammeOrganiserRole

    role = ProgrammeOrganiserRole.objects.create(user=admin)
    client.force_login(admin)

    response = client.get("/admin/partnerships/programmeorganiserrole/" + suffix.format(pk=role.pk))

    assert response.status_code == 404


def test_it_still_shows_the_history_page_of_a_real_object(client, admin):
    from partnerships.models import ProgrammeOrganiserRole

    role = ProgrammeOrganiserRole.objects.create(user=admin)
    client.force_login(admin)

    response = client.get(f"/admin/partnerships/programmeorganiserrole/{role.pk}/history/")

    assert response.status_code == 200
