"""Tasks are enqueued on commit: in-process without a broker, in the real worker with one."""

import pytest
from django.db import transaction

from cities import services
from cities.models import City

from ..cities.factories import CityFactory, OfficialFactory
from ..conftest import wait_for


@pytest.mark.django_db
def test_it_runs_tasks_in_process_after_commit_without_a_broker(
    django_capture_on_commit_callbacks,
):
    city = CityFactory(summary="A river city.")
    OfficialFactory(city=city)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.city_profile_changed(city=city)
    city.refresh_from_db()
    assert city.completeness == 0  # nothing ran before commit

    for callback in callbacks:
        callback()
    city.refresh_from_db()
    assert city.completeness == 20 + 20 + 10 + 5


@pytest.mark.django_db
def test_it_enqueues_nothing_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    city = CityFactory(summary="A river city.")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.city_profile_changed(city=city)
                raise RuntimeError("abort")
        except RuntimeError:
            pass

    assert callbacks == []
    city.refresh_from_db()
    assert city.completeness == 0


@pytest.mark.worker
def test_it_runs_a_task_enqueued_on_commit_in_the_real_worker(celery_worker):
    city = CityFactory(summary="A river city.")
    OfficialFactory(city=city)

    with transaction.atomic():
        services.city_profile_changed(city=city)

    completeness = wait_for(
        lambda: City.objects.filter(pk=city.pk).values_list("completeness", flat=True).first()
    )
    assert completeness == 55
