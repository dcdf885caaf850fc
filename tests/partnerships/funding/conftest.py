import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_before_and_after():
    """Sentences are asserted in English: start in it, and leave no other language active for
    the tests that follow (a request with a language cookie activates it for the thread)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
