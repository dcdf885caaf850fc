"""The registry, the request form, the visitors programmes and the funding programmes in the
visitor's language: theme names, country names and dates, at the same query cost as in
English."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cities.choices import PartnershipKind
from cities.models import Theme
from cities.taxonomy import in_sentence
from partnerships.funding import services as funding_services

from ..cities.factories import CityFactory, CityStaffFactory, UserFactory
from .factories import PartnershipFactory
from .programmes.factories import MeetingSlotFactory, ProgrammeFactory

SEED = Path(__file__).resolve().parents[2] / "partnerships" / "funding" / "data" / "programmes.json"
REGISTRY = reverse("partnerships:list")
PROGRAMMES = reverse("partnerships:programme_list")
FUNDING = reverse("partnerships:funding_list")


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request with a language cookie activates it for the thread: leave English behind."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def english_theme_names_in(html: str, language: str) -> list[str]:
    """English theme names (read from the database) on the page, leaving out a name that reads
    the same in ``language``: as written anywhere in the markup, or as a sentence writes them
    ("heat") in the visible text (slugs in links and values are not names)."""
    english = [
        theme.name_en
        for theme in Theme.objects.all()
        if theme.name_en != getattr(theme, f"name_{language}")
    ]
    text = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", html, flags=re.S)
    found = {name for name in english if re.search(rf"\b{re.escape(name)}\b", html)}
    found |= {
        name for name in english if re.search(rf"\b{re.escape(in_sentence(name, 'en'))}\b", text)
    }
    return sorted(found)


def get(client, url, language, **params) -> str:
    client.cookies["django_language"] = language
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def theme(slug: str) -> Theme:
    return Theme.objects.get(slug=slug)


@pytest.fixture
def registry(kafue, recife):
    toulouse = CityFactory(name="Toulouse", slug="toulouse", country="FR")
    first = PartnershipFactory(first=kafue, second=recife, kind=PartnershipKind.CLIMATE)
    first.themes.add(theme("urban-heat"), theme("water-sanitation"))
    PartnershipFactory(first=recife, second=toulouse).themes.add(theme("housing"))
    return first


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_registry_names_themes_in_the_visitors_language(client, registry, language):
    html = get(client, REGISTRY, language)
    assert not english_theme_names_in(html, language)
    for slug in ("urban-heat", "water-sanitation", "housing"):
        assert getattr(theme(slug), f"name_{language}") in html
    detail = get(client, registry.get_absolute_url(), language)
    assert not english_theme_names_in(detail, language)
    assert getattr(theme("urban-heat"), f"name_{language}") in detail


def test_the_registrys_country_filter_speaks_the_visitors_language(client, registry):
    client.cookies["django_language"] = "de"
    form = client.get(REGISTRY).context["filter"].form
    countries = [label for value, label in form.fields["country"].choices if value]
    assert "Sambia" in countries and "Zambia" not in countries
    assert countries.index("Deutschland") < countries.index("Frankreich")
    client.cookies["django_language"] = "en"
    form = client.get(REGISTRY).context["filter"].form
    assert "Zambia" in [label for _value, label in form.fields["country"].choices]


def test_the_request_form_names_themes_in_the_senders_language(client, kafue, recife):
    staff = CityStaffFactory(user=UserFactory(username="staff_kafue"), city=kafue).user
    client.force_login(staff)
    client.cookies["django_language"] = "es"
    response = client.get(reverse("partnerships:request_new"), {"to": recife.slug})
    html = response.content.decode()
    assert response.status_code == 200
    assert not english_theme_names_in(html, "es")
    labels = [str(label) for _value, label in response.context["form"].fields["themes"].choices]
    assert "Adaptación al cambio climático" in labels
    assert labels == sorted(labels, key=lambda label: label.casefold())  # as Spanish sorts


@pytest.fixture
def programmes(db):
    programme = ProgrammeFactory(
        title="Cities in structural change",
        host_country="DE",
        start_date=dt.date(2026, 3, 5),
        end_date=dt.date(2026, 3, 6),
    )
    programme.themes.add(theme("structural-change"), theme("inner-city-regeneration"))
    ProgrammeFactory(title="Water week", host_country="ZM").themes.add(theme("water-scarcity"))
    return programme


def test_the_programme_list_speaks_the_visitors_language(client, programmes):
    html = get(client, PROGRAMMES, "de")
    assert not english_theme_names_in(html, "de")
    assert "Strukturwandel (postindustrieller Umbruch)" in html
    client.cookies["django_language"] = "de"
    form = client.get(PROGRAMMES).context["filter"].form
    countries = [label for value, label in form.fields["host_country"].choices if value]
    assert "Deutschland" in countries and "Germany" not in countries
    assert countries.index("Deutschland") < countries.index("Sambia")
    assert "5. Mär 2026" in html  # the programme's dates as German writes them


def test_the_programme_page_writes_dates_and_slots_as_the_visitors_language_does(
    client, programmes
):
    slot = MeetingSlotFactory(
        programme=programmes,
        start=dt.datetime(2026, 3, 5, 14, 0, tzinfo=dt.UTC),
        end=dt.datetime(2026, 3, 5, 14, 30, tzinfo=dt.UTC),
        room="Saal 1",
    )
    html = get(client, programmes.get_absolute_url(), "de")
    assert "Donnerstag, 5. März 2026" in html
    assert not english_theme_names_in(html, "de")
    with translation.override("de"):
        assert str(slot) == "Do, 5. Mär, 15:00–15:30, Saal 1"  # the host's time zone
    with translation.override("en"):
        assert str(slot) == "Thu 5 Mar 15:00–15:30, Saal 1"


def test_the_funding_list_speaks_the_visitors_language(client, db):
    funding_services.funding_programmes_import(path=SEED)
    html = get(client, FUNDING, "fr")
    assert not english_theme_names_in(html, "fr")
    client.cookies["django_language"] = "fr"
    form = client.get(FUNDING).context["filter"].form
    themes = [label for value, label in form.fields["theme"].choices if value]
    assert "Adaptation au changement climatique" in themes
    countries = [label for value, label in form.fields["country"].choices if value]
    assert "Allemagne" in countries and "Germany" not in countries


def test_every_language_defines_every_date_format_the_pages_use():
    from django.utils.formats import get_format

    from citydiplomacy.formats import CUSTOM_FORMATS

    for language, _name in settings.LANGUAGES:
        for name in CUSTOM_FORMATS:
            assert get_format(name, lang=language) != name, (language, name)


# --- query counts stay as in English ----------------------------------------------------------


def _queries(client, url, language) -> int:
    client.cookies["django_language"] = language
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(("url", "most"), [(REGISTRY, 8), (PROGRAMMES, 8), (FUNDING, 6)])
def test_the_lists_cost_as_many_queries_in_german_as_in_english(
    client, registry, programmes, url, most
):
    funding_services.funding_programmes_import(path=SEED)
    for _ in range(10):
        PartnershipFactory().themes.add(theme("flooding"), theme("drought"))
        ProgrammeFactory().themes.add(theme("health"))
    english = _queries(client, url, "en")
    german = _queries(client, url, "de")
    assert german == english <= most
