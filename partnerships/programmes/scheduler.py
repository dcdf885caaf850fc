"""Bilateral-meeting scheduler: the pure core (no Django).

A *problem* is a set of meeting slots (each a time window with a number of parallel tables),
wishes (a visiting participant would like to meet a host, with a score), per-person meeting
limits, per-person unavailable slots and meetings the organiser has locked into a slot.
``schedule(problem)`` returns the assignment of wished meetings to slots that maximises the
total score such that

* nobody is in two meetings at once (slots whose times overlap count as "at once", even in
  different rooms),
* no slot holds more meetings than it has tables,
* nobody has more meetings than their limit,
* nobody meets in a slot they said they cannot attend,
* every pair meets at most once,
* every locked meeting is kept as it is.

Locked meetings are fixed first; the remaining problem always has a feasible solution (no
meetings), so a problem is infeasible exactly when the locked meetings break a rule. Those
cases are reported one by one (``Solution.conflicts``), never silently repaired.

The optimisation is a 0/1 integer programme solved with HiGHS (``scipy.optimize.milp``):
one variable per (pair, usable slot). Its LP relaxation gives an upper bound, so every
solution says how far from optimal it can at most be. A greedy scheduler (best pair first,
earliest free slot) is kept as the fallback when the solver stops without a solution and as
the baseline in ``benchmarks/scheduling.py``.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

OPTIMAL = "optimal"  # proven optimal (within the solver's relative gap tolerance)
FEASIBLE = "feasible"  # a valid schedule, optimality not proven (time limit)
INFEASIBLE = "infeasible"  # the locked meetings break a rule; see conflicts


@dataclass(frozen=True)
class Slot:
    """A meeting slot: a time window with ``capacity`` parallel tables."""

    id: Hashable
    start: datetime | float
    end: datetime | float
    capacity: int
    label: str = ""

    def overlaps(self, other: Slot) -> bool:
        return self.start < other.end and other.start < self.end

    def __str__(self) -> str:
        return self.label or str(self.id)


@dataclass(frozen=True)
class Wish:
    """``person`` would like to meet ``host``; ``score`` > 0 is what the meeting is worth."""

    person: Hashable
    host: Hashable
    score: float


@dataclass(frozen=True)
class Locked:
    """A meeting the organiser fixed: it stays in ``slot`` whatever else changes."""

    person: Hashable
    host: Hashable
    slot: Hashable


@dataclass
class Problem:
    slots: list[Slot]
    wishes: list[Wish]
    # Most meetings a person (participant or host) may have; absent = no limit.
    limits: dict[Hashable, int] = field(default_factory=dict)
    # Slot ids a person cannot attend.
    unavailable: dict[Hashable, set[Hashable]] = field(default_factory=dict)
    locked: list[Locked] = field(default_factory=list)
    # Display names for messages; absent = str(key).
    names: dict[Hashable, str] = field(default_factory=dict)
    time_limit: float = 20.0


@dataclass(frozen=True)
class Assignment:
    person: Hashable
    host: Hashable
    slot: Hashable
    score: float
    locked: bool = False


@dataclass
class Solution:
    status: str
    assignments: list[Assignment]
    total_score: float
    upper_bound: float
    conflicts: list[str] = field(default_factory=list)
    seconds: float = 0.0
    method: str = ""

    @property
    def gap(self) -> float:
        """Relative distance to the upper bound (0 when proven optimal)."""
        if self.upper_bound <= 0:
            return 0.0
        return max(0.0, (self.upper_bound - self.total_score) / self.upper_bound)

    @property
    def feasible(self) -> bool:
        return self.status != INFEASIBLE


class _Prepared:
    """The problem after validation and after fixing the locked meetings."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.slots = {slot.id: slot for slot in problem.slots}
        self.conflicts: list[str] = []
        self.name = lambda key: str(problem.names.get(key, key))
        self._validate_slots()
        self.pair_scores = self._merge_wishes(problem.wishes)
        self._fix_locked()

    def _validate_slots(self) -> None:
        seen = set()
        for slot in self.problem.slots:
            if slot.id in seen:
                self.conflicts.append(f"Slot {slot} is listed twice.")
            seen.add(slot.id)
            if not slot.start < slot.end:
                self.conflicts.append(f"Slot {slot} ends before it starts.")
            if slot.capacity < 0:
                self.conflicts.append(f"Slot {slot} has a negative number of tables.")

    def _merge_wishes(self, wishes: Iterable[Wish]) -> dict[tuple, float]:
        # Both sides may wish the same meeting; the pair is worth the sum, and meets once.
        scores: dict[tuple, float] = defaultdict(float)
        for wish in wishes:
            if wish.person == wish.host:
                self.conflicts.append(f"{self.name(wish.person)} cannot meet themselves.")
                continue
            if wish.score > 0:
                scores[(wish.person, wish.host)] += float(wish.score)
        return dict(scores)

    def _fix_locked(self) -> None:
        problem, name = self.problem, self.name
        self.capacity_left = {slot.id: slot.capacity for slot in problem.slots}
        self.limit_left = dict(problem.limits)
        # person -> slot ids taken by a locked meeting
        self.busy: dict[Hashable, list[Hashable]] = defaultdict(list)
        self.locked_pairs: set[tuple] = set()
        self.locked_assignments: list[Assignment] = []
        for lock in problem.locked:
            pair = (lock.person, lock.host)
            slot = self.slots.get(lock.slot)
            if lock.person == lock.host:
                self.conflicts.append(
                    f"Locked meeting: {name(lock.person)} cannot meet themselves."
                )
                continue
            if slot is None:
                self.conflicts.append(
                    f"Locked meeting {name(lock.person)} – {name(lock.host)} is in an unknown "
                    f"slot {lock.slot}."
                )
                continue
            if pair in self.locked_pairs:
                self.conflicts.append(
                    f"{name(lock.person)} and {name(lock.host)} are locked into two meetings; "
                    "a pair meets once."
                )
                continue
            for who in pair:
                if lock.slot in problem.unavailable.get(who, ()):
                    self.conflicts.append(
                        f"Locked meeting {name(lock.person)} – {name(lock.host)} is in slot "
                        f"{slot}, which {name(who)} cannot attend."
                    )
                for other_id in self.busy[who]:
                    other = self.slots[other_id]
                    if other.overlaps(slot):
                        same = " (the same slot)" if other_id == slot.id else ""
                        self.conflicts.append(
                            f"{name(who)} is double-booked: two locked meetings in slots "
                            f"{other} and {slot}{same}."
                        )
                self.busy[who].append(slot.id)
                if who in self.limit_left:
                    self.limit_left[who] -= 1
            self.capacity_left[slot.id] -= 1
            self.locked_pairs.add(pair)
            self.locked_assignments.append(
                Assignment(
                    lock.person, lock.host, slot.id, self.pair_scores.get(pair, 0.0), locked=True
                )
            )
        for slot_id, left in self.capacity_left.items():
            if left < 0:
                slot = self.slots[slot_id]
                self.conflicts.append(
                    f"Slot {slot} has {slot.capacity} table(s) but {slot.capacity - left} "
                    "locked meetings."
                )
        for who, left in self.limit_left.items():
            if left < 0:
                self.conflicts.append(
                    f"{name(who)} may have at most {problem.limits[who]} meetings but has "
                    f"{problem.limits[who] - left} locked ones."
                )

    def usable_slots(self, pair: tuple) -> list[Hashable]:
        """Slots where the pair could still meet without breaking a rule."""
        blocked = set()
        for who in pair:
            blocked |= self.problem.unavailable.get(who, set())
            for busy_id in self.busy.get(who, ()):
                busy = self.slots[busy_id]
                blocked |= {s.id for s in self.problem.slots if s.overlaps(busy)}
        return [
            slot.id
            for slot in self.problem.slots
            if slot.id not in blocked and self.capacity_left[slot.id] > 0
        ]

    def free_pairs(self) -> list[tuple]:
        return [
            pair
            for pair in self.pair_scores
            if pair not in self.locked_pairs
            and all(self.limit_left.get(who, 1) > 0 for who in pair)
        ]

    def time_groups(self) -> list[list[Hashable]]:
        """Sets of slots that share a moment in time (for intervals, the cliques of the
        overlap graph are found at the slots' start times)."""
        groups = set()
        for slot in self.problem.slots:
            group = tuple(
                sorted(
                    (s.id for s in self.problem.slots if s.start <= slot.start < s.end),
                    key=repr,
                )
            )
            groups.add(group)
        # Drop groups contained in another: their constraint is implied.
        ordered = sorted(groups, key=len, reverse=True)
        kept: list[set] = []
        for group in ordered:
            if not any(set(group) <= other for other in kept):
                kept.append(set(group))
        return [list(g) for g in kept]


def _empty_infeasible(prepared: _Prepared, started: float) -> Solution:
    return Solution(
        status=INFEASIBLE,
        assignments=[],
        total_score=0.0,
        upper_bound=0.0,
        conflicts=prepared.conflicts,
        seconds=time.perf_counter() - started,
    )


def _columns(prepared: _Prepared) -> list[tuple[tuple, Hashable]]:
    return [
        (pair, slot_id) for pair in prepared.free_pairs() for slot_id in prepared.usable_slots(pair)
    ]


def _build_constraints(prepared: _Prepared, columns: list[tuple[tuple, Hashable]]):
    """Rows of A x <= b for the free meetings (locked ones already taken out)."""
    from scipy.sparse import coo_matrix

    rows, cols, upper = [], [], []

    def add_row(indices: list[int], bound: float) -> None:
        if not indices:
            return
        row = len(upper)
        rows.extend([row] * len(indices))
        cols.extend(indices)
        upper.append(bound)

    by_pair: dict[tuple, list[int]] = defaultdict(list)
    by_slot: dict[Hashable, list[int]] = defaultdict(list)
    by_person_slot: dict[tuple, list[int]] = defaultdict(list)
    by_person: dict[Hashable, list[int]] = defaultdict(list)
    for index, (pair, slot_id) in enumerate(columns):
        by_pair[pair].append(index)
        by_slot[slot_id].append(index)
        for who in pair:
            by_person_slot[(who, slot_id)].append(index)
            by_person[who].append(index)
    for indices in by_pair.values():
        add_row(indices, 1)
    for slot_id, indices in by_slot.items():
        if len(indices) > prepared.capacity_left[slot_id]:
            add_row(indices, prepared.capacity_left[slot_id])
    people = {who for pair in by_pair for who in pair}
    for group in prepared.time_groups():
        for who in people:
            indices = [i for slot_id in group for i in by_person_slot.get((who, slot_id), ())]
            if len(indices) > 1:
                add_row(indices, 1)
    for who, indices in by_person.items():
        if who in prepared.limit_left and len(indices) > prepared.limit_left[who]:
            add_row(indices, prepared.limit_left[who])
    matrix = coo_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(upper), len(columns))
    ).tocsr()
    return matrix, np.asarray(upper, dtype=float)


def _assemble(prepared, chosen, status, bound, started, method) -> Solution:
    assignments = list(prepared.locked_assignments)
    for pair, slot_id in chosen:
        assignments.append(Assignment(pair[0], pair[1], slot_id, prepared.pair_scores[pair]))
    locked_score = sum(a.score for a in prepared.locked_assignments)
    total = sum(a.score for a in assignments)
    return Solution(
        status=status,
        assignments=assignments,
        total_score=total,
        upper_bound=max(total, locked_score + bound),
        seconds=time.perf_counter() - started,
        method=method,
    )


def lp_upper_bound(problem: Problem) -> float:
    """The LP relaxation's optimum: no schedule can score more (used by the benchmark)."""
    from scipy.optimize import linprog

    prepared = _Prepared(problem)
    if prepared.conflicts:
        return 0.0
    columns = _columns(prepared)
    locked = sum(a.score for a in prepared.locked_assignments)
    if not columns:
        return locked
    matrix, upper = _build_constraints(prepared, columns)
    cost = -np.array([prepared.pair_scores[pair] for pair, _ in columns])
    result = linprog(
        cost,
        A_ub=matrix if matrix.shape[0] else None,
        b_ub=upper if matrix.shape[0] else None,
        bounds=(0, 1),
        method="highs",
    )
    return locked - float(result.fun)


def greedy_schedule(problem: Problem) -> Solution:
    """Best pair first, into the earliest slot where it fits. Fast, valid, not optimal."""
    started = time.perf_counter()
    prepared = _Prepared(problem)
    if prepared.conflicts:
        return _empty_infeasible(prepared, started)
    capacity = dict(prepared.capacity_left)
    limit = dict(prepared.limit_left)
    taken: dict[Hashable, list[Slot]] = defaultdict(list)
    chosen = []
    slots_by_start = sorted(problem.slots, key=lambda s: (s.start, repr(s.id)))
    order = {slot.id: i for i, slot in enumerate(slots_by_start)}
    pairs = sorted(prepared.free_pairs(), key=lambda p: (-prepared.pair_scores[p], repr(p)))
    for pair in pairs:
        if any(limit.get(who, 1) <= 0 for who in pair):
            continue
        for slot_id in sorted(prepared.usable_slots(pair), key=order.__getitem__):
            slot = prepared.slots[slot_id]
            if capacity[slot_id] <= 0:
                continue
            if any(slot.overlaps(other) for who in pair for other in taken[who]):
                continue
            chosen.append((pair, slot_id))
            capacity[slot_id] -= 1
            for who in pair:
                taken[who].append(slot)
                if who in limit:
                    limit[who] -= 1
            break
    # The greedy run proves nothing; its bound is the trivial one (every wish met).
    trivial = sum(prepared.pair_scores[p] for p in prepared.free_pairs())
    return _assemble(prepared, chosen, FEASIBLE, trivial, started, "greedy")


def schedule(problem: Problem) -> Solution:
    """The best schedule for ``problem`` (see the module docstring for the rules).

    Guarantees: every returned assignment obeys all rules; locked meetings are all in it;
    ``upper_bound >= total_score`` and no valid schedule scores more than ``upper_bound``;
    ``status == "optimal"`` means the solver proved optimality; an infeasible problem returns
    no assignments and one message per broken rule in ``conflicts``.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    started = time.perf_counter()
    prepared = _Prepared(problem)
    if prepared.conflicts:
        return _empty_infeasible(prepared, started)
    columns = _columns(prepared)
    if not columns:
        return _assemble(prepared, [], OPTIMAL, 0.0, started, "trivial")
    matrix, upper = _build_constraints(prepared, columns)
    scores = np.array([prepared.pair_scores[pair] for pair, _ in columns])
    constraints = [LinearConstraint(matrix, -np.inf, upper)] if matrix.shape[0] else []
    result = milp(
        -scores,
        constraints=constraints,
        integrality=np.ones(len(columns)),
        bounds=Bounds(0, 1),
        options={"time_limit": max(0.1, problem.time_limit), "mip_rel_gap": 1e-6},
    )
    if result.x is None:
        # Stopped before finding any schedule: fall back to the greedy one, keep the bound.
        fallback = greedy_schedule(problem)
        bound = getattr(result, "mip_dual_bound", None)
        if bound is not None and np.isfinite(bound):
            locked = sum(a.score for a in prepared.locked_assignments)
            fallback.upper_bound = max(fallback.total_score, locked - float(bound))
        fallback.seconds = time.perf_counter() - started
        fallback.method = "greedy (solver stopped without a schedule)"
        return fallback
    chosen = [columns[i] for i in np.flatnonzero(result.x > 0.5)]
    proven = result.status == 0
    dual = getattr(result, "mip_dual_bound", None)
    free_bound = -float(dual) if dual is not None and np.isfinite(dual) else float(scores.sum())
    solution = _assemble(
        prepared, chosen, OPTIMAL if proven else FEASIBLE, free_bound, started, "milp (HiGHS)"
    )
    return solution


def check(problem: Problem, assignments: Iterable[Assignment]) -> list[str]:
    """Every rule a set of assignments breaks (empty = valid). Used by tests and services."""
    slots = {slot.id: slot for slot in problem.slots}
    names = problem.names
    problems: list[str] = []
    per_slot: dict[Hashable, int] = defaultdict(int)
    per_person: dict[Hashable, list[Hashable]] = defaultdict(list)
    pairs: set[tuple] = set()
    for a in assignments:
        pair = (a.person, a.host)
        if a.person == a.host:
            problems.append(f"{names.get(a.person, a.person)} meets themselves.")
        if pair in pairs:
            problems.append(f"{pair} meet twice.")
        pairs.add(pair)
        if a.slot not in slots:
            problems.append(f"{pair} in unknown slot {a.slot}.")
            continue
        per_slot[a.slot] += 1
        for who in pair:
            if a.slot in problem.unavailable.get(who, ()):
                problems.append(f"{names.get(who, who)} cannot attend slot {slots[a.slot]}.")
            for other in per_person[who]:
                if slots[other].overlaps(slots[a.slot]):
                    problems.append(f"{names.get(who, who)} is double-booked.")
            per_person[who].append(a.slot)
    for slot_id, count in per_slot.items():
        if count > slots[slot_id].capacity:
            problems.append(f"Slot {slots[slot_id]} is over capacity.")
    for who, taken in per_person.items():
        if who in problem.limits and len(taken) > problem.limits[who]:
            problems.append(f"{names.get(who, who)} is over their meeting limit.")
    return problems


def assign_tables(solution: Solution) -> dict[tuple, int]:
    """Table numbers 1..capacity within each slot, stable by (person, host)."""
    tables: dict[tuple, int] = {}
    by_slot: dict[Hashable, list[Assignment]] = defaultdict(list)
    for a in solution.assignments:
        by_slot[a.slot].append(a)
    for items in by_slot.values():
        for number, a in enumerate(sorted(items, key=lambda a: (repr(a.person), repr(a.host))), 1):
            tables[(a.person, a.host)] = number
    return tables
