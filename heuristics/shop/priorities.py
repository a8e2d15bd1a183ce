"""Priority rules of the dispatchers: which operation of a conflict set runs first.

Notation, for operation ``o = O_jk`` (the k-th operation of job j, counted from 1)
of a job with operations ``O_j1 .. O_jn``:

* ``p(o)``   processing time on the machine chosen for o (see ``machine_choice``);
* ``p̄(o)``  mean processing time over o's eligible machines (``p(o)`` in a job shop);
* ``WR(o)  = sum_{l=k..n} p̄(O_jl)`` work remaining of the job, o included;
* ``OR(o)  = n - k + 1`` operations remaining of the job, o included;
* ``r_j``    release of the job's first operation;
* ``FDD(o) = r_j + sum_{l=1..k} p̄(O_jl)`` flow due date: when o would end if
  job j never waited (Sels, Gheysen & Vanhoucke 2012, "A comparison of priority
  rules for the job shop scheduling problem under different flow time- and
  tardiness-related objective functions", IJPR 50(15), Table 1);
* ``head(o)`` the time o became ready: ``max(release, max over predecessors of end + lag)``.

Every rule is a key to *minimise*; ties go to the lower job index.

=========  ===========================  ===================================
rule       key (minimised)              meaning
=========  ===========================  ===================================
spt        ``p(o)``                     shortest processing time
mwkr       ``-WR(o)``                   most work remaining
lwkr       ``WR(o)``                    least work remaining
mopnr      ``-OR(o)``                   most operations remaining
fifo       ``head(o)``                  first in (the machine's queue), first out
fdd_mwkr   ``FDD(o) / WR(o)``           flow due date over most work remaining
=========  ===========================  ===================================

``fdd_mwkr`` ratios a due-date measure with the remaining work (Sels et al.
2012): it favours jobs that are early in their routing *and* still carry much
work. An operation of a job with no work left (``WR = 0``, zero durations) gets
key 0: it takes no machine time.
"""

from __future__ import annotations

from collections.abc import Callable

from schedkit.heuristics.shop.structure import Shop

PriorityKey = Callable[[int, int, int], float]
"""``key(task, duration, head)``: the value a rule minimises for operation ``task``
run for ``duration`` (its chosen machine's time) and ready since ``head``."""


def _work(shop: Shop) -> tuple[list[float], list[float], list[int]]:
    """Per task: work remaining ``WR`` (task included), flow due date ``FDD`` and operations remaining ``OR``."""
    n = shop.num_tasks
    remaining = [0.0] * n
    flow_due = [0.0] * n
    ops_left = [0] * n
    for job in shop.jobs:
        means = [shop.mean_duration(i) for i in job]
        total = 0.0
        for k in range(len(job) - 1, -1, -1):
            total += means[k]
            remaining[job[k]] = total
            ops_left[job[k]] = len(job) - k
        elapsed = float(shop.release[job[0]])
        for k, i in enumerate(job):
            elapsed += means[k]
            flow_due[i] = elapsed
    return remaining, flow_due, ops_left


def spt(shop: Shop) -> PriorityKey:
    """Shortest processing time: ``p(o)`` on the chosen machine."""
    return lambda task, duration, head: duration


def mwkr(shop: Shop) -> PriorityKey:
    """Most work remaining: ``-WR(o)``."""
    remaining = [-w for w in _work(shop)[0]]
    return lambda task, duration, head: remaining[task]


def lwkr(shop: Shop) -> PriorityKey:
    """Least work remaining: ``WR(o)``."""
    remaining = _work(shop)[0]
    return lambda task, duration, head: remaining[task]


def mopnr(shop: Shop) -> PriorityKey:
    """Most operations remaining: ``-OR(o)``."""
    ops_left = [-k for k in _work(shop)[2]]
    return lambda task, duration, head: ops_left[task]


def fifo(shop: Shop) -> PriorityKey:
    """First in, first out: ``head(o)``, the time the operation became ready."""
    return lambda task, duration, head: head


def fdd_mwkr(shop: Shop) -> PriorityKey:
    """Flow due date over most work remaining: ``FDD(o) / WR(o)`` (0 when ``WR(o) = 0``)."""
    remaining, flow_due, _ = _work(shop)
    ratio = [fdd / wr if wr > 0 else 0.0 for fdd, wr in zip(flow_due, remaining)]
    return lambda task, duration, head: ratio[task]


PRIORITY_RULES: dict[str, Callable[[Shop], PriorityKey]] = {
    "spt": spt,
    "mwkr": mwkr,
    "mopnr": mopnr,
    "fdd_mwkr": fdd_mwkr,
    "lwkr": lwkr,
    "fifo": fifo,
}
"""Rule name -> builder of its key function."""


def priority_key(rule: str, shop: Shop) -> PriorityKey:
    """The key function of ``rule`` for ``shop``; ``ValueError`` for an unknown rule."""
    try:
        build = PRIORITY_RULES[rule]
    except KeyError:
        raise ValueError(f"unknown dispatch rule {rule!r}; expected one of: {', '.join(PRIORITY_RULES)}") from None
    return build(shop)
