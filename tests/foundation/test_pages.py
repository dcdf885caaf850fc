import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_it_says_what_the_portal_is_for_on_the_home_page(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Find partner cities that face your challenges" in html
    assert 'href="#main"' in html  # skip link
    assert 'name="language"' in html  # language switcher


@pytest.mark.django_db
def test_it_serves_only_local_assets(client):
    html = client.get(reverse("home")).content.decode()

    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("de", "Finden Sie Partnerstädte, die vor Ihren Herausforderungen stehen"),
        ("fr", "Trouvez des villes partenaires confrontées aux mêmes défis que vous"),
        ("es", "Encuentre ciudades socias que se enfrentan a sus desafíos"),
        ("pt", "Encontre cidades parceiras que enfrentam os seus desafios"),
    ],
)
def test_it_switches_the_language(client, language, heading):
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == language
    html = client.get("/").content.decode()
    assert f'<html lang="{language}">' in html
    assert heading in html
    assert "Find partner cities that face your challenges" not in html


@pytest.mark.django_db
def test_it_shows_a_friendly_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
