# ruff: noqa: F811 - pytest fixtures imported from matching_world are used as arguments
"""Match reasons are stored as data and worded for whoever reads them: in their language, with
the theme names as curators last corrected them and numbers in their language's format."""

import datetime
import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import override

from cities.models import OutboxEmail, Theme, UserProfile
from cities.taxonomy import in_sentence
from partnerships import services as request_services
from partnerships.matching import reasons, services
from partnerships.models import MatchSuggestion

from ..cities.factories import CityStaffFactory, UserFactory
from .matching_world import _fresh_snapshot, world  # noqa: F401


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request with a language cookie activates it for the thread: leave English behind."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def english_theme_names_in(text: str, language: str) -> list[str]:
    """The English theme names (read from the database; as a sentence writes them too) found
    as words in ``text``, leaving out a name that reads the same in ``language``."""
    names = {
        name
        for theme in Theme.objects.all()
        for name in (theme.name_en, in_sentence(theme.name_en, "en"))
        if theme.name_en != getattr(theme, f"name_{language}")
    }
    return sorted(n for n in names if re.search(rf"\b{re.escape(n)}\b", text))


def theme_id(slug: str) -> int:
    return Theme.objects.get(slug=slug).pk


def say(data: dict, language: str) -> str:
    with override(language):
        return reasons.render(data, city_name="Düsseldorf", other_name="Toulouse")


# --- wording ---------------------------------------------------------------------------------


def test_it_words_a_theme_reason_in_the_readers_language(db):
    offer = {"code": "they_offer", "theme": theme_id("urban-heat"), "evidence": "stated"}
    assert say(offer, "en") == "Toulouse offers expertise in heat; Düsseldorf seeks help with it"
    german = say(offer, "de")
    assert "Hitze" in german and "heat" not in german  # German keeps the noun's capital
    assert "chaleur" in say(offer, "fr")
    assert "calor" in say(offer, "es")


def test_it_formats_numbers_in_the_readers_language(db):
    population = {"code": "population", "ratio": 2.54}
    assert "2.5" in say(population, "en")
    assert "2,5" in say(population, "de") and "2.5" not in say(population, "de")
    twin = {"code": "twin_a_future", "good": True, "warming": "ssp245-2085"}
    assert "+2.8 °C" in say(twin, "en")
    assert "+2,8 °C" in say(twin, "fr") and "+2.8" not in say(twin, "fr")
    assert "+2,2 °C" in say({**twin, "warming": "ssp245-2050"}, "pt")


def test_it_names_languages_and_partnership_kinds_in_the_readers_language(db):
    spoken = say({"code": "languages", "languages": ["en", "de"]}, "de")
    assert "Deutsch" in spoken and "Englisch" in spoken
    kinds = say({"code": "kinds", "kinds": ["climate"]}, "en")
    assert kinds.endswith("climate partnership")


def test_it_words_every_code_the_core_produces(db):
    heat = theme_id("urban-heat")
    samples = [
        {"code": "shared_same", "theme": heat, "priority_a": "high", "priority_b": "high"},
        {"code": "shared", "theme": heat, "priority_a": "high", "priority_b": "low"},
        {"code": "shared_field", "theme": heat, "priority_a": "related", "priority_b": "low"},
        {"code": "they_offer", "theme": heat, "evidence": "initiative"},
        {"code": "you_offer", "theme": heat, "evidence": "related"},
        {"code": "mutual"},
        {"code": "present", "good": False},
        {"code": "twin_b_future", "good": False, "warming": "ssp245-2085"},
        {"code": "population", "ratio": 1.2},
        {"code": "both_open"},
        {"code": "they_open"},
        {"code": "you_open"},
    ]
    for language, _name in settings.LANGUAGES:
        for data in samples:
            assert say(data, language), (language, data)
    with pytest.raises(ValueError, match="unknown reason code"):
        say({"code": "astrology"}, "en")


def test_it_leaves_out_a_reason_whose_theme_was_deleted_and_keeps_old_sentences(db):
    stored = [
        "A sentence stored before reasons were data",
        {"code": "shared_field", "theme": 999_999, "priority_a": "high", "priority_b": "low"},
        {"code": "both_open"},
    ]
    with override("en"):
        said = reasons.render_all(stored, city_name="A", other_name="B")
    assert said == [
        "A sentence stored before reasons were data",
        "Both are open to new partnerships",
    ]


# --- stored suggestions --------------------------------------------------------------------


def test_it_stores_reasons_as_data_not_words(world):
    services.matches_refresh_city(city_id=world["dusseldorf"].pk)
    stored = [item for row in MatchSuggestion.objects.all() for item in row.reasons]
    assert len(stored) > 5
    for item in stored:
        assert isinstance(item, dict) and item["code"]
        # Codes, keys and numbers only: no words that would fix a language.
        assert all(not isinstance(v, str) or " " not in v for v in item.values())


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_profile_words_stored_suggestions_in_the_readers_language(world, language):
    services.matches_refresh_city(city_id=world["dusseldorf"].pk)
    with override(language):
        html = render_to_string(
            "partnerships/_city_suggestions.html", {"city": world["dusseldorf"]}
        )
        sentences = [
            sentence
            for row in MatchSuggestion.objects.select_related("city", "suggested_city")
            for sentence in row.reason_sentences()
        ]
    heat = Theme.objects.get(slug="urban-heat")
    assert any(getattr(heat, f"name_{language}") in s or "chaleur" in s for s in sentences)
    assert not english_theme_names_in(" | ".join(sentences), language)
    assert any(s in html for s in sentences)  # the first reason of each suggested city
    assert "Toulouse offers expertise" not in html


def test_a_corrected_theme_name_shows_in_stored_reasons_without_recomputing(world):
    services.matches_refresh_city(city_id=world["dusseldorf"].pk)
    toulouse = MatchSuggestion.objects.select_related("city", "suggested_city").get(
        city=world["dusseldorf"], suggested_city=world["toulouse"]
    )
    with override("de"):
        assert any("Hitze" in s for s in toulouse.reason_sentences())
    heat = Theme.objects.get(slug="urban-heat")
    heat.name_de = "Hitzewellen"
    heat.save(update_fields=["name_de"])
    with override("de"):
        assert any("Hitzewellen" in s for s in toulouse.reason_sentences())


def test_the_matches_page_words_reasons_in_the_readers_language(client, world):
    client.cookies["django_language"] = "de"
    html = client.get(reverse("partnerships:matches", args=["dusseldorf"])).content.decode()
    assert "Hitze" in html
    assert not english_theme_names_in(html, "de")


def test_the_weekly_digest_words_reasons_in_the_recipients_language(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    dusseldorf = world["dusseldorf"]
    staff = CityStaffFactory(user=UserFactory(username="staff_dusseldorf"), city=dusseldorf).user
    UserProfile.objects.update_or_create(user=staff, defaults={"preferred_language": "de"})
    services.matches_refresh_city(city_id=dusseldorf.pk)
    now = MatchSuggestion.objects.first().computed_at + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert request_services.digest_send_weekly(now=now) == 1
    body = OutboxEmail.objects.get().body_text
    assert "Hitze" in body
    assert not english_theme_names_in(body, "de")
