import pytest

from schedkit import fjsp, jobshop, tardiness
from schedkit.solvers import check, evaluate
from schedkit.solvers.backends import get_backend
from schedkit.solvers.methods.shaving import makespan_only, shave

# Two jobs over the same two machines in the same order: the second waits for the first on both,
# so the optimum is 9 while every load bound (a job, a machine) is 6.
QUEUE = [[(0, 3), (1, 3)], [(0, 3), (1, 3)]]


@pytest.mark.parametrize("backend", ["cpsat", "mip"])
def test_each_infeasible_test_raises_the_bound_by_one(backend: str) -> None:
    problem = jobshop(QUEUE, name="queue")
    chosen = get_backend(backend)
    result = shave(problem, 6, 9, chosen, chosen.parse_options({}), time_limit=60, threads=1, seed=0)
    assert [(t.horizon, t.status) for t in result.tests] == [(6, "infeasible"), (7, "infeasible"), (8, "infeasible")]
    assert result.bound == 9 and result.solution is None


@pytest.mark.parametrize("backend", ["cpsat", "mip"])
def test_a_schedule_ending_by_the_bound_is_returned_and_optimal(backend: str) -> None:
    # a poor upper bound (14): the tests stop at 9, the optimum, with a schedule that ends there
    problem = jobshop(QUEUE, name="queue")
    chosen = get_backend(backend)
    result = shave(problem, 6, 14, chosen, chosen.parse_options({}), time_limit=60, threads=1, seed=0)
    assert result.bound == 9 and result.solution is not None
    assert check(problem, result.solution) == [] and evaluate(problem, result.solution)[0] == 9
    assert result.tests[-1].horizon == 9 and result.tests[-1].status in ("optimal", "feasible")


def test_flexible_shop_bound_matches_the_optimum() -> None:
    # either machine, at different speeds: the first job needs 4 at best (the optimum), the mean load is 3
    problem = fjsp([[[(0, 2), (1, 4)], [(0, 3), (1, 2)]], [[(0, 2), (1, 3)]]], name="flex")
    chosen = get_backend("cpsat")
    result = shave(problem, 3, 10, chosen, chosen.parse_options({}), time_limit=30, threads=1, seed=0)
    assert result.bound == 4 and result.solution is not None and evaluate(problem, result.solution)[0] == 4


def test_shaving_needs_the_makespan_alone() -> None:
    problem = tardiness([3, 2], [2, 2], name="late")
    assert not makespan_only(problem) and makespan_only(jobshop(QUEUE))
    chosen = get_backend("cpsat")
    with pytest.raises(ValueError, match="makespan"):
        shave(problem, 0, 3, chosen, chosen.parse_options({}), time_limit=5, threads=1, seed=0)


def test_no_time_left_means_no_test() -> None:
    chosen = get_backend("cpsat")
    result = shave(jobshop(QUEUE), 6, 9, chosen, chosen.parse_options({}), time_limit=0.0, threads=1, seed=0)
    assert result.tests == [] and result.bound == 6
