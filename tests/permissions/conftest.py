import pytest
from django.core.cache import cache

from .matrix import build_world


@pytest.fixture
def world(db):
    cache.clear()  # rate limits and cached fragments must not leak between checks
    yield build_world()
    cache.clear()
