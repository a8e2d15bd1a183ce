"""Seeded generator of tiny random IR problems that exercise every construct.

Small enough for :mod:`brute_force` (a few thousand assignments), varied
enough to hit each compiler branch: optional tasks, multi-mode with locations,
zero durations, every resource kind with calendars, reservation offsets, all
precedence types with negative lags and transfer lags, presence logic,
disjunctive pairs, pins, references, and random lexicographic objectives.
"""

from __future__ import annotations

import random

from schedkit.models import Demand, Model, ProblemData, TermKind

TIMED_TERMS = [kind for kind in TermKind if kind.depends_on_time]
PRESENCE_TERMS = [
    TermKind.PRESENT_VALUE,
    TermKind.ABSENT_PENALTY,
    TermKind.MODE_COST,
    TermKind.DISRUPTION,
    TermKind.COVERAGE_REWARD,
]


def random_problem(seed: int, cyclic: bool = False, tasks: int = 3, horizon: int = 6) -> ProblemData:
    rng = random.Random(seed)
    model = Model(f"random-{'cyclic-' if cyclic else ''}{seed}")
    model.set_horizon(horizon)
    resources = []
    kinds = ["unary", "renewable", "consumable", "bin"] + (["modulo", "modulo"] if cyclic else [])
    for r in range(rng.randint(1, 3)):
        kind = rng.choice(kinds)
        capacity = 1 if kind == "unary" else rng.randint(1, 3)
        calendar = []
        if kind in ("unary", "renewable", "consumable") and rng.random() < 0.4:
            start = rng.randint(0, horizon - 2)
            end = rng.randint(start + 1, horizon)
            low = 0 if kind == "unary" else rng.randint(0, capacity)
            calendar = [(start, end, low)]
        resources.append((model.add_resource(f"{kind}{r}", kind, capacity, calendar), kind, capacity))
    if cyclic:
        model.set_cycle(1, rng.randint(2, 4))
    for i in range(tasks):
        optional = rng.random() < 0.4
        model.add_task(
            f"t{i}",
            optional=optional,
            release=rng.choice([0, 0, 0, 1]),
            deadline=rng.choice([None, None, horizon - 1]),
            due_date=rng.choice([None, rng.randint(1, horizon)]),
            weight=rng.randint(0, 3),
            value=rng.randint(0, 4),
            absent_penalty=rng.randint(0, 3),
        )
        for _ in range(rng.choice([1, 1, 2])):
            duration = rng.choice([0, 1, 1, 2, 2, 3])
            demands = []
            for res, kind, capacity in rng.sample(resources, rng.randint(0, len(resources))):
                amount = 1 if kind == "unary" else rng.randint(1, capacity)
                if kind in ("unary", "renewable", "modulo") and rng.random() < 0.3:
                    demands.append(Demand(res, amount, rng.randint(0, 1), rng.randint(0, 3)))
                else:
                    demands.append(Demand(res, amount))
            model.add_mode(i, duration, demands, cost=rng.randint(0, 3), location=rng.choice(["g0", "g1", None]))
        if rng.random() < 0.15:
            model.pin(i, mode=0)
        if rng.random() < 0.1:
            model.pin(i, start=rng.randint(0, 2))
        if rng.random() < 0.3:
            model.set_reference(
                i,
                0,
                start=rng.choice([None, rng.randint(0, 2)]),
                move_cost=rng.randint(0, 2),
                evict_cost=rng.randint(0, 2),
            )
    types = ["end_to_start", "start_to_start", "end_to_end", "start_to_end"]
    for _ in range(rng.randint(0, 3)):
        a, b = rng.sample(range(tasks), 2)
        distance = rng.choice([0, 0, 1]) if cyclic else 0
        model.add_precedence(a, b, rng.choice(types), rng.randint(-2, 2), distance, transfer_lag=rng.choice([0, 0, 1]))
    if cyclic and rng.random() < 0.5:
        t = rng.randrange(tasks)
        model.add_precedence(t, t, "start_to_start", rng.randint(1, 3), 1)
    if rng.random() < 0.3:
        a, b = rng.sample(range(tasks), 2)
        model.add_implication(a, b)
    if rng.random() < 0.3:
        members = rng.sample(range(tasks), rng.randint(1, tasks))
        model.add_selection(members, rng.randint(0, 1), rng.choice([None, len(members) - 1 or 1]))
    if rng.random() < 0.3:
        a, b = rng.sample(range(tasks), 2)
        model.add_disjunctive_pair(a, b)
    for g in range(rng.randint(0, 2)):
        model.add_coverage_group(
            rng.sample(range(tasks), rng.randint(1, tasks)), reward=rng.randint(1, 3), name=f"g{g}"
        )
    for _ in range(rng.randint(1, 2)):
        pool = TIMED_TERMS + PRESENCE_TERMS + ([TermKind.INITIATION_INTERVAL] * 2 if cyclic else [])
        terms = []
        for kind in rng.sample(pool, rng.randint(1, 3)):
            subset = None
            if kind.uses_tasks and rng.random() < 0.3:
                subset = rng.sample(range(tasks), rng.randint(0, tasks))
            terms.append((kind, rng.choice([1, 1, 2, -1]), subset))
        model.add_objective_level(terms, sense=rng.choice(["min", "min", "max"]))
    return model.freeze()
