"""Software pipelining: a modulo schedule of Flash Attention's forward loop on a Hopper-like GPU."""

import schedkit as sk
from schedkit.models.pipelining import flash_attention_forward, hopper

machine = hopper()
problem = sk.pipelining(flash_attention_forward(machine), machine, name="fa-hopper")

# two lexicographic levels: the initiation interval first, then the schedule length
result = sk.solve(problem, time_limit=10)
print(result, result.solution.ii)
assert result.status == sk.Status.OPTIMAL
assert sk.check(problem, result.solution) == []

certificate = sk.certify(problem, result.solution, time_limit=5)
for level in certificate.levels:
    print(f"{level.name or level.index}: {level.value}, bound {level.bound} ({level.bound_source})")

print(result.solution.to_frame(problem))
figure = sk.plot(problem, result.solution, "pipelining.png")  # one iteration, multiples of II marked
