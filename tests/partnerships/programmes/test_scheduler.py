"""The pure scheduling core: valid schedules, locked meetings kept, infeasible inputs
explained, and optimal totals (checked against exhaustive search on small instances)."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerships.programmes.scheduler import (
    INFEASIBLE,
    OPTIMAL,
    Locked,
    Problem,
    Slot,
    Wish,
    check,
    greedy_schedule,
    lp_upper_bound,
    schedule,
)


def slots(count, capacity=2):
    return [Slot(i, i * 30, i * 30 + 30, capacity, label=f"S{i}") for i in range(count)]


def test_it_never_double_books_a_person():
    problem = Problem(
        slots(2, capacity=5),
        [Wish("a", "X", 3), Wish("a", "Y", 2), Wish("a", "Z", 1), Wish("b", "X", 4)],
    )
    solution = schedule(problem)
    assert check(problem, solution.assignments) == []
    by_slot = {}
    for a in solution.assignments:
        for who in (a.person, a.host):
            assert (who, a.slot) not in by_slot
            by_slot[(who, a.slot)] = a
    # a can fit only two of three meetings; b-X (4) plus a-X/a-Y in the other slots.
    assert solution.total_score == pytest.approx(4 + 3 + 2)
    assert solution.status == OPTIMAL


def test_it_treats_overlapping_slots_in_different_rooms_as_the_same_time():
    problem = Problem(
        [Slot("hall", 0, 30, 1), Slot("annex", 15, 45, 1)],
        [Wish("a", "X", 3), Wish("a", "Y", 2)],
    )
    solution = schedule(problem)
    assert len(solution.assignments) == 1
    assert solution.total_score == 3


def test_it_respects_table_capacity_per_slot():
    problem = Problem(slots(1, capacity=2), [Wish(p, h, 1) for p in "abc" for h in "XYZ"])
    solution = schedule(problem)
    assert len(solution.assignments) == 2
    assert check(problem, solution.assignments) == []


def test_it_respects_meeting_limits_and_unavailability():
    problem = Problem(
        slots(4, capacity=4),
        [Wish("a", h, 1) for h in "WXYZ"],
        limits={"a": 2},
        unavailable={"W": {0, 1, 2, 3}, "X": {0}},
    )
    solution = schedule(problem)
    assert len(solution.assignments) == 2
    assert all(a.host != "W" for a in solution.assignments)
    assert all(not (a.host == "X" and a.slot == 0) for a in solution.assignments)


def test_it_keeps_locked_meetings_and_schedules_around_them():
    problem = Problem(
        slots(2, capacity=1),
        [Wish("a", "X", 1), Wish("b", "X", 10), Wish("b", "Y", 5)],
        locked=[Locked("a", "X", 0)],
    )
    solution = schedule(problem)
    assert any(
        a.locked and (a.person, a.host, a.slot) == ("a", "X", 0) for a in solution.assignments
    )
    assert check(problem, solution.assignments) == []
    # Slot 0 is full; b can meet only one of X/Y in slot 1, and picks X.
    assert {(a.person, a.host, a.slot) for a in solution.assignments} == {
        ("a", "X", 0),
        ("b", "X", 1),
    }


def test_it_keeps_a_locked_meeting_nobody_wished_for():
    problem = Problem(slots(1), [], locked=[Locked("a", "X", 0)])
    solution = schedule(problem)
    assert [(a.person, a.host, a.locked) for a in solution.assignments] == [("a", "X", True)]


def test_it_explains_locked_meetings_that_double_book_a_person():
    problem = Problem(
        slots(1, capacity=3),
        [],
        names={"X": "Mayor of Essen"},
        locked=[Locked("a", "X", 0), Locked("b", "X", 0)],
    )
    solution = schedule(problem)
    assert solution.status == INFEASIBLE
    assert solution.assignments == []
    assert any("Mayor of Essen is double-booked" in c for c in solution.conflicts)


def test_it_explains_locked_meetings_in_a_slot_without_tables():
    problem = Problem([Slot(0, 0, 30, 0, label="Tue 14:00")], [], locked=[Locked("a", "X", 0)])
    solution = schedule(problem)
    assert solution.status == INFEASIBLE
    assert solution.conflicts == ["Slot Tue 14:00 has 0 table(s) but 1 locked meetings."]


def test_it_explains_locked_meetings_beyond_a_limit_or_in_an_unavailable_slot():
    problem = Problem(
        slots(2),
        [],
        limits={"a": 1},
        unavailable={"Y": {1}},
        locked=[Locked("a", "X", 0), Locked("a", "Y", 1)],
    )
    conflicts = schedule(problem).conflicts
    assert any("a may have at most 1 meetings but has 2 locked ones" in c for c in conflicts)
    assert any("which Y cannot attend" in c for c in conflicts)


def test_it_rejects_a_meeting_with_oneself():
    solution = schedule(Problem(slots(1), [Wish("a", "a", 1)]))
    assert solution.status == INFEASIBLE
    assert solution.conflicts == ["a cannot meet themselves."]


def test_it_reports_an_upper_bound_not_below_the_score():
    problem = Problem(
        slots(3),
        [Wish(p, h, (i % 5) + 1) for i, (p, h) in enumerate(itertools.product("abcd", "WXYZ"))],
    )
    solution = schedule(problem)
    assert solution.upper_bound >= solution.total_score - 1e-9
    assert lp_upper_bound(problem) >= solution.total_score - 1e-6


# --- optimality against exhaustive search -------------------------------------------------


def brute_force(problem: Problem) -> float:
    pairs = {}
    for w in problem.wishes:
        if w.score > 0:
            pairs[(w.person, w.host)] = pairs.get((w.person, w.host), 0) + w.score
    pair_list = list(pairs)
    options = [None, *[s.id for s in problem.slots]]
    best = 0.0
    from partnerships.programmes.scheduler import Assignment

    for choice in itertools.product(options, repeat=len(pair_list)):
        assignments = [
            Assignment(p[0], p[1], slot, pairs[p])
            for p, slot in zip(pair_list, choice, strict=True)
            if slot is not None
        ]
        locked_ok = all(
            any((a.person, a.host, a.slot) == (lk.person, lk.host, lk.slot) for a in assignments)
            for lk in problem.locked
        )
        if locked_ok and not check(problem, assignments):
            best = max(best, sum(a.score for a in assignments))
    return best


@st.composite
def small_problems(draw):
    n_slots = draw(st.integers(1, 3))
    problem_slots = [
        Slot(i, draw(st.sampled_from([0, 30, 60])), 0, draw(st.integers(0, 2)))
        for i in range(n_slots)
    ]
    # Give each slot a 30-minute window from its drawn start (overlaps happen on purpose).
    problem_slots = [Slot(s.id, s.start, s.start + 30, s.capacity) for s in problem_slots]
    people, hosts = ["a", "b", "c"], ["X", "Y", "Z"]
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(people), st.sampled_from(hosts)),
            min_size=1,
            max_size=5,
            unique=True,
        )
    )
    wishes = [Wish(p, h, draw(st.integers(1, 9))) for p, h in pairs]
    limits = {who: draw(st.integers(0, 2)) for who in people + hosts if draw(st.booleans())}
    unavailable = {
        who: {draw(st.integers(0, n_slots - 1))}
        for who in people + hosts
        if draw(st.integers(0, 4)) == 0
    }
    return Problem(problem_slots, wishes, limits=limits, unavailable=unavailable)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_it_finds_the_optimal_total_on_small_instances(problem):
    solution = schedule(problem)
    assert solution.status == OPTIMAL
    assert check(problem, solution.assignments) == []
    assert solution.total_score == pytest.approx(brute_force(problem))
    greedy = greedy_schedule(problem)
    assert check(problem, greedy.assignments) == []
    assert greedy.total_score <= solution.total_score + 1e-9


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems(), st.data())
def test_it_stays_optimal_around_feasible_locked_meetings(problem, data):
    # Lock a meeting taken from a valid schedule, then compare with exhaustive search.
    base = schedule(problem)
    if not base.assignments:
        return
    pick = data.draw(st.sampled_from(base.assignments))
    problem.locked = [Locked(pick.person, pick.host, pick.slot)]
    solution = schedule(problem)
    assert solution.status == OPTIMAL
    assert any(a.locked and a.slot == pick.slot for a in solution.assignments)
    assert check(problem, solution.assignments) == []
    assert solution.total_score == pytest.approx(brute_force(problem))
