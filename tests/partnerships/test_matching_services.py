# ruff: noqa: F811 - pytest fixtures imported from matching_world are used as arguments
"""Suggestions on the fly and stored, from the database: what a city's staff would see."""

from unittest import mock

import pytest

from cities.models import City
from partnerships.matching import core, services
from partnerships.models import MatchSuggestion

from ..cities.factories import CityFactory
from .factories import PartnershipFactory
from .matching_world import _fresh_snapshot, challenge, world  # noqa: F401


def slugs(suggestions):
    return [s.city.slug for s in suggestions]


def test_it_suggests_the_city_that_offers_what_dusseldorf_seeks_with_reasons(world):
    suggestions = services.suggestions_for_city(world["dusseldorf"], top=3)
    assert slugs(suggestions)[0] in {"toulouse", "essen"}
    toulouse = next(s for s in suggestions if s.city.slug == "toulouse")
    assert "Toulouse offers expertise in heat; Düsseldorf seeks help with it" in toulouse.reasons
    assert (
        "Düsseldorf offers expertise in structural change (post-industrial transition); "
        "Toulouse seeks help with it"
    ) in toulouse.reasons
    assert "Each can learn from the other" in toulouse.reasons
    essen = next(s for s in suggestions if s.city.slug == "essen")
    assert "Düsseldorf and Essen have similar climates today" in essen.reasons
    assert essen.components["climate"] > toulouse.components["climate"]
    assert 0 < toulouse.score <= 1
    assert set(toulouse.components) == set(core.COMPONENTS)
    assert [s.rank for s in suggestions] == [1, 2, 3]


def test_it_counts_a_completed_initiative_as_expertise(world):
    suggestions = services.suggestions_for_city(world["dusseldorf"], top=5)
    tunis = next(s for s in suggestions if s.city.slug == "tunis")
    assert tunis.components["expertise"] > 0
    assert (
        "Tunis has completed an initiative on drought; Düsseldorf seeks help with it"
        in tunis.reasons
    )


def test_it_never_suggests_the_city_itself_unpublished_cities_or_current_partners(world):
    PartnershipFactory(first=world["dusseldorf"], second=world["toulouse"])
    suggestions = services.suggestions_for_city(world["dusseldorf"], top=50)
    assert "dusseldorf" not in slugs(suggestions)
    assert "hidden" not in slugs(suggestions)
    assert "toulouse" not in slugs(suggestions)
    with_partners = services.suggestions_for_city(
        world["dusseldorf"], top=50, exclude_partners=False
    )
    assert "toulouse" in slugs(with_partners)


def test_it_suggests_an_ended_partnership_again(world):
    PartnershipFactory(first=world["dusseldorf"], second=world["toulouse"], status="ended")
    assert "toulouse" in slugs(services.suggestions_for_city(world["dusseldorf"], top=50))


def test_it_restricts_suggestions_to_the_given_candidates(world):
    candidates = City.objects.filter(country="DE")
    suggestions = services.suggestions_for_city(world["toulouse"], candidates=candidates)
    assert set(slugs(suggestions)) == {"dusseldorf", "essen", "nowhere"}


def test_it_follows_the_weights_the_user_chooses(world):
    only_climate = services.suggestions_for_city(
        world["dusseldorf"], top=1, weights={"shared": 0, "expertise": 0, "context": 0}
    )
    assert only_climate[0].city.slug == "essen"  # the nearest climate, 30 km away
    assert all(not r.startswith("Both rank") for r in only_climate[0].reasons)
    with pytest.raises(core.WeightsError):
        services.suggestions_for_city(world["dusseldorf"], weights={"shared": -1})


def test_it_suggests_partners_to_a_city_without_climate_or_challenges_with_a_note(world):
    result = services.match_city(world["nowhere"], top=3)
    assert result.suggestions  # context still links it to others
    assert any("no challenges" in note for note in result.notes)
    assert any("no climate data" in note for note in result.notes)
    for suggestion in result.suggestions:
        assert suggestion.components["shared"] == 0
        assert suggestion.components["climate"] == 0


def test_it_notes_a_suggested_city_without_climate_data(world):
    suggestions = services.suggestions_for_city(world["essen"], top=50)
    nowhere = next(s for s in suggestions if s.city.slug == "nowhere")
    assert nowhere.notes == ["No climate data for Nowhere."]


def test_it_sees_a_profile_change_on_the_next_query(world):
    newcomer = CityFactory(
        name="Lyon", slug="lyon", country="FR", latitude=45.76, longitude=4.84, population=520_000
    )
    challenge(newcomer, "urban-heat", offers=True, seeks=False)
    assert "lyon" in slugs(services.suggestions_for_city(world["dusseldorf"], top=50))


def test_it_stores_the_top_suggestions_of_a_city_and_replaces_them(world):
    stored = services.matches_refresh_city(city_id=world["dusseldorf"].pk)
    rows = list(MatchSuggestion.objects.for_city(world["dusseldorf"]))
    assert stored == len(rows) == 4  # all published cities but itself
    assert [r.rank for r in rows] == [1, 2, 3, 4]
    on_the_fly = services.suggestions_for_city(world["dusseldorf"], top=50)
    assert [r.suggested_city.slug for r in rows] == slugs(on_the_fly)
    assert rows[0].reason_sentences() == on_the_fly[0].reasons
    assert rows[0].score == pytest.approx(on_the_fly[0].score, abs=1e-6)

    PartnershipFactory(first=world["dusseldorf"], second=rows[0].suggested_city)
    services.matches_refresh_city(city_id=world["dusseldorf"].pk)
    again = MatchSuggestion.objects.for_city(world["dusseldorf"])
    assert rows[0].suggested_city not in {r.suggested_city for r in again}
    assert [r.rank for r in again] == [1, 2, 3]


def test_it_stores_nothing_for_a_city_with_nothing_to_match_on(world):
    MatchSuggestion.objects.create(
        city=world["essen"],
        suggested_city=world["nowhere"],
        rank=1,
        score=0.1,
        computed_at="2026-01-01T00:00:00Z",
    )
    world["essen"].challenges.all().delete()
    assert services.matches_refresh_city(city_id=world["essen"].pk) == 0
    assert not MatchSuggestion.objects.filter(city=world["essen"]).exists()


def test_it_recomputes_every_city_with_a_profile_and_drops_stale_rows(world):
    MatchSuggestion.objects.create(
        city=world["nowhere"],
        suggested_city=world["essen"],
        rank=1,
        score=0.1,
        computed_at="2026-01-01T00:00:00Z",
    )
    stats = services.matches_recompute_all(chunk_rows=2)
    with_rows = set(MatchSuggestion.objects.values_list("city__slug", flat=True))
    # Düsseldorf, Toulouse, Tunis (open or with challenges) and Essen (challenges); not
    # Nowhere (nothing to match on) nor Hidden (unpublished).
    assert with_rows == {"dusseldorf", "toulouse", "essen", "tunis"}
    assert stats.query_cities == 4
    assert stats.rows == MatchSuggestion.objects.count() == 4 * 4
    first = list(
        MatchSuggestion.objects.order_by("city", "rank").values_list(
            "city", "suggested_city", "rank", "score", "reasons"
        )
    )
    services.matches_recompute_all()
    second = list(
        MatchSuggestion.objects.order_by("city", "rank").values_list(
            "city", "suggested_city", "rank", "score", "reasons"
        )
    )
    assert first == second
    single = services.suggestions_for_city(world["toulouse"], top=50)
    assert [s.city.slug for s in single] == list(
        MatchSuggestion.objects.for_city(world["toulouse"]).values_list(
            "suggested_city__slug", flat=True
        )
    )


def test_it_stores_suggestions_for_the_sample_cities_in_the_demo(world):
    City.objects.filter(slug__in=["dusseldorf", "toulouse"]).update(is_sample=True)

    class Out:
        lines: list[str] = []

        def write(self, text):
            self.lines.append(text)

    out = Out()
    services.demo_load(stdout=out)
    assert set(MatchSuggestion.objects.values_list("city__slug", flat=True)) == {
        "dusseldorf",
        "toulouse",
    }
    assert "2 sample cities" in out.lines[-1]


def test_it_reuses_the_feature_snapshot_until_a_profile_edit_says_the_data_changed(
    world, settings, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    settings.MATCHING_SNAPSHOT_RECHECK_SECONDS = 3600
    dusseldorf = world["dusseldorf"]
    services.suggestions_for_city(dusseldorf)
    with django_assert_max_num_queries(3):  # partners, city rows: no snapshot queries
        services.suggestions_for_city(dusseldorf)

    newcomer = CityFactory(name="Lyon", slug="lyon", country="FR", latitude=45.76, longitude=4.84)
    challenge(newcomer, "urban-heat", offers=True, seeks=False)
    assert "lyon" not in slugs(services.suggestions_for_city(dusseldorf, top=50))  # trusted
    with (
        mock.patch("partnerships.matching.tasks.refresh_city_matches.apply_async"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.city_matches_refresh_enqueue(city=newcomer)
    assert "lyon" in slugs(services.suggestions_for_city(dusseldorf, top=50))


@pytest.mark.parametrize("workers", [1, 2])
def test_it_leaves_partners_out_of_the_stored_suggestions_of_every_city(world, workers):
    PartnershipFactory(first=world["dusseldorf"], second=world["toulouse"])
    services.matches_recompute_all(chunk_rows=1, workers=workers)
    stored = MatchSuggestion.objects.for_city(world["dusseldorf"])
    assert "toulouse" not in {s.suggested_city.slug for s in stored}
    assert stored.count() == 3
    toulouse = MatchSuggestion.objects.for_city(world["toulouse"])
    assert "dusseldorf" not in {s.suggested_city.slug for s in toulouse}
