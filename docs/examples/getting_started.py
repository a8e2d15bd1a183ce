"""Getting started: read a file, build a problem of your own, solve, check, certify, tabulate, plot."""

import schedkit as sk

# 1. A standard file (the format is detected from the name or the content).
problem = sk.read(sk.bundled("rcpsp8.sm"))  # a bundled PSPLIB project; your .sm/.mm/.rcp/.sch files the same
result = sk.solve(problem, time_limit=10)
print(result.status, result.objective, result.lower_bound)

# 2. A problem of your own, built with the IR: two jobs on a press with downtime,
#    weighted tardiness first, the makespan as a second, lexicographic level.
model = sk.Model("two jobs, one machine")
press = model.add_machine("press", downtime=[(4, 6)])
model.add_task("a", duration=3, demands={press: 1}, due_date=3, weight=2)
model.add_task("b", duration=2, demands={press: 1}, due_date=4)
model.minimize("total_weighted_tardiness")
model.minimize("makespan")
own = model.freeze()  # validated and immutable; a mistake raises ModelError naming the task and field

result = sk.solve(own, time_limit=10)
print(result.objectives)  # one value per level
assert sk.check(own, result.solution) == []  # the independent checker agrees

# 3. How good is a schedule? certify() proves a bound from combinatorial, LP, MIP and CP-SAT sources.
schedule = sk.run_heuristic(problem, "sgs_parallel").solution
certificate = sk.certify(problem, schedule, time_limit=5)
print(certificate.objective, certificate.lower_bound, certificate.bound_source, certificate.optimal)

# 4. The schedule as a table and as a picture.
frame = result.solution.to_frame(own)
print(frame)
frame.to_csv("schedule.csv", index=False)
figure = sk.plot(own, result.solution)  # a matplotlib Figure: a notebook shows it
figure.savefig("schedule.png")

# 5. Problems and solutions round-trip through JSON (with a published JSON Schema).
sk.save_problem(own, "own.json")
sk.save_solution(result.solution, "own-solution.json", own)
assert sk.load_problem("own.json") == own
