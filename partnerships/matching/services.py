"""Partner suggestions: computed on the fly for one query, or stored (top 50) for every city.

Reads go through :func:`suggestions_for_city`; stored suggestions are refreshed by
:func:`matches_refresh_city` (one city, debounced after a profile change) and
:func:`matches_recompute_all` (every city, nightly). Both use the same core and the default
weights (``core.DEFAULT_WEIGHTS``).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet

from cities.models import City
from cities.permissions import cities_visible_to
from citydiplomacy.celery import enqueue
from partnerships.models import MatchSuggestion
from partnerships.permissions import partnerships_visible_to

from . import adapter, core

# A profile change schedules one recompute this many seconds later; further changes within the
# window find the pending marker and schedule nothing (see docs/matching.md, "Debounce").
DEBOUNCE_SECONDS = 60
BULK_CHUNK_ROWS = 256


_blas_controller = None


@contextlib.contextmanager
def single_threaded_blas():
    """Run numpy's BLAS on one thread inside the block.

    The core's products are thin (a few rows against N cities): OpenBLAS's own threads buy
    nothing there and, on a busy machine, spin against the web workers and the bulk
    recompute's own threads — measured 5-8x slower per query (docs/performance.md).
    """
    global _blas_controller
    from threadpoolctl import ThreadpoolController

    if _blas_controller is None:
        _blas_controller = ThreadpoolController()
    with _blas_controller.limit(limits=1, user_api="blas"):
        yield


def debounce_seconds() -> int:
    return int(getattr(settings, "MATCHING_REFRESH_DEBOUNCE_SECONDS", DEBOUNCE_SECONDS))


def pending_key(city_id: int) -> str:
    return f"matching:refresh-pending:{city_id}"


@dataclass
class Suggestion:
    """One suggested partner: the city, its score in [0, 1], the four components, the reasons
    in plain words, and notes on data that was missing for this pair."""

    city: City
    score: float
    components: dict[str, float]
    reasons: list[str]
    rank: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class SuggestionResult:
    """What the matches page shows: suggestions plus notes about the query city's data."""

    suggestions: list[Suggestion]
    notes: list[str]
    weights: dict[str, float]


def _allowed_mask(snapshot: adapter.Snapshot, candidates: QuerySet | None) -> np.ndarray:
    allowed = snapshot.published.copy()
    if candidates is not None:
        ids = np.fromiter(candidates.values_list("pk", flat=True), dtype=np.int64)
        allowed &= np.isin(snapshot.city_ids, ids)
    return allowed


def match_city(
    city: City,
    *,
    top: int = 10,
    weights: Mapping[str, object] | None = None,
    candidates: QuerySet | None = None,
    exclude_partners: bool = True,
    viewer=None,
) -> SuggestionResult:
    """Rank candidates for ``city`` now. Raises ``core.WeightsError`` for unusable weights.

    Candidates are published cities (optionally only those in ``candidates``), never ``city``
    itself and, with ``exclude_partners``, none of its current partners. ``viewer`` is whom
    the result is for (None: the public): it holds only cities they may see
    (``cities_visible_to``), and only partnerships they may see (``partnerships_visible_to``)
    leave a partner out — otherwise a missing suggestion would reveal a hidden partnership.
    """
    viewer = viewer if viewer is not None else AnonymousUser()
    normalised = core.normalise_weights(weights)
    snapshot = adapter.get_snapshot()
    row = snapshot.row_of(city.pk)
    if row is None:  # created after the fingerprint was read; reload once
        snapshot = adapter.get_snapshot(force=True)
        row = snapshot.row_of(city.pk)
    excluded: list[int] = []
    if exclude_partners:
        known = partnerships_visible_to(viewer)
        excluded = [
            r
            for r in (
                snapshot.row_of(pid) for pid in adapter.partner_ids(city.pk, partnerships=known)
            )
            if r is not None
        ]
    allowed = _allowed_mask(snapshot, candidates)
    visible = cities_visible_to(viewer)
    with single_threaded_blas():
        ranked = core.rank_for_city(
            snapshot.prepared, row, normalised, top=top, allowed=allowed, excluded=excluded
        )
        cities = visible.in_bulk([pair.city_id for pair in ranked])
        if len(cities) < len(ranked):
            # The snapshot still counts a city as published that no longer is (publishing
            # does not touch updated_at, so the fingerprint may not see it): rank again
            # within the cities the viewer may see. Rare, so the usual query costs nothing.
            allowed &= np.isin(
                snapshot.city_ids, np.fromiter(visible.values_list("pk", flat=True), np.int64)
            )
            ranked = core.rank_for_city(
                snapshot.prepared, row, normalised, top=top, allowed=allowed, excluded=excluded
            )
            cities = visible.in_bulk([pair.city_id for pair in ranked])
    ranked = [pair for pair in ranked if pair.city_id in cities]
    suggestions = []
    for pair in ranked:
        other = cities[pair.city_id]
        e = pair.explanation
        notes = []
        if (
            not snapshot.prepared.features.has_climate[pair.index]
            and snapshot.prepared.features.has_climate[row]
        ):
            notes.append(_no_climate_note(other.name))
        suggestions.append(
            Suggestion(
                city=other,
                score=e.score,
                components=dict(e.components),
                reasons=[
                    adapter.render_reason(snapshot, r, city_name=city.name, other_name=other.name)
                    for r in e.reasons
                ],
                rank=pair.rank,
                notes=notes,
            )
        )
    return SuggestionResult(
        suggestions=suggestions,
        notes=adapter.missing_notes(snapshot, row, city_name=city.name),
        weights=normalised,
    )


def _no_climate_note(name: str) -> str:
    from django.utils.translation import gettext as _

    return _("No climate data for %(city)s.") % {"city": name}


def suggestions_for_city(
    city: City,
    *,
    top: int = 10,
    weights: Mapping[str, object] | None = None,
    candidates: QuerySet | None = None,
    exclude_partners: bool = True,
    viewer=None,
) -> list[Suggestion]:
    """The ``top`` suggested partners for ``city``, best first (ties by lower city id).

    ``weights`` maps component names to non-negative numbers (normalised to sum 1; missing
    names keep their default); ``candidates`` restricts who may be suggested. Raises
    ``core.WeightsError`` for unusable weights. ``viewer``: see :func:`match_city`.
    """
    return match_city(
        city,
        top=top,
        weights=weights,
        candidates=candidates,
        exclude_partners=exclude_partners,
        viewer=viewer,
    ).suggestions


# --- stored suggestions ----------------------------------------------------------------------


def matches_refresh_city(*, city_id: int) -> int:
    """Recompute and store the top 50 of one city (default weights); returns rows stored.

    A city that is unpublished or has nothing to match on keeps no stored rows. Stored rows
    are shown to everyone, so they leave out only the partners the public knows of (active
    partnerships of published cities): a proposed partnership changes nothing in them.
    Idempotent: running it twice stores the same rows.
    """
    snapshot = adapter.get_snapshot()
    row = snapshot.row_of(city_id)
    if row is None or row not in set(snapshot.query_rows().tolist()):
        MatchSuggestion.objects.filter(city_id=city_id).delete()
        return 0
    weights = core.normalise_weights(None)
    excluded = [
        r for r in (snapshot.row_of(pid) for pid in adapter.partner_ids(city_id)) if r is not None
    ]
    with single_threaded_blas():
        ranked = core.rank_for_city(
            snapshot.prepared,
            row,
            weights,
            top=adapter.STORED_TOP,
            allowed=snapshot.published,
            excluded=excluded,
        )
    names = adapter.city_names([city_id, *(p.city_id for p in ranked)])
    return adapter.store_rankings(snapshot, [(row, ranked)], names=names)


@dataclass
class RecomputeStats:
    query_cities: int
    rows: int
    seconds_scoring: float
    seconds_explaining: float
    seconds_storing: float


def matches_recompute_all(
    *,
    chunk_rows: int = BULK_CHUNK_ROWS,
    top: int = adapter.STORED_TOP,
    workers: int | None = None,
    stdout=None,
) -> RecomputeStats:
    """Recompute the stored suggestions of every query city, in chunks of ``chunk_rows``.

    Query cities: published, with a challenge / completed initiative or open to partnerships.
    Candidates: every published city except the query city and its current partners as the
    public sees them (see :func:`matches_refresh_city`). Each
    chunk is scored as [chunk, N] float32 blocks and stored in its own transaction, so memory
    stays bounded and readers never see a half-written list. Cities that are no longer query
    cities lose their stored rows.
    """
    with single_threaded_blas():
        return _recompute_all(chunk_rows=chunk_rows, top=top, workers=workers, stdout=stdout)


def _recompute_all(*, chunk_rows: int, top: int, workers: int | None, stdout) -> RecomputeStats:
    snapshot = adapter.get_snapshot(force=True)
    prep = snapshot.prepared
    weights = core.normalise_weights(None)
    query_rows = snapshot.query_rows()
    workers = workers or min(2, os.cpu_count() or 1)
    partners = adapter.all_partner_ids()
    names = dict(City.objects.values_list("pk", "name"))
    ids = snapshot.city_ids
    t_score = t_explain = t_store = 0.0
    written = 0
    query_ids = {int(ids[r]) for r in query_rows}
    stored = set(MatchSuggestion.objects.values_list("city_id", flat=True).distinct())
    stale = sorted(stored - query_ids)
    for i in range(0, len(stale), 5000):
        MatchSuggestion.objects.filter(city_id__in=stale[i : i + 5000]).delete()
    excluded = {}
    for r in query_rows.tolist():
        partner_rows = [snapshot.row_of(pid) for pid in partners.get(int(ids[r]), ())]
        partner_rows = [p for p in partner_rows if p is not None]
        if partner_rows:
            excluded[r] = partner_rows
    chunks = core.bulk_top_k(
        prep,
        query_rows,
        weights,
        allowed=snapshot.published,
        excluded=excluded,
        k=top,
        chunk_rows=chunk_rows,
        workers=workers,
    )
    done = 0
    while True:
        began = time.perf_counter()
        chunk = next(chunks, None)
        t_score += time.perf_counter() - began
        if chunk is None:
            break
        rows, picked = chunk
        began = time.perf_counter()
        a_rows = np.concatenate([np.full(len(c), r) for r, c in zip(rows, picked, strict=True)])
        b_rows = np.concatenate(picked) if picked else np.empty(0, dtype=np.int64)
        explanations = iter(core.explain_pairs(prep, a_rows, b_rows, weights))
        rankings = []
        for r, chosen in zip(rows, picked, strict=True):
            explained = [(int(j), next(explanations)) for j in chosen]
            explained.sort(key=lambda item: (-round(item[1].score, 9), int(ids[item[0]])))
            rankings.append(
                (
                    int(r),
                    [
                        core.RankedPair(index=j, city_id=int(ids[j]), rank=k, explanation=e)
                        for k, (j, e) in enumerate(explained, start=1)
                    ],
                )
            )
        t_explain += time.perf_counter() - began
        began = time.perf_counter()
        written += adapter.store_rankings(snapshot, rankings, names=names)
        t_store += time.perf_counter() - began
        done += len(rows)
        if stdout is not None and (done // chunk_rows) % 20 == 0:
            stdout.write(f"  {done}/{len(query_rows)} cities")
    return RecomputeStats(
        query_cities=len(query_rows),
        rows=written,
        seconds_scoring=t_score,
        seconds_explaining=t_explain,
        seconds_storing=t_store,
    )


def city_matches_refresh_enqueue(*, city: City) -> None:
    """Call inside the transaction that changed ``city``'s profile.

    After commit, schedules one recompute of the city's stored suggestions
    ``MATCHING_REFRESH_DEBOUNCE_SECONDS`` (default 60) later, unless one is already pending:
    a cache marker set with ``cache.add`` (atomic) makes N edits within the window cause one
    recompute. The task clears the marker before it computes, so an edit during the
    computation schedules another run.
    """

    def schedule() -> None:
        adapter.data_changed()
        delay = debounce_seconds()
        if cache.add(pending_key(city.pk), "1", timeout=delay + 300) and not enqueue(
            "partnerships.matching.tasks.refresh_city_matches", (city.pk,), countdown=delay
        ):
            # The broker refused it: forget the marker so the next edit tries again (the
            # nightly recompute catches up meanwhile).
            cache.delete(pending_key(city.pk))

    transaction.on_commit(schedule)


def demo_load(*, stdout) -> None:
    """Demo step: store suggestions for the sample cities (idempotent)."""
    sample = list(City.objects.filter(is_sample=True).order_by("pk").values_list("pk", "name"))
    if not sample:
        stdout.write("Matching: no sample cities, nothing to recompute.")
        return
    total = 0
    for city_id, _name in sample:
        total += matches_refresh_city(city_id=city_id)
    stdout.write(f"Matching: stored {total} suggestions for {len(sample)} sample cities.")
