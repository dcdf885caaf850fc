"""The theme taxonomy in every language: the committed translations, the English fallback,
curators' corrections in the admin, and lists sorted in the reader's language."""

import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import override

from cities.models import Theme
from cities.taxonomy import in_sentence, sorted_themes, theme_names

DATA = Path(__file__).resolve().parents[2] / "cities" / "data" / "theme_translations.json"
TRANSLATED = ("de", "fr", "es", "pt")
LIST = reverse("cities:list")


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request with a language cookie activates it for the thread: leave English behind."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def fill_translations():
    module = importlib.import_module("cities.migrations.0009_theme_translations")
    with override("en"):
        module.fill_translations(django_apps, None)


def test_it_has_every_seeded_theme_in_every_language(db):
    committed = json.loads(DATA.read_text(encoding="utf-8"))["themes"]
    themes = list(Theme.objects.all())
    assert {theme.slug for theme in themes} == set(committed)
    for theme in themes:
        assert theme.name_en, theme.slug
        names = [getattr(theme, f"name_{code}") for code in TRANSLATED]
        assert all(names), theme.slug
        assert theme.name_en not in names, f"{theme.slug} is not translated"
    with override("de"):
        assert Theme.objects.get(slug="urban-heat").name == "Hitze"
    with override("pt"):
        assert (
            str(Theme.objects.get(slug="flooding")) == "Adaptação à mudança do clima › Inundações"
        )


def test_it_shows_the_english_name_when_a_translation_is_empty(client, db):
    heat = Theme.objects.get(slug="urban-heat")
    heat.name_fr = ""
    heat.save()
    Theme.objects.filter(slug="drought").update(name_fr=None)
    with override("fr"):
        assert Theme.objects.get(slug="urban-heat").name == "Heat"
        assert theme_names()[heat.pk] == "Heat"
        assert Theme.objects.get(slug="drought").name == "Drought"
    client.cookies["django_language"] = "fr"
    html = client.get(LIST).content.decode()
    assert "– Heat</option>" in html and "– Drought</option>" in html
    assert "– Inondations</option>" in html


def test_a_curators_correction_in_the_admin_shows_on_the_pages(client, admin):
    heat = Theme.objects.get(slug="urban-heat")
    client.cookies["django_language"] = "de"
    assert "Hitze" in client.get(LIST).content.decode()
    assert theme_names("de")[heat.pk] == "Hitze"  # kept for sentences from here on
    client.force_login(admin)
    change = reverse("admin:cities_theme_change", args=[heat.pk])
    form = client.get(change).context["adminform"].form
    assert {f"name_{code}" for code in ("en", *TRANSLATED)} <= set(form.fields)
    assert form.fields["name_en"].required and not form.fields["name_de"].required
    data = {
        name: form.initial.get(name) if form.initial.get(name) is not None else ""
        for name in form.fields
    }
    data.update(parent=heat.parent_id, sdgs=json.dumps(heat.sdgs), name_de="Hitzewellen")
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    heat.refresh_from_db()
    assert (heat.name_en, heat.name_de, heat.name_fr) == ("Heat", "Hitzewellen", "Chaleur")
    assert theme_names("de")[heat.pk] == "Hitzewellen"  # forgotten on save, read again
    html = client.get(LIST).content.decode()
    assert "– Hitzewellen</option>" in html and "– Hitze</option>" not in html


def test_the_admin_refuses_a_theme_without_an_english_name(client, admin):
    client.force_login(admin)
    heat = Theme.objects.get(slug="urban-heat")
    change = reverse("admin:cities_theme_change", args=[heat.pk])
    form = client.get(change).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(parent=heat.parent_id, sdgs=json.dumps(heat.sdgs), name_en="")
    response = client.post(change, data)
    assert response.status_code == 200
    assert "name_en" in response.context["adminform"].form.errors
    heat.refresh_from_db()
    assert heat.name_en == "Heat"


def test_seeding_again_fills_empty_translations_but_keeps_corrections(db):
    Theme.objects.filter(slug="urban-heat").update(name_de="Große Hitze", name_fr="", name_es=None)
    fill_translations()
    heat = Theme.objects.get(slug="urban-heat")
    assert (heat.name_de, heat.name_fr, heat.name_es) == ("Große Hitze", "Chaleur", "Calor")


def test_it_sorts_themes_by_their_names_in_the_readers_language(db):
    themes = list(Theme.objects.all())
    for language in ("en", "de", "fr"):
        with override(language):
            ordered = sorted_themes(themes)
            assert len(ordered) == len(themes)
            top = [t for t in ordered if t.parent_id is None]
            keys = [t.name.casefold() for t in top]
            # Accents do not move a name: "Éducation" sorts with the E's in French.
            assert keys == sorted(keys, key=lambda k: k.replace("é", "e").replace("ü", "u"))
            for i, theme in enumerate(ordered):  # narrower themes follow their parent
                if theme.parent_id is not None:
                    previous = ordered[i - 1]
                    assert theme.parent_id in {previous.pk, previous.parent_id}
    with override("en"):
        english = [t.slug for t in sorted_themes(themes) if t.parent_id is None]
    with override("de"):
        german = [t.slug for t in sorted_themes(themes) if t.parent_id is None]
    assert english[0] == "biodiversity-green-space"  # Biodiversity and green space
    assert german[0] == "waste-circular-economy"  # Abfall und Kreislaufwirtschaft
    with override("fr"):
        climate = next(t for t in themes if t.slug == "climate-adaptation")
        children = [t.name for t in sorted_themes(themes) if t.parent_id == climate.pk]
    assert children == ["Chaleur", "Inondations", "Pénurie d’eau", "Sécheresse"]


@pytest.mark.parametrize(
    ("name", "language", "expected"),
    [
        ("Heat", "en", "heat"),
        (
            "Structural change (post-industrial transition)",
            "en",
            "structural change (post-industrial transition)",
        ),
        ("Hitze", "de", "Hitze"),
        ("Chaleur", "fr", "chaleur"),
        ("SDG goals", "es", "SDG goals"),
        ("", "pt", ""),
    ],
)
def test_it_writes_a_name_inside_a_sentence_as_each_language_does(name, language, expected):
    assert in_sentence(name, language) == expected
