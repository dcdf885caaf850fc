"""`make run` on a developer's machine: links in e-mails point at the port it serves, and the
log says how to sign in with a sample account of each role (DEBUG only)."""

import datetime
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from cities.models import CityStaff, OrganisationCurator
from citydiplomacy import demo_accounts
from citydiplomacy.management.commands.load_demo import DEMO_STEPS
from partnerships.models import PartnershipRequest, ProgrammeOrganiserRole

from ..cities.factories import MembershipFactory, OrganisationFactory, UserFactory
from ..partnerships.programmes.factories import ProgrammeFactory

ROOT = Path(__file__).resolve().parents[2]


def site_url_with(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "LOCAL_SITE_URL"}}
    clean.update(env)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from cities.notifications.services import site_url; print(site_url())",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "citydiplomacy.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_e_mail_links_follow_the_port_make_run_serves():
    assert site_url_with(LOCAL_SITE_URL="http://127.0.0.1:8123") == "http://127.0.0.1:8123"
    assert site_url_with() == "http://127.0.0.1:8000"


def test_a_configured_site_url_wins():
    url = site_url_with(SITE_URL="https://portal.example.org", LOCAL_SITE_URL="http://x:1")
    assert url == "https://portal.example.org"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["PORT=8123"], "LOCAL_SITE_URL=http://127.0.0.1:8123 "),
        (["HOST=0.0.0.0", "PORT=9000"], "LOCAL_SITE_URL=http://127.0.0.1:9000 "),
    ],
)
def test_make_run_passes_its_address_to_the_server_and_the_demo(args, expected):
    result = subprocess.run(
        ["make", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )

    lines = result.stdout.splitlines()
    assert any(line.startswith(expected) and "runserver" in line for line in lines)
    assert any(line.startswith(expected) and "load_demo" in line for line in lines)


# --- sample accounts ---------------------------------------------------------------------------


@pytest.fixture
def sample_world(db, kafue, recife):
    organisation = OrganisationFactory(
        name="Sample Association of Cities", slug=demo_accounts.ORGANISATION
    )
    MembershipFactory(organisation=organisation, city=kafue)
    soon = timezone.localdate() + datetime.timedelta(days=60)
    programme = ProgrammeFactory(
        slug=demo_accounts.PROGRAMME, title="A sample week", start_date=soon, end_date=soon
    )
    return {"organisation": organisation, "programme": programme}


def run_step() -> str:
    out = io.StringIO()
    demo_accounts.load(stdout=out)
    return out.getvalue()


def test_load_demo_runs_the_step():
    assert demo_accounts.load in DEMO_STEPS


def test_it_creates_one_account_per_role_and_lists_each_once(client, settings, sample_world):
    settings.DEBUG = True

    log = run_step()

    for username in demo_accounts.USERNAMES:
        assert log.count(username) == 1
        assert client.login(username=username, password=demo_accounts.PASSWORD)
        client.logout()
    assert "sample-password" in log and reverse("login") in log
    users = {u.username: u for u in get_user_model().objects.filter(username__startswith="sample")}
    assert CityStaff.objects.filter(user=users["sample-staff"], city__slug="kafue").exists()
    assert OrganisationCurator.objects.filter(user=users["sample-curator"]).exists()
    assert ProgrammeOrganiserRole.objects.filter(user=users["sample-organiser"]).exists()
    assert sample_world["programme"].organisers.filter(username="sample-organiser").exists()
    assert users["sample-admin"].is_superuser
    assert PartnershipRequest.objects.open().filter(to_city__slug="kafue").count() == 1


def test_each_sample_account_lands_on_a_dashboard_with_its_role(client, settings, sample_world):
    settings.DEBUG = True
    run_step()
    expected = {
        "sample-staff": "1 request waits for your answer.",
        "sample-curator": "Sample Association of Cities",
        "sample-organiser": "A sample week",
    }

    for username, text in expected.items():
        client.login(username=username, password=demo_accounts.PASSWORD)
        assert text in client.get(reverse("dashboard")).content.decode()
        client.logout()


def test_it_changes_nothing_when_run_again(settings, sample_world):
    settings.DEBUG = True
    first = run_step()

    second = run_step()

    assert second == first
    assert get_user_model().objects.filter(username__startswith="sample-").count() == 4
    assert PartnershipRequest.objects.count() == 1


def test_it_creates_nothing_without_debug_and_locks_leftovers(client, settings, sample_world):
    settings.DEBUG = True
    run_step()
    settings.DEBUG = False

    log = run_step()

    assert "none created (DEBUG is off)" in log
    assert "4 left from a development run can no longer sign in" in log
    for username in demo_accounts.USERNAMES:
        assert not client.login(username=username, password=demo_accounts.PASSWORD)


def test_it_creates_nothing_on_a_fresh_production_database(settings, db):
    settings.DEBUG = False
    UserFactory(username="someone")

    log = run_step()

    assert "none created" in log
    assert not get_user_model().objects.filter(username__startswith="sample-").exists()
