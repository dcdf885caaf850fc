"""The matching core: feature arrays in, scores, components and reasons out.

Pure numpy, no Django: the adapter (``adapter.py``) builds :class:`MatchFeatures` from the
database and renders the structured :class:`Reason` objects into translated sentences.

For a query city A and every candidate B the score has four components, each in [0, 1]:

``shared``
    Themes both cities work on. Each theme t contributes ``rarity[t] * sqrt(pA[t] * pB[t])``
    where ``p`` is the priority weight of the city's challenge on t (high 1.0, medium 0.6,
    low 0.3). A challenge on a narrower theme also counts toward its parent theme at
    ``PARENT_SHARE`` of its weight ("the wider field"). ``rarity`` is an IDF over the cities
    that have a profile: a theme few cities list says more than one everybody lists. The sum
    is saturated: ``1 - exp(-sum / SHARED_SCALE)``.
``expertise``
    ``learn`` = sum over themes of A's seek weight × B's offer strength, ``teach`` the reverse.
    Offer strength is 1.0 for stated expertise, ``EVIDENCE_WEIGHT`` for expertise shown only by
    a completed initiative on the theme. With ``l``, ``t`` the saturated directions,
    ``expertise = 0.65·max(l, t) + 0.35·min(l, t)``: a two-way fit ranks above a one-way fit of
    the same strength.
``climate``
    ``0.5·present + 0.5·twin``: present = similarity of today's climates, twin = the better of
    "A's projected climate ≈ B's today" and "B's projected ≈ A's today". Similarity of a
    standardised bioclimatic distance d is ``0.5 ** ((d / good_twin_distance)**2)``, so a pair
    at the "good twin" limit scores 0.5.
``context``
    ``0.3·population + 0.3·languages + 0.2·kinds + 0.2·open``: population scale by log-ratio
    (0 beyond a factor of 100), a shared working language, a partnership kind both seek,
    and how many of the two are open to partnerships.
``network``
    What the partnerships cities chose say (``graph.py``): partners A and B have in common,
    each counted ``1 / ln(1 + its number of partners)`` (Adamic–Adar: a town with three
    partners says more than a capital with a hundred), saturated as
    ``1 - exp(-sum / NETWORK_SCALE)``. 0 for a pair that already partners (unless
    ``prepare(…, network_for_partners=True)``): a partnership should not raise itself.

Total = weighted sum with weights normalised to sum 1, so it stays in [0, 1]. A component
*contributes* when ``weight × value ≥ CONTRIBUTION_THRESHOLD``; every contributing component
gets at least one reason and no other component gets any, and each reason is one of the terms
that made its component's value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import graph

COMPONENTS: tuple[str, ...] = ("shared", "expertise", "climate", "context", "network")
DEFAULT_WEIGHTS: dict[str, float] = {
    "shared": 0.30,
    "expertise": 0.25,
    "climate": 0.15,
    "context": 0.10,
    "network": 0.20,
}
CONTRIBUTION_THRESHOLD = 0.02

PRIORITY_WEIGHTS: dict[str, float] = {"high": 1.0, "medium": 0.6, "low": 0.3}
PARENT_SHARE = 0.5
EVIDENCE_WEIGHT = 0.6
RARITY_FLOOR = 0.25
SHARED_SCALE = 1.0
EXPERTISE_SCALE = 1.0
MUTUAL_PRIMARY, MUTUAL_SECONDARY = 0.65, 0.35
CLIMATE_PRESENT_SHARE, CLIMATE_TWIN_SHARE = 0.5, 0.5
CONTEXT_SHARES: dict[str, float] = {"population": 0.3, "languages": 0.3, "kinds": 0.2, "open": 0.2}
POPULATION_ZERO_LOG_RATIO = math.log(100.0)
# A reason is shown for a term worth at least this share of its component's largest term.
TERM_SHARE_SHOWN = 0.2
MAX_REASONS_PER_COMPONENT = 3
# Partners in common named in the network's reason ("… also partner with Lusaka: A, B, C").
MAX_NAMED_PARTNERS = 3


class WeightsError(ValueError):
    """Weights that cannot be used; the message says why, in words for the user."""


def normalise_weights(weights: Mapping[str, object] | None) -> dict[str, float]:
    """Return weights for all five components summing to 1.

    Missing names keep their default before normalising. Raises :class:`WeightsError` for an
    unknown name, a non-numeric, negative or non-finite value, or weights that are all zero.
    """
    merged = dict(DEFAULT_WEIGHTS)
    for name, value in (weights or {}).items():
        if name not in DEFAULT_WEIGHTS:
            raise WeightsError(f"Unknown weight {name!r}; use {', '.join(COMPONENTS)}.")
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise WeightsError(f"The weight for {name} must be a number (got {value!r}).") from None
        if not math.isfinite(number):
            raise WeightsError(f"The weight for {name} must be a finite number.")
        if number < 0:
            raise WeightsError(f"The weight for {name} must not be negative (got {value}).")
        merged[name] = number
    total = sum(merged.values())
    if total <= 0:
        raise WeightsError("At least one weight must be above zero.")
    return {name: merged[name] / total for name in COMPONENTS}


def parse_weights(text: str) -> dict[str, float]:
    """Parse ``shared=2,expertise=1,…`` into normalised weights (see :func:`normalise_weights`)."""
    raw: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, sep, value = part.partition("=")
        if not sep:
            raise WeightsError(f"Write each weight as name=value (got {part!r}).")
        name = name.strip()
        if name in raw:
            raise WeightsError(f"The weight {name!r} is given twice.")
        raw[name] = value.strip()
    if not raw:
        raise WeightsError("No weights given; write e.g. shared=2,expertise=1,climate=1,context=1.")
    return normalise_weights(raw)


@dataclass(frozen=True)
class MatchFeatures:
    """Everything the core needs about N cities and T themes, as arrays.

    Rows are cities in ascending id order (``city_ids``); missing data is zero (or NaN for
    ``log_population``) and flagged by ``has_climate`` / an all-zero row.
    """

    city_ids: np.ndarray  # int64 [N], ascending
    priority: np.ndarray  # float32 [N, T]: priority weight of the city's challenge on t, else 0
    seek: np.ndarray  # float32 [N, T]: priority weight where the challenge seeks help, else 0
    offer: np.ndarray  # float32 [N, T]: 1 stated expertise, EVIDENCE_WEIGHT initiative only
    theme_parent: np.ndarray  # int64 [T]: index of the parent theme, -1 for a top-level theme
    climate_present: np.ndarray  # float32 [N, F]: standardised bioclimatic features today
    climate_future: np.ndarray  # float32 [N, F]: the same at the default warming level
    has_climate: np.ndarray  # bool [N]
    good_twin_distance: float
    log_population: np.ndarray  # float32 [N], NaN when unknown
    languages: np.ndarray  # float32 [N, L] one-hot working languages
    kinds: np.ndarray  # float32 [N, K] one-hot partnership kinds sought
    open: np.ndarray  # float32 [N] 1 when open to partnerships
    # scipy.sparse [N, N], symmetric, 1 where two cities have a current partnership; None: no
    # partnerships known (the network component is then 0 everywhere).
    partners: object = None

    @property
    def n_cities(self) -> int:
        return int(self.city_ids.shape[0])


@dataclass(frozen=True)
class PreparedFeatures:
    """Derived arrays computed once per feature set, so a query is a few mat-vec products."""

    features: MatchFeatures
    eff_priority: np.ndarray  # [N, T] priority with children counting toward parents
    rarity: np.ndarray  # [T]
    shared_vectors: np.ndarray  # [N, T] sqrt(eff * rarity): dot product = shared sum
    seek_eff: np.ndarray  # [N, T]
    offer_eff: np.ndarray  # [N, T]
    present_sq: np.ndarray  # [N] squared norms
    future_sq: np.ndarray  # [N]
    pop_known: np.ndarray  # bool [N]
    log_pop: np.ndarray  # float32 [N], 0 where unknown
    has_profile: np.ndarray  # bool [N]: any challenge or expertise evidence
    index_of: dict[int, int] = field(repr=False)
    children: tuple[tuple[int, ...], ...] = ()  # child theme indices of each theme
    network: graph.PartnerGraph | None = None


def _expand_to_parents(matrix: np.ndarray, parent: np.ndarray) -> np.ndarray:
    """A narrower theme counts toward its parent at PARENT_SHARE (max, never summed)."""
    out = matrix.copy()
    for child in np.flatnonzero(parent >= 0):
        p = parent[child]
        np.maximum(out[:, p], PARENT_SHARE * matrix[:, child], out=out[:, p])
    return out


def prepare(features: MatchFeatures, *, network_for_partners: bool = False) -> PreparedFeatures:
    """Derive the arrays every query uses. O(N·T + partnerships); call once per snapshot.

    ``network_for_partners`` lets the network component count for pairs that already
    partner (off by default: their shared partners would only confirm the partnership)."""
    f = features
    eff = _expand_to_parents(f.priority.astype(np.float32), f.theme_parent)
    seek_eff = _expand_to_parents(f.seek.astype(np.float32), f.theme_parent)
    offer_eff = _expand_to_parents(f.offer.astype(np.float32), f.theme_parent)
    has_profile = (eff > 0).any(axis=1) | (offer_eff > 0).any(axis=1)
    profiled = int(has_profile.sum())
    document_frequency = (eff > 0).sum(axis=0).astype(np.float64)
    if profiled > 0:
        idf = 1.0 - np.log1p(document_frequency) / math.log1p(profiled + 1)
    else:
        idf = np.ones(eff.shape[1])
    rarity = (RARITY_FLOOR + (1.0 - RARITY_FLOOR) * np.clip(idf, 0.0, 1.0)).astype(np.float32)
    shared_vectors = np.sqrt(eff * rarity[None, :]).astype(np.float32)
    present = f.climate_present.astype(np.float32)
    future = f.climate_future.astype(np.float32)
    pop_known = ~np.isnan(f.log_population)
    return PreparedFeatures(
        features=f,
        eff_priority=eff,
        rarity=rarity,
        shared_vectors=shared_vectors,
        seek_eff=seek_eff,
        offer_eff=offer_eff,
        present_sq=(present * present).sum(axis=1),
        future_sq=(future * future).sum(axis=1),
        pop_known=pop_known,
        log_pop=np.where(pop_known, f.log_population, 0.0).astype(np.float32),
        has_profile=has_profile,
        index_of={int(cid): i for i, cid in enumerate(f.city_ids)},
        children=tuple(
            tuple(int(c) for c in np.flatnonzero(f.theme_parent == t))
            for t in range(f.theme_parent.shape[0])
        ),
        network=graph.PartnerGraph.build(f.partners, f.n_cities, for_partners=network_for_partners),
    )


def _saturate(x: np.ndarray, scale: float) -> np.ndarray:
    return -np.expm1(-np.maximum(x, 0) / scale)


def _similarity(distance_sq: np.ndarray, good_twin_distance: float) -> np.ndarray:
    return np.exp2(-np.maximum(distance_sq, 0) / (good_twin_distance * good_twin_distance))


def component_rows(prep: PreparedFeatures, rows: np.ndarray) -> dict[str, np.ndarray]:
    """All four components of the query cities ``rows`` against every city: [B, N] each.

    Matrix products only; memory is a handful of float32 [B, N] blocks.
    """
    f = prep.features
    rows = np.asarray(rows)
    shared = _saturate(prep.shared_vectors[rows] @ prep.shared_vectors.T, SHARED_SCALE)
    learn = _saturate(prep.seek_eff[rows] @ prep.offer_eff.T, EXPERTISE_SCALE)
    teach = _saturate(prep.offer_eff[rows] @ prep.seek_eff.T, EXPERTISE_SCALE)
    expertise = MUTUAL_PRIMARY * np.maximum(learn, teach) + MUTUAL_SECONDARY * np.minimum(
        learn, teach
    )
    del learn, teach

    zp, zf = f.climate_present, f.climate_future
    d2 = (prep.present_sq[rows, None] + prep.present_sq[None, :]) - 2 * (zp[rows] @ zp.T)
    present = _similarity(d2, f.good_twin_distance)
    d2 = (prep.future_sq[rows, None] + prep.present_sq[None, :]) - 2 * (zf[rows] @ zp.T)
    twin = _similarity(d2, f.good_twin_distance)
    d2 = (prep.present_sq[rows, None] + prep.future_sq[None, :]) - 2 * (zp[rows] @ zf.T)
    np.maximum(twin, _similarity(d2, f.good_twin_distance), out=twin)
    del d2
    climate = CLIMATE_PRESENT_SHARE * present + CLIMATE_TWIN_SHARE * twin
    del present, twin
    climate *= f.has_climate[rows, None] & f.has_climate[None, :]

    pop = 1.0 - np.abs(prep.log_pop[rows, None] - prep.log_pop[None, :]) / POPULATION_ZERO_LOG_RATIO
    np.clip(pop, 0.0, 1.0, out=pop)
    pop *= prep.pop_known[rows, None] & prep.pop_known[None, :]
    context = CONTEXT_SHARES["population"] * pop
    del pop
    context += CONTEXT_SHARES["languages"] * np.minimum(f.languages[rows] @ f.languages.T, 1.0)
    context += CONTEXT_SHARES["kinds"] * np.minimum(f.kinds[rows] @ f.kinds.T, 1.0)
    context += CONTEXT_SHARES["open"] * 0.5 * (f.open[rows, None] + f.open[None, :])
    network = np.zeros((len(rows), f.n_cities), dtype=np.float32)
    if prep.network is not None:
        r, c, v = prep.network.block(rows)
        network[r, c] = v
    return {
        "shared": shared.astype(np.float32, copy=False),
        "expertise": expertise.astype(np.float32, copy=False),
        "climate": climate.astype(np.float32, copy=False),
        "context": context.astype(np.float32, copy=False),
        "network": network,
    }


def score_rows(
    prep: PreparedFeatures, rows: np.ndarray, weights: Mapping[str, float]
) -> np.ndarray:
    """Weighted total of :func:`component_rows` as float32 [B, N] in [0, 1].

    The same formulas, fused with in-place operations on three [B, N] buffers: the bulk
    recompute spends its time here, and memory traffic, not arithmetic, is what costs.
    """
    f = prep.features
    rows = np.asarray(rows)
    w = {name: np.float32(weights[name]) for name in COMPONENTS}
    one = np.float32(1.0)

    # Shared: total = w·(1 − exp(−x/s)) = −w·expm1(−x/s).
    total = prep.shared_vectors[rows] @ prep.shared_vectors.T
    total *= np.float32(-1.0 / SHARED_SCALE)
    np.expm1(total, out=total)
    total *= -w["shared"]

    # Expertise: 0.65·max + 0.35·min = 0.35·(l + t) + 0.30·max(l, t).
    learn = prep.seek_eff[rows] @ prep.offer_eff.T
    learn *= np.float32(-1.0 / EXPERTISE_SCALE)
    np.expm1(learn, out=learn)
    teach = prep.offer_eff[rows] @ prep.seek_eff.T
    teach *= np.float32(-1.0 / EXPERTISE_SCALE)
    np.expm1(teach, out=teach)
    # learn, teach hold −l, −t: max(l, t) = −min(−l, −t).
    buffer = np.minimum(learn, teach)
    learn += teach
    learn *= -w["expertise"] * np.float32(MUTUAL_SECONDARY)
    total += learn
    buffer *= -w["expertise"] * np.float32(MUTUAL_PRIMARY - MUTUAL_SECONDARY)
    total += buffer
    work_a, work_b = learn, teach

    # Climate: similarity = 2^(−d²/D²), d² = |x|² + |y|² − 2x·y.
    if w["climate"] > 0 and f.has_climate[rows].any():
        zp, zf = f.climate_present, f.climate_future
        inv = np.float32(-1.0 / (f.good_twin_distance * f.good_twin_distance))

        def similarity(out, left, left_sq, right, right_sq):
            np.matmul(left[rows], right.T, out=out)
            out *= np.float32(-2.0)
            out += right_sq[None, :]
            out += left_sq[rows, None]
            np.maximum(out, np.float32(0.0), out=out)
            out *= inv
            np.exp2(out, out=out)
            return out

        present = similarity(work_a, zp, prep.present_sq, zp, prep.present_sq)
        twin = similarity(work_b, zf, prep.future_sq, zp, prep.present_sq)
        other = similarity(buffer, zp, prep.present_sq, zf, prep.future_sq)
        np.maximum(twin, other, out=twin)
        twin *= np.float32(CLIMATE_TWIN_SHARE)
        present *= np.float32(CLIMATE_PRESENT_SHARE)
        present += twin
        present *= f.has_climate[None, :]
        present *= (w["climate"] * f.has_climate[rows].astype(np.float32))[:, None]
        total += present

    # Context.
    pop = np.subtract(prep.log_pop[rows, None], prep.log_pop[None, :], out=work_a)
    np.abs(pop, out=pop)
    pop *= np.float32(-1.0 / POPULATION_ZERO_LOG_RATIO)
    pop += one
    np.maximum(pop, np.float32(0.0), out=pop)
    pop *= prep.pop_known[None, :]
    row_factor = w["context"] * np.float32(CONTEXT_SHARES["population"])
    pop *= (row_factor * prep.pop_known[rows].astype(np.float32))[:, None]
    total += pop
    for matrix, share in ((f.languages, "languages"), (f.kinds, "kinds")):
        overlap = np.matmul(matrix[rows], matrix.T, out=work_a)
        np.minimum(overlap, one, out=overlap)
        overlap *= w["context"] * np.float32(CONTEXT_SHARES[share])
        total += overlap
    half_open = w["context"] * np.float32(CONTEXT_SHARES["open"] * 0.5)
    total += half_open * f.open[None, :]
    total += half_open * f.open[rows, None]

    # Network: sparse — only pairs with a partner in common get anything.
    if w["network"] > 0 and prep.network is not None:
        r, c, v = prep.network.block(rows)
        total[r, c] += w["network"] * v
    np.clip(total, 0.0, 1.0, out=total)
    return total


def top_k(scores: np.ndarray, city_ids: np.ndarray, allowed: np.ndarray, k: int) -> np.ndarray:
    """Indices of the best ``k`` allowed candidates, highest score first, ties by lower id.

    ``argpartition`` finds the k-th best score in O(N); everything tied with it is kept and
    sorted by (score desc, id asc), so the result never depends on partition order.
    """
    candidates = np.flatnonzero(allowed)
    if k <= 0 or candidates.size == 0:
        return np.empty(0, dtype=np.int64)
    values = scores[candidates]
    if candidates.size > k:
        kth = np.partition(-values, k - 1)[k - 1]
        keep = -values <= kth
        candidates, values = candidates[keep], values[keep]
    order = np.lexsort((city_ids[candidates], -values))
    return candidates[order[:k]]


def top_k_rows(
    scores: np.ndarray, city_ids: np.ndarray, allowed: np.ndarray, k: int
) -> list[np.ndarray]:
    """:func:`top_k` for each row of a [B, N] block; ``allowed`` is [B, N].

    A loop of 1-D partitions: measured faster than one 2-D ``argpartition`` over the block.
    """
    return [top_k(scores[i], city_ids, allowed[i], k) for i in range(scores.shape[0])]


def bulk_top_k(
    prep: PreparedFeatures,
    query_rows: np.ndarray,
    weights: Mapping[str, float],
    *,
    allowed: np.ndarray,
    excluded: Mapping[int, Sequence[int]] | None = None,
    k: int = 50,
    chunk_rows: int = 256,
    workers: int = 1,
):
    """Yield ``(rows, picked)`` for consecutive chunks of ``query_rows``, in order.

    Each chunk is scored as a float32 [chunk_rows, N] block against every city; ``allowed``
    ([N] bool) says who may be suggested, ``excluded`` maps a query row to rows it must not
    get (its partners); the row itself never appears. With ``workers`` > 1 chunks are scored
    in threads (numpy releases the GIL in its kernels); memory is about ``workers + 1`` blocks.
    """
    ids = prep.features.city_ids
    excluded = excluded or {}

    def run(start: int):
        rows = query_rows[start : start + chunk_rows]
        scores = score_rows(prep, rows, weights)
        mask = np.broadcast_to(allowed, scores.shape).copy()
        mask[np.arange(len(rows)), rows] = False
        for i, r in enumerate(rows.tolist()):
            if r in excluded:
                mask[i, list(excluded[r])] = False
        return rows, top_k_rows(scores, ids, mask, k)

    starts = range(0, len(query_rows), chunk_rows)
    if workers <= 1:
        for start in starts:
            yield run(start)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = []
        for start in starts:
            pending.append(pool.submit(run, start))
            if len(pending) > workers:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


# --- pairs and reasons -------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """One term of a component, in structured form; the adapter turns it into a sentence.

    ``params`` holds indices (themes, languages, kinds) and numbers, never text.
    """

    component: str
    code: str
    value: float  # this term's share of the component's value (same units as the component)
    params: dict


@dataclass(frozen=True)
class PairExplanation:
    components: dict[str, float]
    score: float
    reasons: list[Reason]


def _priority_name(weight: float) -> str:
    for name, w in PRIORITY_WEIGHTS.items():
        if abs(weight - w) < 1e-6:
            return name
    return "related"


def _is_redundant(reason: Reason) -> bool:
    return reason.code.endswith("_redundant") or reason.params.get("evidence") == "redundant"


def _shown(terms: list[tuple[float, Reason]], limit: int) -> list[Reason]:
    """Largest terms first: always the largest, then those worth TERM_SHARE_SHOWN of it.

    A wider-field term already said by a narrower theme is left out (never the only one)."""
    terms = [t for t in terms if t[0] > 0]
    if any(not _is_redundant(r) for _v, r in terms):
        terms = [t for t in terms if not _is_redundant(t[1])]
    if not terms:
        return []
    terms.sort(key=lambda t: (-t[0], t[1].code, t[1].params.get("theme", -1)))
    top = terms[0][0]
    return [r for v, r in terms[:limit] if v >= TERM_SHARE_SHOWN * top]


def explain_pair(
    prep: PreparedFeatures, a: int, b: int, weights: Mapping[str, float]
) -> PairExplanation:
    """Components, score and reasons of one pair (row indices ``a``, ``b``), in float64."""
    return explain_pairs(prep, np.array([a]), np.array([b]), weights)[0]


def _group(pair_index: np.ndarray, theme_index: np.ndarray, count: int) -> list[list[int]]:
    groups: list[list[int]] = [[] for _ in range(count)]
    for p, t in zip(pair_index.tolist(), theme_index.tolist(), strict=True):
        groups[p].append(t)
    return groups


def explain_pairs(
    prep: PreparedFeatures, a_rows: np.ndarray, b_rows: np.ndarray, weights: Mapping[str, float]
) -> list[PairExplanation]:
    """Components, score and reasons of the pairs (a_rows[i], b_rows[i]), in float64.

    The same formulas as :func:`component_rows`, kept term by term so that the reasons are
    exactly the terms that made each component. The numbers are computed for all pairs at
    once; only the few non-zero terms of each pair are visited in Python.
    """
    f = prep.features
    a_rows, b_rows = np.asarray(a_rows, dtype=np.int64), np.asarray(b_rows, dtype=np.int64)
    count = len(a_rows)
    if count == 0:
        return []

    # Shared challenges.
    ea = prep.eff_priority[a_rows].astype(np.float64)
    eb = prep.eff_priority[b_rows].astype(np.float64)
    shared_terms = prep.rarity.astype(np.float64)[None, :] * np.sqrt(ea * eb)
    shared_raw = shared_terms.sum(axis=1)
    shared = -np.expm1(-shared_raw / SHARED_SCALE)
    shared_groups = _group(*np.nonzero(shared_terms > 0), count)

    # Expertise fit.
    learn_terms = prep.seek_eff[a_rows].astype(np.float64) * prep.offer_eff[b_rows]
    teach_terms = prep.offer_eff[a_rows].astype(np.float64) * prep.seek_eff[b_rows]
    learn_raw, teach_raw = learn_terms.sum(axis=1), teach_terms.sum(axis=1)
    learn = -np.expm1(-learn_raw / EXPERTISE_SCALE)
    teach = -np.expm1(-teach_raw / EXPERTISE_SCALE)
    expertise = MUTUAL_PRIMARY * np.maximum(learn, teach) + MUTUAL_SECONDARY * np.minimum(
        learn, teach
    )
    learn_groups = _group(*np.nonzero(learn_terms > 0), count)
    teach_groups = _group(*np.nonzero(teach_terms > 0), count)

    # Climate.
    both_climate = f.has_climate[a_rows] & f.has_climate[b_rows]
    za, zb = f.climate_present[a_rows].astype(np.float64), f.climate_present[b_rows]
    fa, fb = f.climate_future[a_rows].astype(np.float64), f.climate_future[b_rows]
    limit2 = f.good_twin_distance**2
    d_present = ((za - zb) ** 2).sum(axis=1)
    d_a_future = ((fa - zb) ** 2).sum(axis=1)
    d_b_future = ((fb.astype(np.float64) - za) ** 2).sum(axis=1)
    present = np.exp2(-d_present / limit2)
    twin_a, twin_b = np.exp2(-d_a_future / limit2), np.exp2(-d_b_future / limit2)
    climate = np.where(
        both_climate,
        CLIMATE_PRESENT_SHARE * present + CLIMATE_TWIN_SHARE * np.maximum(twin_a, twin_b),
        0.0,
    )

    # Context.
    pop_known = prep.pop_known[a_rows] & prep.pop_known[b_rows]
    log_ratio = np.abs(
        prep.log_pop[a_rows].astype(np.float64) - prep.log_pop[b_rows].astype(np.float64)
    )
    population = np.where(
        pop_known, np.clip(1.0 - log_ratio / POPULATION_ZERO_LOG_RATIO, 0.0, 1.0), 0.0
    )
    language_groups = _group(
        *np.nonzero((f.languages[a_rows] > 0) & (f.languages[b_rows] > 0)), count
    )
    kind_groups = _group(*np.nonzero((f.kinds[a_rows] > 0) & (f.kinds[b_rows] > 0)), count)
    open_a, open_b = f.open[a_rows].tolist(), f.open[b_rows].tolist()

    # Python lists from here on: indexing numpy scalars one by one costs more than the maths.
    pri_a, pri_b = f.priority[a_rows].tolist(), f.priority[b_rows].tolist()
    seek_a, seek_b = f.seek[a_rows].tolist(), f.seek[b_rows].tolist()
    offer_a, offer_b = f.offer[a_rows].tolist(), f.offer[b_rows].tolist()
    shared_terms_l = shared_terms.tolist()
    learn_terms_l, teach_terms_l = learn_terms.tolist(), teach_terms.tolist()
    shared_raw_l, shared_l = shared_raw.tolist(), shared.tolist()
    learn_raw_l, teach_raw_l = learn_raw.tolist(), teach_raw.tolist()
    learn_l, teach_l, expertise_l = learn.tolist(), teach.tolist(), expertise.tolist()
    climate_l, both_l, present_l = climate.tolist(), both_climate.tolist(), present.tolist()
    twin_a_l, twin_b_l = twin_a.tolist(), twin_b.tolist()
    d_present_l, d_a_l, d_b_l = d_present.tolist(), d_a_future.tolist(), d_b_future.tolist()
    pop_known_l, population_l, log_ratio_l = (
        pop_known.tolist(),
        population.tolist(),
        log_ratio.tolist(),
    )
    children = prep.children
    results = []
    for i in range(count):
        pa_row, pb_row = pri_a[i], pri_b[i]
        components: dict[str, float] = {}
        terms: dict[str, list[tuple[float, Reason]]] = {name: [] for name in COMPONENTS}

        raw = shared_raw_l[i]
        components["shared"] = shared_l[i]
        for t in shared_groups[i]:
            pa, pb = pa_row[t], pb_row[t]
            if pa > 0 and pb > 0:
                code = "shared_same" if pa == pb else "shared"
            else:
                code = "shared_field"
                # Said already by a narrower theme both work on: not worth its own sentence.
                if any(pa_row[c] > 0 and pb_row[c] > 0 for c in children[t]):
                    code = "shared_field_redundant"
            value = components["shared"] * shared_terms_l[i][t] / raw
            params = {
                "theme": t,
                "priority_a": _priority_name(pa),
                "priority_b": _priority_name(pb),
            }
            terms["shared"].append((value, Reason("shared", code, value, params)))

        lv, tv = learn_l[i], teach_l[i]
        components["expertise"] = expertise_l[i]
        learn_share = MUTUAL_PRIMARY if lv >= tv else MUTUAL_SECONDARY
        teach_share = MUTUAL_SECONDARY if lv >= tv else MUTUAL_PRIMARY
        for direction, groups, term_values, raw_d, sat, share, offerer, seeker in (
            (
                "they_offer",
                learn_groups,
                learn_terms_l,
                learn_raw_l,
                lv,
                learn_share,
                offer_b,
                seek_a,
            ),
            (
                "you_offer",
                teach_groups,
                teach_terms_l,
                teach_raw_l,
                tv,
                teach_share,
                offer_a,
                seek_b,
            ),
        ):
            offer_row, seek_row = offerer[i], seeker[i]
            for t in groups[i]:
                value = share * sat * term_values[i][t] / raw_d[i]
                offered = offer_row[t]
                if offered >= 1.0:
                    evidence = "stated"
                elif offered > 0:
                    evidence = "initiative"
                elif any(seek_row[c] > 0 and offer_row[c] > 0 for c in children[t]):
                    evidence = "redundant"
                else:
                    evidence = "related"
                params = {"theme": t, "evidence": evidence}
                terms["expertise"].append((value, Reason("expertise", direction, value, params)))

        components["climate"] = climate_l[i]
        if both_l[i]:
            value = CLIMATE_PRESENT_SHARE * present_l[i]
            params = {"distance": math.sqrt(d_present_l[i]), "good": d_present_l[i] <= limit2}
            terms["climate"].append((value, Reason("climate", "present", value, params)))
            if twin_a_l[i] >= twin_b_l[i]:
                code, d_twin, twin = "twin_a_future", d_a_l[i], twin_a_l[i]
            else:
                code, d_twin, twin = "twin_b_future", d_b_l[i], twin_b_l[i]
            value = CLIMATE_TWIN_SHARE * twin
            params = {"distance": math.sqrt(d_twin), "good": d_twin <= limit2}
            terms["climate"].append((value, Reason("climate", code, value, params)))

        context = 0.0
        if pop_known_l[i]:
            value = CONTEXT_SHARES["population"] * population_l[i]
            context += value
            params = {"ratio": math.exp(log_ratio_l[i])}
            terms["context"].append((value, Reason("context", "population", value, params)))
        if language_groups[i]:
            value = CONTEXT_SHARES["languages"]
            context += value
            params = {"languages": language_groups[i]}
            terms["context"].append((value, Reason("context", "languages", value, params)))
        if kind_groups[i]:
            value = CONTEXT_SHARES["kinds"]
            context += value
            params = {"kinds": kind_groups[i]}
            terms["context"].append((value, Reason("context", "kinds", value, params)))
        open_share = 0.5 * (open_a[i] + open_b[i])
        if open_share > 0:
            value = CONTEXT_SHARES["open"] * open_share
            context += value
            code = "both_open" if open_share >= 1.0 else ("they_open" if open_b[i] else "you_open")
            terms["context"].append((value, Reason("context", code, value, {})))
        components["context"] = context

        components["network"] = 0.0
        if prep.network is not None:
            value, common = prep.network.explain(int(a_rows[i]), int(b_rows[i]))
            components["network"] = value
            if value > 0:
                params = {
                    "count": len(common),
                    "partners": [row for row, _weight in common[:MAX_NAMED_PARTNERS]],
                }
                terms["network"].append(
                    (value, Reason("network", "shared_partners", value, params))
                )

        score = min(1.0, max(0.0, sum(weights[n] * components[n] for n in COMPONENTS)))
        reasons: list[Reason] = []
        for name in COMPONENTS:
            if weights[name] * components[name] >= CONTRIBUTION_THRESHOLD:
                shown = _shown(terms[name], MAX_REASONS_PER_COMPONENT)
                if (
                    name == "expertise"
                    and lv > 0
                    and tv > 0
                    and {r.code for r in shown} >= {"they_offer", "you_offer"}
                ):
                    value = MUTUAL_SECONDARY * min(lv, tv)
                    shown.append(Reason("expertise", "mutual", value, {}))
                reasons.extend(shown)
        results.append(PairExplanation(components=components, score=score, reasons=reasons))
    return results


@dataclass(frozen=True)
class RankedPair:
    """One suggestion in core terms: row index of the suggested city plus its explanation."""

    index: int
    city_id: int
    rank: int
    explanation: PairExplanation


def rank_for_city(
    prep: PreparedFeatures,
    a: int,
    weights: Mapping[str, float],
    *,
    top: int = 10,
    allowed: np.ndarray | None = None,
    excluded: Sequence[int] = (),
) -> list[RankedPair]:
    """The best ``top`` candidates for the city at row ``a``, with explanations.

    ``allowed`` is a bool [N] mask of who may be suggested (default everyone); ``excluded``
    rows and ``a`` itself never appear. Order: score descending, then city id ascending.
    """
    n = prep.features.n_cities
    mask = np.ones(n, dtype=bool) if allowed is None else allowed.astype(bool).copy()
    mask[a] = False
    if len(excluded):
        mask[np.asarray(excluded, dtype=np.int64)] = False
    scores = score_rows(prep, np.array([a]), weights)[0]
    picked = top_k(scores, prep.features.city_ids, mask, top)
    explanations = explain_pairs(prep, np.full(len(picked), a), picked, weights)
    explained = [(int(i), e) for i, e in zip(picked, explanations, strict=True)]
    # Re-sort on the float64 scores the user sees, so displayed order and values agree.
    ids = prep.features.city_ids
    explained.sort(key=lambda item: (-round(item[1].score, 9), int(ids[item[0]])))
    return [
        RankedPair(index=i, city_id=int(ids[i]), rank=rank, explanation=e)
        for rank, (i, e) in enumerate(explained, start=1)
    ]


def contributing_components(
    components: Mapping[str, float], weights: Mapping[str, float]
) -> set[str]:
    """Names of the components whose weighted value reaches CONTRIBUTION_THRESHOLD."""
    return {n for n in COMPONENTS if weights[n] * components[n] >= CONTRIBUTION_THRESHOLD}
