# ruff: noqa: F811 - pytest fixtures imported from matching_world are used as arguments
"""Stored suggestions follow profile changes: debounced after commit, idempotent, nightly."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import transaction

from citydiplomacy.celery import BEAT_SCHEDULE
from partnerships.matching import services, tasks
from partnerships.models import MatchSuggestion

from ..conftest import wait_for
from .matching_world import _fresh_snapshot, challenge, world  # noqa: F401


@pytest.fixture(autouse=True)
def _no_pending_markers(world):
    keys = [services.pending_key(city.pk) for city in world.values()]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


def test_it_schedules_one_recompute_for_many_edits_within_the_window(
    world, settings, django_capture_on_commit_callbacks
):
    settings.MATCHING_REFRESH_DEBOUNCE_SECONDS = 60
    city = world["dusseldorf"]
    with mock.patch.object(tasks.refresh_city_matches, "apply_async") as apply_async:
        for _ in range(3):
            with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
                services.city_matches_refresh_enqueue(city=city)
        assert apply_async.call_count == 1
        apply_async.assert_called_with(args=(city.pk,), kwargs=None, countdown=60)

        # Once the recompute ran, the next edit schedules a new one.
        tasks.refresh_city_matches(city.pk)
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            services.city_matches_refresh_enqueue(city=city)
        assert apply_async.call_count == 2


def test_it_schedules_nothing_when_the_edit_is_rolled_back(world):
    with mock.patch.object(tasks.refresh_city_matches, "apply_async") as apply_async:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.city_matches_refresh_enqueue(city=world["dusseldorf"])
            raise RuntimeError("edit failed")
        assert apply_async.call_count == 0
    assert cache.get(services.pending_key(world["dusseldorf"].pk)) is None


def test_it_stores_the_same_rows_when_the_task_runs_twice(world):
    assert tasks.refresh_city_matches(world["toulouse"].pk) == 4
    first = list(MatchSuggestion.objects.values_list("suggested_city", "rank", "score", "reasons"))
    assert tasks.refresh_city_matches(world["toulouse"].pk) == 4
    second = list(MatchSuggestion.objects.values_list("suggested_city", "rank", "score", "reasons"))
    assert first == second


def test_it_ignores_a_deleted_city(world):
    city_id = world["essen"].pk
    world["essen"].delete()
    assert tasks.refresh_city_matches(city_id) == 0


def test_it_recomputes_all_cities_nightly(world):
    assert BEAT_SCHEDULE["partnerships-recompute-all-matches"]["task"] == (
        tasks.recompute_all_matches.name
    )
    assert tasks.recompute_all_matches() == 16
    assert tasks.refresh_city_matches.soft_time_limit and tasks.recompute_all_matches.time_limit


@pytest.mark.worker
def test_it_recomputes_a_city_on_a_real_worker_after_its_profile_change_commits(
    celery_worker, world, settings
):
    settings.MATCHING_REFRESH_DEBOUNCE_SECONDS = 0
    city = world["essen"]
    assert not MatchSuggestion.objects.filter(city=city).exists()
    with transaction.atomic():
        challenge(city, "flooding")
        services.city_matches_refresh_enqueue(city=city)
    rows = wait_for(lambda: list(MatchSuggestion.objects.for_city(city)), timeout=60)
    assert [r.rank for r in rows] == [1, 2, 3, 4]
    assert cache.get(services.pending_key(city.pk)) is None
