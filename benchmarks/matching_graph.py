"""Evaluate the matching's partnership-network component on the real twinnings.

    .venv/bin/python benchmarks/matching_graph.py [--holdout 0.1] [--seed 20261129]

On the database of ``benchmarks/registry.py`` (``cd_bench_world_web``: every GeoNames city
with its climate, the sample profiles, the ~9,000 Wikidata twinnings; prepared the same way
if missing), in one run:

1. take every current partnership as an undirected edge and hold out a random share
   (``--holdout``, seeded) — the network is rebuilt from the other edges only, so a held-out
   pair never helps to find itself;
2. for each held-out pair (A, B), ask for A's suggestions and for B's: every published city
   is a candidate except the city itself and its partners in the training network (as the
   product excludes current partners); the rank of the held-out partner is where it lands
   (ties by lower city id, as the product breaks them);
3. report how often it is in the top 10 and the top 50, the median rank and the mean
   reciprocal rank, for:
   - random order (seeded),
   - the nearest cities first (great-circle distance),
   - the matching with its default weights but the network's weight at 0,
   - the matching with its default weights (network included),
   - the network component alone;
   - not in the product, for comparison: the default matching plus "partners of the 50
     cities most like you" (the candidates partnered with the query city's 50 best matches
     without the network, weighted by those matches' scores, saturated, weight 0.05) — the
     issue's other idea for learning from the graph;
   overall and for the queries whose city keeps at least one partner in the training network
   (the only ones the network can help).

Prints the figures (docs/matching.md quotes them) and the time each variant took.
"""

import argparse
import dataclasses
import os
import secrets
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cd_bench_world_web"
CHUNK = 256


def setup_django(database_url: str) -> None:
    from registry import prepare

    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "CELERY_BROKER_URL": "",
    }
    prepare(database_url, env)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydiplomacy.settings")
    import django

    django.setup()


def ranks_from_scores(scores, targets, allowed, city_ids) -> np.ndarray:
    """1-based rank of each row's target among the allowed columns (score desc, id asc)."""
    rows = np.arange(scores.shape[0])
    target_score = scores[rows, targets][:, None]
    target_id = city_ids[targets][:, None]
    better = (scores > target_score) | ((scores == target_score) & (city_ids[None, :] < target_id))
    return 1 + (better & allowed).sum(axis=1)


def summary(ranks: np.ndarray) -> dict:
    return {
        "top10": float(np.mean(ranks <= 10)),
        "top50": float(np.mean(ranks <= 50)),
        "median": float(np.median(ranks)),
        "mrr": float(np.mean(1.0 / ranks)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--holdout", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args()
    if not 0 < args.holdout < 1:
        raise SystemExit("--holdout must be between 0 and 1")
    setup_django(os.environ.get("BENCH_WORLD_WEB_DATABASE_URL", DEFAULT_URL))

    from scipy import sparse
    from threadpoolctl import threadpool_limits

    from cities.models import City
    from partnerships.matching import adapter, core

    started = time.perf_counter()
    snapshot = adapter.load_snapshot()
    features = snapshot.prepared.features
    ids = features.city_ids
    n = len(ids)
    full = sparse.triu(features.partners, k=1).tocoo()
    edges = np.stack([full.row, full.col], axis=1)
    print(
        f"snapshot: {n:,} cities, {len(edges):,} partnerships "
        f"({time.perf_counter() - started:.1f} s)"
    )

    rng = np.random.default_rng(args.seed)
    order = rng.permutation(len(edges))
    cut = int(round(len(edges) * args.holdout))
    held, train = edges[order[:cut]], edges[order[cut:]]
    train_matrix = sparse.coo_matrix(
        (np.ones(len(train)), (train[:, 0], train[:, 1])), shape=(n, n)
    ).tocsr()
    prep = core.prepare(dataclasses.replace(features, partners=train_matrix))
    train_partners = prep.network.adjacency

    queries = np.concatenate([held[:, 0], held[:, 1]])
    targets = np.concatenate([held[:, 1], held[:, 0]])
    degree = np.asarray(train_partners.sum(axis=1)).ravel()
    connected = degree[queries] > 0
    print(
        f"held out {len(held):,} pairs ({args.holdout:.0%}, seed {args.seed}): "
        f"{len(queries):,} queries, {int(connected.sum()):,} of them from a city that keeps "
        f"at least one partner in the training network"
    )

    published = snapshot.published
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    for pk, la, lo in City.objects.values_list("pk", "latitude", "longitude"):
        row = prep.index_of.get(pk)
        if row is not None and la is not None and lo is not None:
            lat[row], lon[row] = la, lo

    def allowed_block(q: np.ndarray) -> np.ndarray:
        mask = np.broadcast_to(published, (len(q), n)).copy()
        mask[np.arange(len(q)), q] = False
        sub = train_partners[q].tocoo()
        mask[sub.row, sub.col] = False
        return mask

    def scored(score_block) -> np.ndarray:
        out = np.empty(len(queries), dtype=np.int64)
        for start in range(0, len(queries), CHUNK):
            q, t = queries[start : start + CHUNK], targets[start : start + CHUNK]
            out[start : start + CHUNK] = ranks_from_scores(score_block(q), t, allowed_block(q), ids)
        return out

    def random_scores(q):
        return rng.random((len(q), n))

    def nearest_scores(q):
        la1, lo1 = np.radians(lat[q])[:, None], np.radians(lon[q])[:, None]
        la2, lo2 = np.radians(lat)[None, :], np.radians(lon)[None, :]
        h = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
        d = 2 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
        return np.where(np.isnan(d), -np.inf, -d)

    without = dict(core.DEFAULT_WEIGHTS, network=0.0)
    variants = [
        ("random order", random_scores),
        ("nearest cities first", nearest_scores),
        (
            "matching, network weight 0",
            lambda q: core.score_rows(prep, q, core.normalise_weights(without)),
        ),
        (
            "matching, default weights",
            lambda q: core.score_rows(prep, q, core.normalise_weights(None)),
        ),
        (
            "network component alone",
            lambda q: core.score_rows(
                prep, q, core.normalise_weights(dict.fromkeys(core.COMPONENTS, 0) | {"network": 1})
            ),
        ),
    ]
    base_weights = core.normalise_weights(without)
    default_weights = core.normalise_weights(None)
    has_partners = degree > 0

    def like_you(q, k=50):
        """Default matching + partners of the k cities most like the query city."""
        base = core.score_rows(prep, q, base_weights)
        base[np.arange(len(q)), q] = -1
        base = np.where(has_partners[None, :], base, -1)
        best = np.argpartition(-base, k, axis=1)[:, :k]
        weights_of = np.take_along_axis(base, best, axis=1).ravel()
        similar = sparse.csr_matrix(
            (weights_of, (np.repeat(np.arange(len(q)), k), best.ravel())), shape=(len(q), n)
        )
        through = (similar @ train_partners).toarray()
        return core.score_rows(prep, q, default_weights) + 0.05 * -np.expm1(-through)

    variants.append(("+ partners of 50 most like you", like_you))
    print(f"default weights: {core.DEFAULT_WEIGHTS}")
    header = (
        f"{'variant':<30} {'top-10':>7} {'top-50':>7} {'median':>8} {'MRR':>6}   "
        f"{'top-10':>7} {'top-50':>7} {'median':>8}  {'time':>6}"
    )
    print(f"{'':<30} {'all queries':^32}   {'city keeps a partner':^25}")
    print(header)
    print("-" * len(header))
    results = {}
    with threadpool_limits(1):
        for label, score_block in variants:
            began = time.perf_counter()
            ranks = scored(score_block)
            took = time.perf_counter() - began
            every, kept = summary(ranks), summary(ranks[connected])
            results[label] = (every, kept)
            print(
                f"{label:<30} {every['top10']:>7.1%} {every['top50']:>7.1%} "
                f"{every['median']:>8,.0f} {every['mrr']:>6.3f}   "
                f"{kept['top10']:>7.1%} {kept['top50']:>7.1%} {kept['median']:>8,.0f}  "
                f"{took:>5.1f}s"
            )
    candidates = float(
        np.mean([allowed_block(queries[i : i + 1]).sum() for i in range(0, len(queries), 97)])
    )
    print(
        f"\n~{candidates:,.0f} candidates per query; a random order puts the partner in the top 10 "
        f"with probability ≈ {10 / candidates:.4%} and in the top 50 with ≈ {50 / candidates:.3%}."
    )
    with_net = results["matching, default weights"][0]["top10"]
    without_net = results["matching, network weight 0"][0]["top10"]
    if without_net > 0:
        print(
            f"top-10 hit rate with / without the network component: {with_net / without_net:.1f}×"
        )
    print(f"total {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
