"""Typo-tolerant city-name lookup that needs nothing from the database: an in-memory index.

PostgreSQL forgives typos with ``pg_trgm``; SQLite, the embedded default, has nothing alike.
This index gives every database the same forgiveness: the folded search keys of all cities
("dusseldorf", "duesseldorf", "frankfurt am main", …) and each of their words of four letters
or more, a trigram inverted index over those tokens, and an edit distance that counts one
typo, one missing or extra letter or two swapped neighbours ("dusseldrof") as one edit.

Bounded: at most ``MAX_TOKENS`` tokens (largest cities first, so a cut drops the smallest
places), about 25 MB for the ~34,000 GeoNames cities; a lookup scores at most
``MAX_CANDIDATES`` tokens in Python after a vectorised trigram filter (under 20 ms).
The index is built once per process (1–3 s) and rebuilt when the cities change (see
:func:`get_index`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

# Typos are noise in very short queries: "kolm" would meet half the world.
MIN_LENGTH = 4
MAX_TOKENS = 600_000
MAX_CANDIDATES = 400
MAX_QUERY_LENGTH = 60
# How often a process asks the database whether its index is still current, and the longest an
# index is kept even when the cheap fingerprint did not change (a bulk re-import of GeoNames
# names does not touch ``updated_at``).
RECHECK_SECONDS = 30.0
MAX_AGE_SECONDS = 3600.0


def allowed_edits(length: int) -> int:
    """How many edits a query of ``length`` letters may be away from a name."""
    if length <= 5:
        return 1
    if length <= 12:
        return 2
    return 3


# Folded text holds only [a-z0-9 ]: 37 symbols, so a trigram is a number below 37³.
_SYMBOL = np.zeros(256, dtype=np.int32)
for _code, _char in enumerate(" abcdefghijklmnopqrstuvwxyz0123456789"):
    _SYMBOL[ord(_char)] = _code
# Longer names are compared in full but indexed by their first trigrams only.
INDEXED_WIDTH = 64


def trigram_codes(token: str) -> set[int]:
    """The trigrams of ``token`` padded like pg_trgm does ("  d", " du", …, "rf "), as
    numbers."""
    symbols = _SYMBOL[np.frombuffer(f"  {token[:INDEXED_WIDTH]} ".encode(), dtype=np.uint8)]
    codes = symbols[:-2] * 1369 + symbols[1:-1] * 37 + symbols[2:]
    return set(codes.tolist())


def _token_trigrams(tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(trigram code, token index) of every distinct trigram of every token, vectorised: the
    tokens as one fixed-width byte matrix, the trigrams as sliding sums over it."""
    width = INDEXED_WIDTH + 3
    padded = "".join(f"  {t[:INDEXED_WIDTH]} ".ljust(width) for t in tokens)
    symbols = _SYMBOL[np.frombuffer(padded.encode(), dtype=np.uint8)].reshape(len(tokens), width)
    codes = symbols[:, :-2] * 1369 + symbols[:, 1:-1] * 37 + symbols[:, 2:]
    lengths = np.fromiter((min(len(t), INDEXED_WIDTH) for t in tokens), np.int32, len(tokens))
    # A token of n letters has n + 1 trigrams (positions 0..n of the padded text).
    valid = np.arange(width - 2)[None, :] <= lengths[:, None]
    token_of = np.broadcast_to(np.arange(len(tokens), dtype=np.int32)[:, None], codes.shape)
    pairs = np.sort(codes[valid].astype(np.int64) * len(tokens) + token_of[valid])
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]  # a trigram once per token
    return (pairs // len(tokens)).astype(np.int32), (pairs % len(tokens)).astype(np.int32)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance of ``a`` and ``b`` (insertions, deletions,
    substitutions and swaps of two neighbours count one each), or ``limit + 1`` as soon as it
    is certain to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        best = i
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


@dataclass(frozen=True)
class FuzzyHit:
    """A city whose ``token`` (a folded name, or a word of one) is ``distance`` edits from the
    query; ``whole_name`` when the token is one of the city's names, not just a word in one."""

    city_id: int
    distance: int
    token: str
    whole_name: bool


class NameIndex:
    """Folded name tokens of many cities, searchable by edit distance.

    Built from ``(city id, search_names, population)`` rows; ``search_names`` is the model's
    "key|key|…" field.
    """

    def __init__(self, rows: Iterable[tuple[int, str, int | None]]):
        rows = sorted(rows, key=lambda row: -(row[2] or 0))
        token_ids: dict[str, int] = {}
        # Per token, the cities it names, each coded as ``city id · 2 + (1 if only a word)``.
        token_cities: list[list[int]] = []
        self.population: dict[int, int] = {}
        for city_id, search_names, population in rows:
            self.population[city_id] = population or 0
            for key in filter(None, (search_names or "").split("|")):
                words = [w for w in key.split(" ") if len(w) >= MIN_LENGTH and w != key]
                for token, word_only in ((key, 0), *((w, 1) for w in words)):
                    index = token_ids.get(token)
                    if index is None:
                        if len(token_ids) >= MAX_TOKENS:
                            continue
                        index = token_ids[token] = len(token_cities)
                        token_cities.append([])
                    token_cities[index].append(city_id * 2 + word_only)
        self.tokens: list[str] = list(token_ids)
        self.lengths = np.fromiter((len(t) for t in self.tokens), np.int32, len(self.tokens))
        self._city_offsets, self._city_codes = _compress(token_cities)
        # trigram -> tokens: the pairs sorted by trigram; a trigram's tokens are one slice.
        if self.tokens:
            self._gram_codes, self._gram_tokens = _token_trigrams(self.tokens)
        else:
            self._gram_codes = self._gram_tokens = np.zeros(0, dtype=np.int32)

    def __len__(self) -> int:
        return len(self.tokens)

    def _cities_of(self, token_index: int) -> list[int]:
        start, end = self._city_offsets[token_index], self._city_offsets[token_index + 1]
        return self._city_codes[start:end].tolist()

    def _shared_trigrams(self, key: str) -> tuple[np.ndarray, int]:
        """For every token, how many trigrams it shares with ``key``; and ``key``'s count."""
        codes = np.fromiter(sorted(trigram_codes(key)), dtype=np.int32)
        starts = np.searchsorted(self._gram_codes, codes, side="left")
        ends = np.searchsorted(self._gram_codes, codes, side="right")
        found = [self._gram_tokens[a:b] for a, b in zip(starts, ends, strict=True) if b > a]
        if not found:
            return np.zeros(len(self.tokens), dtype=np.int64), len(codes)
        return np.bincount(np.concatenate(found), minlength=len(self.tokens)), len(codes)

    def lookup(self, key: str, *, limit: int = 50) -> list[FuzzyHit]:
        """Cities with a name token few edits from ``key`` (a folded query): those one edit
        away if there are any, else two, up to ``allowed_edits``. Whole names before words in
        a name, then the larger city; one hit per city, at most ``limit``."""
        key = key[:MAX_QUERY_LENGTH]
        if len(key) < MIN_LENGTH or not self.tokens:
            return []
        shared, count = self._shared_trigrams(key)
        gap = np.abs(self.lengths - len(key))
        for edits in range(1, allowed_edits(len(key)) + 1):
            # One edit changes at most three trigrams, a swap of two neighbours four: a name
            # k edits away still shares all but at most 4·k of the query's trigrams.
            near = np.flatnonzero((shared >= max(1, count - 4 * edits)) & (gap <= edits))
            if len(near) > MAX_CANDIDATES:
                near = near[np.argsort(-shared[near], kind="stable")[:MAX_CANDIDATES]]
            best: dict[int, FuzzyHit] = {}
            for index in near.tolist():
                token = self.tokens[index]
                distance = edit_distance(key, token, edits)
                if distance > edits:
                    continue
                for code in self._cities_of(index):
                    hit = FuzzyHit(code // 2, distance, token, whole_name=not code % 2)
                    known = best.get(hit.city_id)
                    if known is None or _rank(hit) < _rank(known):
                        best[hit.city_id] = hit
            if best:
                ranked = sorted(
                    best.values(), key=lambda h: (*_rank(h), -self.population.get(h.city_id, 0))
                )
                return ranked[:limit]
        return []


def _rank(hit: FuzzyHit) -> tuple[int, int]:
    return (hit.distance, 0 if hit.whole_name else 1)


def _compress(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(items) for items in lists])
    flat = np.fromiter((i for items in lists for i in items), np.int64, int(offsets[-1]))
    return offsets, flat


# --- the process's index ---------------------------------------------------------------------

_lock = threading.Lock()
_index: NameIndex | None = None
_fingerprint: tuple | None = None
_built_at = 0.0
_checked_at = 0.0


def _current_fingerprint() -> tuple:
    """Row count, highest id and latest change of the cities: one aggregate query."""
    from django.db.models import Count, Max

    from .models import City

    row = City.objects.aggregate(n=Count("pk"), last_id=Max("pk"), changed=Max("updated_at"))
    return (row["n"], row["last_id"], row["changed"])


def get_index() -> NameIndex:
    """This process's index of every city's names, built on first use.

    Rebuilt when the cities' fingerprint (count, highest id, latest ``updated_at``) changed —
    asked at most every ``SEARCH_INDEX_RECHECK_SECONDS`` (default 30) — and at the latest
    after an hour. Cities the visitor may not see are in the index too: callers narrow the
    hits with their own queryset.
    """
    global _index, _fingerprint, _built_at, _checked_at
    from django.conf import settings

    from .models import City

    recheck = float(getattr(settings, "SEARCH_INDEX_RECHECK_SECONDS", RECHECK_SECONDS))
    now = time.monotonic()
    with _lock:
        if _index is not None and now - _checked_at < recheck and now - _built_at < MAX_AGE_SECONDS:
            return _index
        fingerprint = _current_fingerprint()
        _checked_at = now
        if _index is not None and fingerprint == _fingerprint and now - _built_at < MAX_AGE_SECONDS:
            return _index
        rows = City.objects.values_list("pk", "search_names", "population")
        _index = NameIndex(rows.iterator(chunk_size=5000))
        _fingerprint, _built_at = fingerprint, now
        return _index


def clear_index() -> None:
    """Forget the process's index (tests; the next lookup builds it again)."""
    global _index, _fingerprint
    with _lock:
        _index = _fingerprint = None
