"""Benchmark the bilateral-meeting scheduler (pure core, no database).

    .venv/bin/python benchmarks/scheduling.py [--seed 7]

Two instances, generated from a fixed seed so runs compare:
  small: 15 participants x 40 hosts x 12 slots (target < 2 s)
  large: 100 participants x 300 hosts x 20 slots (target < 30 s)
Every participant wishes to meet some hosts (a wish weight 1-3 times a match score 0-1 from
a random score matrix); hosts are unavailable for a few slots; participants and hosts have
meeting limits; slots have a fixed number of parallel tables. For each instance it prints
the solver's time, score, status and two upper bounds (the LP relaxation, and the sum of
each participant's best k wishes), and a greedy scheduler measured in the same run.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from partnerships.programmes.scheduler import (  # noqa: E402
    Problem,
    Slot,
    Wish,
    check,
    greedy_schedule,
    lp_upper_bound,
    schedule,
)

INSTANCES = {
    # name: participants, hosts, slots, tables per slot, wishes per participant,
    #       participant limit, host limit
    "small": (15, 40, 12, 6, 12, 8, 3),
    "large": (100, 300, 20, 30, 15, 10, 3),
}


def make_problem(participants, hosts, n_slots, tables, wishes_each, p_limit, h_limit, rng):
    scores = rng.beta(2, 3, size=(participants, hosts))  # the match-score matrix
    slots = [
        # Two afternoons of 30-minute slots (minutes from the week's start).
        Slot(
            i,
            (i // (n_slots // 2)) * 1440 + (i % (n_slots // 2)) * 30,
            (i // (n_slots // 2)) * 1440 + (i % (n_slots // 2)) * 30 + 30,
            tables,
        )
        for i in range(n_slots)
    ]
    wishes = []
    for p in range(participants):
        weights = scores[p] / scores[p].sum()
        chosen = rng.choice(hosts, size=wishes_each, replace=False, p=weights)
        for h in chosen:
            wishes.append(Wish(f"p{p}", f"h{h}", float(scores[p, h] * rng.integers(1, 4))))
    limits = {f"p{p}": p_limit for p in range(participants)}
    limits.update({f"h{h}": h_limit for h in range(hosts)})
    unavailable = {
        f"h{h}": set(
            rng.choice(n_slots, size=rng.integers(0, n_slots // 3), replace=False).tolist()
        )
        for h in range(hosts)
    }
    return Problem(slots, wishes, limits=limits, unavailable=unavailable, time_limit=25.0)


def best_k_bound(problem: Problem) -> float:
    """Each participant's best min(limit, slots) wishes: a quick bound no schedule exceeds."""
    by_person = {}
    for w in problem.wishes:
        by_person.setdefault(w.person, []).append(w.score)
    total = 0.0
    for person, values in by_person.items():
        k = min(problem.limits.get(person, len(values)), len(problem.slots))
        total += sum(sorted(values, reverse=True)[:k])
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(
        f"scheduling benchmark, seed {args.seed}, {os.cpu_count()} CPUs, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    for name, shape in INSTANCES.items():
        rng = np.random.default_rng(args.seed)
        problem = make_problem(*shape, rng)
        participants, hosts, n_slots = shape[:3]
        started = time.perf_counter()
        solution = schedule(problem)
        solver_seconds = time.perf_counter() - started
        assert not check(problem, solution.assignments), "solver returned an invalid schedule"
        started = time.perf_counter()
        greedy = greedy_schedule(problem)
        greedy_seconds = time.perf_counter() - started
        assert not check(problem, greedy.assignments), "greedy returned an invalid schedule"
        lp = lp_upper_bound(problem)
        best_k = best_k_bound(problem)
        bound = min(lp, best_k, solution.upper_bound)
        print(
            f"\n{name}: {participants} participants x {hosts} hosts x {n_slots} slots, "
            f"{len(problem.wishes)} wishes"
        )
        print(
            f"  solver  {solver_seconds:7.2f} s  score {solution.total_score:9.2f}  "
            f"meetings {len(solution.assignments):4d}  status {solution.status}"
        )
        print(
            f"  greedy  {greedy_seconds:7.2f} s  score {greedy.total_score:9.2f}  "
            f"meetings {len(greedy.assignments):4d}"
        )
        print(
            f"  upper bounds: solver {solution.upper_bound:.2f}, LP relaxation {lp:.2f}, "
            f"best-k wishes {best_k:.2f}"
        )
        print(
            f"  solver score / best bound {solution.total_score / bound:.4f}; "
            f"greedy / solver {greedy.total_score / solution.total_score:.4f}; "
            f"solver time / greedy time {solver_seconds / max(greedy_seconds, 1e-9):.1f}x"
        )


if __name__ == "__main__":
    main()
