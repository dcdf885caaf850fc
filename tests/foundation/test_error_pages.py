"""The error pages render for requests that never reached the middleware that sets
``request.user`` or the session: a refused ``Host`` header fails in the first middleware."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.views import defaults


@pytest.mark.django_db
def test_it_answers_an_unknown_host_with_the_bad_request_page(client):
    response = client.get("/", HTTP_HOST="unknown.example")

    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


@pytest.mark.django_db
def test_it_answers_an_unknown_host_with_400_behind_the_https_redirect(client, settings):
    # In production SecurityMiddleware asks for the host first, before sessions and auth.
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/cities/", HTTP_HOST="unknown.example")

    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("handler", "arguments", "status", "text"),
    [
        (defaults.bad_request, (Exception(),), 400, "Bad request"),
        (defaults.permission_denied, (PermissionDenied(),), 403, "You may not do this"),
        (defaults.page_not_found, (Http404(),), 404, "Page not found"),
        (defaults.server_error, (), 500, "Something went wrong on our side"),
    ],
)
def test_it_renders_each_error_page_for_a_bare_request(handler, arguments, status, text):
    request = RequestFactory().get("/somewhere/")  # no user, session or messages

    response = handler(request, *arguments)

    assert response.status_code == status
    assert text in response.content.decode()
