"""Taillard's generator reproduces the published ta01-ta40 files exactly."""

import pytest

from schedkit.instances import TAILLARD_JOBSHOP, benchmarks_dir, read, taillard_jobs, taillard_jobshop
from schedkit.instances.generators.taillard import LehmerLCG


def test_seed_table_covers_ta01_to_ta80_with_the_published_sizes():
    assert sorted(TAILLARD_JOBSHOP) == list(range(1, 81))
    sizes = [(15, 15), (20, 15), (20, 20), (30, 15), (30, 20), (50, 15), (50, 20), (100, 20)]
    for k, (n, m, _, _) in TAILLARD_JOBSHOP.items():
        assert (n, m) == sizes[(k - 1) // 10]
    assert TAILLARD_JOBSHOP[1][2:] == (840612802, 398197754)
    assert TAILLARD_JOBSHOP[80][2:] == (682761130, 262763021)


def test_lehmer_lcg_is_the_minimal_standard_generator():
    rng = LehmerLCG(1)
    rng.unif(0, 0)
    assert rng.seed == 16807
    for _ in range(9999):
        rng.unif(0, 0)
    assert rng.seed == 1043618065  # Park & Miller's check value after 10000 steps from seed 1
    with pytest.raises(ValueError):
        LehmerLCG(0)


def test_ta71_is_100x20_and_every_job_is_a_machine_permutation():
    problem = taillard_jobshop(71)
    assert problem.name == "ta71"
    assert problem.num_tasks == 2000 and problem.num_resources == 20
    for job in taillard_jobs(*TAILLARD_JOBSHOP[71]):
        assert sorted(machine for machine, _ in job) == list(range(20))
        assert all(1 <= duration <= 99 for _, duration in job)
    with pytest.raises(ValueError, match="ta01..ta80"):
        taillard_jobshop(81)


@pytest.mark.parametrize("k", range(1, 41))
def test_reproduces_the_shared_files(k):
    shared = benchmarks_dir()
    if shared is None:
        pytest.skip("shared benchmark folder not found (set SCHEDKIT_BENCHMARKS)")
    name = f"ta{k:02d}"
    expected = read(shared / "jobshop" / "instances" / name)
    generated = taillard_jobshop(k)
    assert generated == expected  # names, tasks (machine, duration), precedences, objective
    assert generated.meta["jobs"] == expected.meta["jobs"]
