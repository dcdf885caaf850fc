# ruff: noqa: F811 - pytest fixtures imported from matching_world are used as arguments
"""The funding pages as visitors, members and curators see them, and funding where users meet
it: a partnership's page, the partner suggestions and the request form."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.funding import services
from partnerships.models import CallType, FundingProgramme

from ...cities.factories import CityFactory, CityStaffFactory, UserFactory
from ..factories import PartnershipFactory
from ..matching_world import _fresh_snapshot, world  # noqa: F401
from .factories import FundingProgrammeFactory, programme_form_data

SEED = Path(__file__).resolve().parents[3] / "partnerships" / "funding" / "data" / "programmes.json"
LIST = reverse("partnerships:funding_list")
CHECK = reverse("partnerships:funding_check")


@pytest.fixture
def seeded(db):
    services.funding_programmes_import(path=SEED)
    return FundingProgramme.objects.all()


@pytest.fixture
def kassel(db):
    return CityFactory(name="Kassel", slug="kassel", country="DE", population=200_000)


def titles(response) -> str:
    return response.content.decode()


def test_it_lists_the_programmes_and_flags_stale_ones(client, seeded):
    FundingProgramme.objects.filter(slug="nakopa").update(
        last_checked_on=timezone.localdate() - dt.timedelta(days=400)
    )

    html = titles(client.get(LIST))

    assert "CERV Town-Twinning" in html and "NetZeroCities Twinning Learning Programme" in html
    assert "Not checked for over 12 months" in html  # Nakopa
    assert "Deadline passed" in html  # URBACT's 2025 call
    assert "Rolling call" in html  # EUI City-to-City
    assert "SDG 11 · Sustainable cities and communities" in html
    assert "OECD DAC List of ODA Recipients 2024/25" in html  # the data line


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("country=ZM", ["Nakopa", "Kleinprojektefonds"], ["EUI City-to-City", "CERV Town"]),
        ("country=FR", ["EUI City-to-City", "CERV Town"], ["Nakopa", "Kleinprojektefonds"]),
        ("sdg=7", ["Covenant of Mayors", "NetZeroCities"], ["Nakopa", "CERV Town"]),
        ("theme=climate-adaptation", ["Nakopa", "Covenant of Mayors"], ["EUI City-to-City"]),
        ("open=on", ["EUI City-to-City"], ["URBACT networks", "Nakopa"]),
    ],
)
def test_it_filters_by_country_sdg_theme_and_open_calls(client, seeded, query, present, absent):
    html = titles(client.get(f"{LIST}?{query}"))

    for name in present:
        assert name in html, name
    for name in absent:
        assert name not in html.split('id="results-title"')[1], name


@pytest.mark.parametrize(
    "query",
    [
        "sdg=99",
        "sdg=abc",
        "country=QQ",
        "theme=no-such-theme",
        "page=abc",
        "page=999",
        "open=maybe",
        "country=" + "x" * 5000,
    ],
)
def test_it_answers_garbage_parameters_without_a_500(client, seeded, query):
    response = client.get(f"{LIST}?{query}")

    assert response.status_code == 200


def test_it_refuses_a_nul_in_a_parameter_with_a_message(client, seeded):
    # Like every URL (citydiplomacy/middleware.py): PostgreSQL cannot compare a NUL.
    response = client.get(f"{LIST}?sdg=%00")

    assert response.status_code == 400
    assert "contains a control character" in response.content.decode()


def test_it_says_which_filter_is_wrong_and_shows_no_programmes(client, seeded):
    html = titles(client.get(f"{LIST}?sdg=99"))

    assert "Please correct the filters" in html
    assert "0 programmes" in html


def test_it_lists_with_a_bounded_number_of_queries(client, seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(LIST)


def test_a_programme_page_shows_its_rules_source_and_check_date(client, seeded):
    html = titles(client.get(reverse("partnerships:funding_detail", args=["nakopa"])))

    assert "The applicant is in: Germany." in html
    assert "Partners are in: OECD DAC list of ODA recipients (2024/25)." in html
    assert "The cities already have a partnership." in html
    assert "Not verified here" in html
    assert "skew.engagement-global.de" in html
    assert "by CityDiplomacy team" in html
    assert "Edit" not in html


def test_a_programme_page_speaks_the_visitors_language(client, seeded):
    client.cookies["django_language"] = "de"

    html = titles(client.get(reverse("partnerships:funding_detail", args=["nakopa"])))

    assert "Zuwendungen für entwicklungspolitische Projekte" in html  # summary in German
    assert "Nachhaltige Städte und Gemeinden" in html  # SDG 11 in German


def test_an_unknown_programme_is_a_404(client, db):
    assert client.get(reverse("partnerships:funding_detail", args=["nope"])).status_code == 404


def test_the_pair_check_gives_every_programme_with_reasons(client, seeded, kassel, kafue):
    PartnershipFactory(first=kassel, second=kafue)

    response = client.get(f"{CHECK}?a=kassel&b=kafue")

    html = titles(response)
    assert response.status_code == 200
    assert "Kassel would apply, with Kafue as partner." in html
    assert "Zambia is on the OECD DAC list of ODA recipients (2024/25 list)." in html
    assert "Zambia is not a member state of the European Union." in html
    assert html.index("Nakopa") < html.index("EUI City-to-City")  # eligible ones first


def test_the_pair_check_takes_a_geonames_id(client, seeded, kassel, kafue):
    kafue.geonames_id = 909137
    kafue.save()

    response = client.get(f"{CHECK}?a=kassel&b=909137")

    assert response.status_code == 200
    assert "Kafue" in titles(response)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("a=kassel&b=atlantis", "There is no city “atlantis” in the directory."),
        ("a=kassel&b=kassel", "Choose two different cities."),
        ("a=kassel", "This field is required."),
        ("a=" + "k" * 300 + "&b=kassel", "at most 120 characters"),
    ],
)
def test_the_pair_check_refuses_bad_input_with_a_message(client, seeded, kassel, query, message):
    response = client.get(f"{CHECK}?{query}")

    assert response.status_code == 400
    assert message in titles(response)


def test_an_unpublished_city_cannot_be_checked(client, seeded, kassel):
    CityFactory(slug="hidden", is_published=False)

    assert client.get(f"{CHECK}?a=kassel&b=hidden").status_code == 400


# --- curators -------------------------------------------------------------------------------


def test_a_curator_adds_a_programme_with_history(client, curator_dst):
    client.force_login(curator_dst)

    response = client.post(reverse("partnerships:funding_create"), programme_form_data())

    programme = FundingProgramme.objects.get(slug="sister-city-climate-fund")
    assert response.status_code == 302
    assert programme.checked_by == "curator_dst"
    assert programme.summary_translations == {
        "de": "Kleine Zuschüsse für Klimaprojekte von Partnerstädten."
    }
    assert programme.history.first().history_user == curator_dst


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount_min": "90000"}, "The smallest grant cannot exceed the largest."),
        (
            {"call_type": "rolling", "next_deadline": "2030-01-01"},
            "A rolling call has no deadline.",
        ),
        ({"partner_groups": ["narnia"]}, "Select a valid choice."),
        ({"min_cities": "9", "max_cities": "3"}, "cannot exceed the maximum"),
        (
            {"required_partnership_kinds": ["twinning"]},
            "need “requires an existing partnership” ticked",
        ),
    ],
)
def test_the_form_refuses_bad_data_with_a_clear_message(client, curator_dst, overrides, message):
    client.force_login(curator_dst)

    response = client.post(reverse("partnerships:funding_create"), programme_form_data(**overrides))

    assert response.status_code == 200
    assert message in titles(response)
    assert not FundingProgramme.objects.exists()


def test_a_curator_edits_and_marks_a_programme_as_checked(client, curator_dst):
    programme = FundingProgrammeFactory(
        last_checked_on=dt.date(2024, 1, 1), checked_by="Someone else"
    )
    client.force_login(curator_dst)

    page = titles(client.get(programme.get_absolute_url()))
    client.post(reverse("partnerships:funding_checked", args=[programme.slug]))

    programme.refresh_from_db()
    assert "I checked it against the source today" in page
    assert programme.last_checked_on == timezone.localdate()
    edit = client.post(
        reverse("partnerships:funding_edit", args=[programme.slug]),
        programme_form_data(slug=programme.slug, name="Renamed fund"),
    )
    assert edit.status_code == 302
    programme.refresh_from_db()
    assert programme.name == "Renamed fund"
    assert programme.checked_by == "curator_dst"
    history = titles(client.get(programme.get_absolute_url()))
    assert "curator_dst" in history


def test_a_member_without_a_role_cannot_edit(client, member):
    programme = FundingProgrammeFactory()
    client.force_login(member)

    assert (
        client.get(reverse("partnerships:funding_edit", args=[programme.slug])).status_code == 403
    )
    assert (
        client.post(reverse("partnerships:funding_checked", args=[programme.slug])).status_code
        == 403
    )


# --- where users meet it ----------------------------------------------------------------------


def test_a_partnership_page_shows_the_funding_with_reasons(client, seeded, kassel, kafue):
    partnership = PartnershipFactory(first=kassel, second=kafue)

    html = titles(client.get(partnership.get_absolute_url()))

    assert "Funding this partnership could apply to" in html
    assert "Kassel and Kafue have a recorded partnership (Twinning / sister city)." in html
    assert "Programmes this pair cannot apply to, and why" in html


def test_the_funding_section_adds_a_few_queries_to_a_partnership_page(
    client, seeded, kassel, kafue
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    partnership = PartnershipFactory(first=kassel, second=kafue)
    url = partnership.get_absolute_url()
    client.get(url)  # warm caches shared by every page
    with CaptureQueriesContext(connection) as with_funding:
        client.get(url)
    FundingProgramme.objects.all().delete()
    with CaptureQueriesContext(connection) as without:
        client.get(url)

    # programmes and their themes, the partnerships of the pair, the two cities' themes
    assert len(with_funding) - len(without) <= 5


def test_the_suggestions_say_what_each_pair_could_apply_to(
    client, seeded, world, django_assert_max_num_queries
):
    from partnerships.matching import views  # noqa: F401 - the page under test

    url = reverse("partnerships:matches", kwargs={"slug": "dusseldorf"})
    html = titles(client.get(url))

    assert "This pair could apply to:" in html
    assert "EUI City-to-City Exchanges" in html  # Düsseldorf and Toulouse, both in the EU
    assert f"{CHECK}?a=dusseldorf&amp;b=toulouse" in html


def test_the_funding_lines_on_the_suggestions_cost_a_few_queries(client, seeded, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("partnerships:matches", kwargs={"slug": "dusseldorf"})
    FundingProgramme.objects.all().delete()
    with CaptureQueriesContext(connection) as without:
        client.get(url)
    services.funding_programmes_import(path=SEED)
    with CaptureQueriesContext(connection) as with_funding:
        client.get(url)

    assert len(with_funding) - len(without) <= 4


def test_the_request_form_says_what_the_pair_could_apply_to(client, seeded, kassel, kafue):
    staff = CityStaffFactory(user=UserFactory(username="staff_kassel"), city=kassel).user
    client.force_login(staff)

    html = titles(client.get(reverse("partnerships:request_new") + "?to=kafue"))

    assert "This pair could apply to:" in html
    assert "Small Projects Fund" in html
    assert "1 more depends on facts missing here." in html  # Nakopa: no partnership recorded


def test_no_funding_line_without_programmes(client, kassel, kafue):
    staff = CityStaffFactory(user=UserFactory(username="staff_kassel"), city=kassel).user
    client.force_login(staff)

    html = titles(client.get(reverse("partnerships:request_new") + "?to=kafue"))

    assert "This pair could apply to" not in html


def test_a_rolling_programme_is_open(db):
    programme = FundingProgrammeFactory(call_type=CallType.ROLLING, next_deadline=None)

    assert programme.is_open()


def test_a_site_admin_keeps_programmes_in_the_admin_with_history(client, admin):
    client.force_login(admin)
    add = reverse("admin:partnerships_fundingprogramme_add")

    page = client.get(add)
    response = client.post(add, {**programme_form_data(), "checked_by": "Site admin"})

    programme = FundingProgramme.objects.get(slug="sister-city-climate-fund")
    assert page.status_code == 200
    assert response.status_code == 302
    assert programme.summary_translations["de"].startswith("Kleine Zuschüsse")
    history = client.get(
        reverse("admin:partnerships_fundingprogramme_history", args=[programme.pk])
    )
    assert history.status_code == 200


def test_the_admin_refuses_contradictory_rules_too(client, admin):
    client.force_login(admin)

    response = client.post(
        reverse("admin:partnerships_fundingprogramme_add"),
        {**programme_form_data(min_population="500000", max_population="1000"), "checked_by": "x"},
    )

    assert response.status_code == 200
    assert "The smallest city cannot be larger than the largest." in response.content.decode()
    assert not FundingProgramme.objects.exists()


def test_who_sets_a_new_check_date_in_the_form_is_named_as_checker(client, curator_dst):
    programme = FundingProgrammeFactory(last_checked_on=dt.date(2024, 1, 1), checked_by="Ana")
    client.force_login(curator_dst)
    url = reverse("partnerships:funding_edit", args=[programme.slug])

    client.post(url, programme_form_data(slug=programme.slug, last_checked_on="2024-01-01"))
    programme.refresh_from_db()
    unchanged_date = programme.checked_by
    client.post(url, programme_form_data(slug=programme.slug))
    programme.refresh_from_db()

    assert unchanged_date == "Ana"
    assert programme.checked_by == "curator_dst"
    assert programme.last_checked_on == timezone.localdate()
