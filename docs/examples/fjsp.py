"""Flexible job shop: each operation chooses one of several machines (with machine-dependent times)."""

import schedkit as sk

# each operation: its (machine, duration) alternatives
problem = sk.fjsp(
    [
        [[(0, 3), (1, 5)], [(1, 2), (2, 3)]],
        [[(0, 4), (2, 2)], [(0, 2), (1, 2)], [(2, 3)]],
        [[(1, 3)], [(0, 2), (2, 4)]],
    ],
    name="flexible",
)

result = sk.solve(problem, time_limit=10)
print(result)
assert result.status == sk.Status.OPTIMAL
assert sk.check(problem, result.solution) == []

# a heuristic's schedule and its certificate
rule = sk.run_heuristic(problem, "mwkr")
certificate = sk.certify(problem, rule.solution, time_limit=5)
print(f"mwkr: makespan {rule.objective}, bound {certificate.lower_bound} ({certificate.bound_source})")

frame = result.solution.to_frame(problem)
print(frame[["task", "job", "operation", "resources", "start", "end"]])  # the machine each operation chose

figure = sk.plot(problem, result.solution, "fjsp.png")
