"""A NUL byte or another control character in the address, a parameter, a cookie or a form
value gets a 400 that says so, for every URL, and nothing is written. PostgreSQL cannot hold a
NUL in a text value: there, each of these requests was a 500 before."""

import pytest
from django.urls import reverse

from cities.models import ContentFlag
from partnerships.models import PartnershipRequest
from tests.partnerships.programmes.factories import ParticipantFactory, ProgrammeFactory


def _refused(response, words: str) -> None:
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bad request" in html
    assert words in html


@pytest.mark.django_db
def test_it_refuses_a_nul_byte_in_a_participant_link(client):
    participant = ParticipantFactory(programme=ProgrammeFactory(slug="week"))

    response = client.get(f"/programmes/week/p/{participant.token}%00/")

    _refused(response, "The address contains a control character")


@pytest.mark.django_db
def test_it_refuses_a_line_break_in_the_address(client, kafue):
    response = client.get("/cities/kafue%0A/climate/")

    _refused(response, "The address contains a control character")


@pytest.mark.django_db
def test_it_refuses_a_nul_byte_in_a_query_parameter(client, staff_kafue, recife):
    client.force_login(staff_kafue)

    response = client.get(reverse("partnerships:request_new") + "?to=recife%00")

    _refused(response, "A parameter of the address contains a control character")


@pytest.mark.django_db
def test_it_refuses_a_nul_byte_in_a_parameter_name(client):
    response = client.get(reverse("cities:list") + "?q%00=kafue")

    _refused(response, "A parameter of the address contains a control character")


@pytest.mark.django_db
def test_it_refuses_a_nul_byte_in_a_form_value_and_writes_nothing(client, staff_kafue, recife):
    client.force_login(staff_kafue)

    response = client.post(
        reverse("partnerships:request_new"),
        {"from_city": "kafue\x00", "to_city": "recife", "kind": "twinning", "message": "Hello"},
    )

    _refused(response, "A field of the form contains a control character")
    assert not PartnershipRequest.objects.exists()


@pytest.mark.django_db
def test_it_refuses_other_control_characters_in_a_form_value(client, kafue):
    response = client.post(
        reverse("cities:report", args=["kafue"]),
        {"reason": "outdated", "message": "The mayor\x0b changed"},
    )

    _refused(response, "A field of the form contains a control character")
    assert not ContentFlag.objects.exists()


@pytest.mark.django_db
def test_it_accepts_tabs_and_line_breaks_in_form_text(client, kafue):
    response = client.post(
        reverse("cities:report", args=["kafue"]),
        {"reason": "outdated", "message": "The mayor changed.\r\n\tSee the city's website."},
    )

    assert response.status_code == 302
    assert ContentFlag.objects.get().message == "The mayor changed.\r\n\tSee the city's website."


@pytest.mark.django_db
def test_it_refuses_a_nul_byte_in_a_cookie(client, kafue):
    client.cookies["sessionid"] = "\x00" * 40  # sent quoted, as the octal escape \\000

    response = client.get(reverse("cities:detail", args=["kafue"]))

    _refused(response, "A cookie sent by your browser contains a control character")
