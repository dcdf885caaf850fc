"""Bad programme data is refused with a clear message, on save and on import; imports are
all or nothing and idempotent; every change is in the history."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from partnerships.funding import services
from partnerships.models import CallType, FundingProgramme

from .factories import FundingProgrammeFactory

SEED = Path(__file__).resolve().parents[3] / "partnerships" / "funding" / "data" / "programmes.json"


def messages_of(programme) -> dict:
    with pytest.raises(ValidationError) as caught:
        programme.full_clean()
    return caught.value.message_dict


@pytest.mark.django_db
def test_it_refuses_an_unknown_country_group():
    programme = FundingProgrammeFactory.build(partner_groups=["oecd-dac-2024", "atlantis"])

    errors = messages_of(programme)

    assert "Unknown country group: atlantis" in " ".join(errors["partner_groups"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"amount_min": 900, "amount_max": 100}, "amount_min", "smallest grant cannot exceed"),
        ({"min_cities": 6, "max_cities": 4}, "__all__", "minimum number of municipalities"),
        ({"min_population": 10, "max_population": 5}, "__all__", "smallest city cannot be"),
        ({"duration_months_min": 12, "duration_months_max": 6}, "__all__", "shortest project"),
        (
            {"call_type": CallType.ROLLING, "next_deadline": dt.date(2030, 1, 1)},
            "next_deadline",
            "rolling call has no deadline",
        ),
        (
            {"required_partnership_kinds": ["twinning"]},
            "required_partnership_kinds",
            "need “requires an existing partnership” ticked",
        ),
        ({"required_partnership_kinds": ["pen-pals"]}, "required_partnership_kinds", "must be"),
        ({"min_countries": 5, "max_cities": 3}, "min_countries", "More countries are required"),
        ({"cofunding_share": 120}, "cofunding_share", "100"),
        ({"min_cities": 1}, "min_cities", "2"),
        ({"sdgs": [0, 18]}, "sdgs", "numbers from 1 to 17"),
        ({"currency": "EURO"}, "currency", "three-letter"),
        ({"summary_translations": {"xx": "?"}}, "summary_translations", "keyed by language"),
    ],
)
def test_it_refuses_contradictory_or_impossible_rules(overrides, field, words):
    programme = FundingProgrammeFactory.build(**overrides)

    errors = messages_of(programme)

    assert field in errors, errors
    assert words in " ".join(errors[field])


@pytest.mark.django_db
def test_the_database_refuses_contradictions_that_skip_validation():
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingProgrammeFactory(amount_min=900, amount_max=100)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingProgrammeFactory(call_type=CallType.ROLLING, next_deadline=dt.date(2030, 1, 1))


@pytest.mark.django_db
def test_it_flags_stale_entries():
    today = timezone.localdate()
    fresh = FundingProgrammeFactory()
    old = FundingProgrammeFactory(last_checked_on=today - dt.timedelta(days=400))
    passed = FundingProgrammeFactory(next_deadline=today - dt.timedelta(days=1))
    rolling = FundingProgrammeFactory(call_type=CallType.ROLLING, next_deadline=None)

    assert set(FundingProgramme.objects.stale(today)) == {old, passed}
    assert set(FundingProgramme.objects.open_calls(today)) == {fresh, old, rolling}
    assert old.is_stale(today) and passed.is_stale(today) and not fresh.is_stale(today)


@pytest.mark.django_db
def test_the_seed_file_loads_every_programme_with_a_source_and_a_check_date():
    result = services.funding_programmes_import(path=SEED)

    programmes = list(FundingProgramme.objects.all())
    assert len(result.created) == len(programmes) >= 9
    assert {
        "cerv-town-twinning",
        "cerv-networks-of-towns",
        "nakopa",
        "kleinprojektefonds",
        "skew-municipal-climate-partnerships",
        "eui-city-to-city-exchanges",
        "urbact-networks",
        "covenant-of-mayors-twinning",
        "netzerocities-twinning",
    } <= {p.slug for p in programmes}
    for programme in programmes:
        assert programme.source_url.startswith("https://")
        assert programme.last_checked_on and programme.checked_by
        assert programme.history.exists()


@pytest.mark.django_db
def test_importing_again_changes_nothing_and_records_nothing():
    services.funding_programmes_import(path=SEED)
    recorded = FundingProgramme.history.count()

    again = services.funding_programmes_import(path=SEED)

    assert again.created == again.updated == []
    assert len(again.unchanged) == FundingProgramme.objects.count()
    assert FundingProgramme.history.count() == recorded


def _write(tmp_path, programmes) -> Path:
    path = tmp_path / "programmes.json"
    path.write_text(json.dumps({"programmes": programmes}), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_one_bad_entry_refuses_the_whole_file_with_every_problem(tmp_path):
    entries = json.loads(SEED.read_text())["programmes"]
    entries[1]["rules"]["partner_groups"] = ["narnia"]
    entries[2]["amount_min"] = "999999"
    entries[3]["themes"] = ["no-such-theme"]
    entries[4]["last_checked_on"] = "yesterday"

    with pytest.raises(services.ImportRefused) as caught:
        services.funding_programmes_import(path=_write(tmp_path, entries))

    problems = " ".join(caught.value.problems)
    assert "Unknown country group: narnia" in problems
    assert "smallest grant cannot exceed" in problems
    assert "unknown themes no-such-theme" in problems
    assert "last_checked_on is not a date" in problems
    assert not FundingProgramme.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("content", ["", "{", "[]", '{"programmes": {}}', '{"programmes": [1]}'])
def test_it_refuses_a_file_that_is_not_a_programme_list(tmp_path, content):
    path = tmp_path / "broken.json"
    path.write_text(content)

    with pytest.raises(services.ImportRefused):
        services.funding_programmes_import(path=path)

    assert not FundingProgramme.objects.exists()


@pytest.mark.django_db
def test_an_update_changes_the_entry_and_keeps_the_history(tmp_path):
    services.funding_programmes_import(path=SEED)
    entries = json.loads(SEED.read_text())["programmes"]
    entries[0]["next_deadline"] = "2027-09-30"
    before = FundingProgramme.objects.get(slug=entries[0]["slug"]).history.count()

    result = services.funding_programmes_import(path=_write(tmp_path, entries))

    programme = FundingProgramme.objects.get(slug=entries[0]["slug"])
    assert result.updated == [programme.slug]
    assert programme.next_deadline == dt.date(2027, 9, 30)
    assert programme.history.count() > before
    latest = programme.history.filter(next_deadline=dt.date(2027, 9, 30)).first()
    assert latest.history_change_reason == "import from programmes.json"
    assert programme.history.filter(next_deadline=dt.date(2026, 9, 23)).exists()


@pytest.mark.django_db
def test_marking_as_checked_records_who_and_when(admin):
    programme = FundingProgrammeFactory(last_checked_on=dt.date(2024, 1, 1))

    services.funding_programme_mark_checked(programme=programme, user=admin)

    programme.refresh_from_db()
    assert programme.last_checked_on == timezone.localdate()
    assert programme.checked_by == "admin"
    assert programme.history.first().history_user == admin


@pytest.mark.django_db
def test_a_programme_is_plain_json_ready_data_for_the_api():
    from cities.models import Theme
    from partnerships.funding.selectors import programme_data

    programme = FundingProgrammeFactory(
        slug="fund", next_deadline=dt.date(2020, 1, 1), amount_min=1000, amount_max=5000
    )
    programme.themes.add(Theme.objects.get(slug="flooding"))
    programme.refresh_from_db()

    data = programme_data(programme, today=dt.date(2026, 11, 29))

    assert json.loads(json.dumps(data)) == data
    assert data["slug"] == "fund"
    assert data["themes"] == ["flooding"]
    assert data["amount_max"] == "5000.00"
    assert data["rules"]["applicant_groups"] == ["DE"]
    assert data["deadline_passed"] is True and data["is_open"] is False
