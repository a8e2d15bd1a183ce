"""Taillard's job shop generator, which reproduces the benchmark instances ta01-ta80.

Source: E. Taillard, "Benchmarks for basic scheduling problems", EJOR 64
(1993) 278-285, and the OR-Library file ``jobshop2.txt``. Random numbers come
from the Lehmer generator ``seed <- 16807 * seed mod (2^31 - 1)`` computed with
Schrage's method (a = 16807, m = 2147483647, q = 127773, r = 2836), and
``unif(seed, low, high) = low + floor(seed / m * (high - low + 1))`` after
advancing the seed. Processing times: for each job i and position j,
``d[i][j] = unif(time_seed, 1, 99)``. Machine orders: ``M[i][j] = j``, then
for each job i and j in 0..m-1 swap ``M[i][j]`` with ``M[i][unif(machine_seed,
j, m - 1)]``. Operation j of job i runs on machine ``M[i][j]`` for ``d[i][j]``.
"""

from __future__ import annotations

from schedkit.models import ProblemData
from schedkit.models.jobshop import jobshop

_A, _M, _Q, _R = 16807, 2147483647, 127773, 2836

# (jobs, machines, [(time_seed, machine_seed), ...]) for ta01-ta10, ta11-ta20, ...
_CLASSES: tuple[tuple[int, int, tuple[tuple[int, int], ...]], ...] = (
    (15, 15, (
        (840612802, 398197754), (1314640371, 386720536), (1227221349, 316176388), (342269428, 1806358582),
        (1603221416, 1501949241), (1357584978, 1734077082), (44531661, 1374316395), (302545136, 2092186050),
        (1153780144, 1393392374), (73896786, 1544979948),
    )),
    (20, 15, (
        (533484900, 317419073), (1894307698, 1474268163), (874340513, 509669280), (1124986343, 1209573668),
        (1463788335, 529048107), (1056908795, 25321885), (195672285, 1717580117), (961965583, 1353003786),
        (1610169733, 1734469503), (532794656, 998486810),
    )),
    (20, 20, (
        (1035939303, 773961798), (5997802, 1872541150), (1357503601, 722225039), (806159563, 1166962073),
        (1902815253, 1879990068), (1503184031, 1850351876), (1032645967, 99711329), (229894219, 1158117804),
        (823349822, 108033225), (1297900341, 489486403),
    )),
    (30, 15, (
        (98640593, 1981283465), (1839268120, 248890888), (573875290, 2081512253), (1670898570, 788294565),
        (1118914567, 1074349202), (178750207, 294279708), (1549372605, 596993084), (798174738, 151685779),
        (553410952, 1329272528), (1661531649, 1173386294),
    )),
    (30, 20, (
        (1841414609, 1357882888), (2116959593, 1546338557), (796392706, 1230864158), (532496463, 254174057),
        (2020525633, 978943053), (524444252, 185526083), (1569394691, 487269855), (1460267840, 1631446539),
        (198324822, 1937476577), (38071822, 1541985579),
    )),
    (50, 15, (
        (17271, 718939), (660481279, 449650254), (352229765, 949737911), (1197518780, 166840558),
        (1376020303, 483922052), (2106639239, 955932362), (1765352082, 1209982549), (1105092880, 1349003108),
        (907248070, 919544535), (2011630757, 1845447001),
    )),
    (50, 20, (
        (8493988, 2738939), (1991925010, 709517751), (342093237, 786960785), (1634043183, 973178279),
        (341706507, 286513148), (320167954, 1411193018), (1089696753, 298068750), (433032965, 1589656152),
        (615974477, 331205412), (236150141, 592292984),
    )),
    (100, 20, (
        (302034063, 1203569070), (1437643198, 1692025209), (1792475497, 1039908559), (1647273132, 1012841433),
        (696480901, 1689682358), (1785569423, 1092647459), (117806902, 739059626), (1639154709, 1319962509),
        (2007423389, 749368241), (682761130, 262763021),
    )),
)  # fmt: skip

TAILLARD_JOBSHOP: dict[int, tuple[int, int, int, int]] = {
    10 * c + i + 1: (n, m, time_seed, machine_seed)
    for c, (n, m, seeds) in enumerate(_CLASSES)
    for i, (time_seed, machine_seed) in enumerate(seeds)
}
"""``k -> (jobs, machines, time_seed, machine_seed)`` of instance ``ta{k:02d}``, k = 1..80."""


class LehmerLCG:
    """Taillard's random number generator: a Lehmer LCG mod 2^31 - 1 via Schrage's method."""

    def __init__(self, seed: int) -> None:
        if not 0 < seed < _M:
            raise ValueError(f"a Lehmer LCG seed must be in 1..{_M - 1}, got {seed}")
        self.seed = seed

    def unif(self, low: int, high: int) -> int:
        """Advance the seed and return an integer uniform in ``low..high`` (Taillard's ``unif``)."""
        k = self.seed // _Q
        self.seed = _A * (self.seed % _Q) - k * _R
        if self.seed < 0:
            self.seed += _M
        # Same double-precision arithmetic as the published C code.
        return low + int(self.seed / _M * (high - low + 1))


def taillard_jobs(num_jobs: int, num_machines: int, time_seed: int, machine_seed: int) -> list[list[tuple[int, int]]]:
    """Taillard's job shop data: per job, its ``(machine, duration)`` operations in order (0-based machines)."""
    times_rng, machines_rng = LehmerLCG(time_seed), LehmerLCG(machine_seed)
    durations = [[times_rng.unif(1, 99) for _ in range(num_machines)] for _ in range(num_jobs)]
    orders = [list(range(num_machines)) for _ in range(num_jobs)]
    for order in orders:
        for j in range(num_machines):
            swap = machines_rng.unif(j, num_machines - 1)
            order[j], order[swap] = order[swap], order[j]
    return [list(zip(order, times)) for order, times in zip(orders, durations)]


def taillard_jobshop_from_seeds(
    num_jobs: int, num_machines: int, time_seed: int, machine_seed: int, name: str = ""
) -> ProblemData:
    """A job shop from Taillard's generator with any size and seeds."""
    problem = jobshop(
        taillard_jobs(num_jobs, num_machines, time_seed, machine_seed),
        num_machines=num_machines,
        name=name or f"taillard_{num_jobs}x{num_machines}_{time_seed}_{machine_seed}",
    )
    problem.meta["generator"] = {
        "name": "taillard_jobshop",
        "num_jobs": num_jobs,
        "num_machines": num_machines,
        "time_seed": time_seed,
        "machine_seed": machine_seed,
    }
    return problem


def taillard_jobshop(k: int) -> ProblemData:
    """Taillard's benchmark instance ``ta{k:02d}`` (k = 1..80), regenerated from its published seeds."""
    if k not in TAILLARD_JOBSHOP:
        raise ValueError(f"Taillard job shop instances are ta01..ta80, got k={k!r}")
    n, m, time_seed, machine_seed = TAILLARD_JOBSHOP[k]
    return taillard_jobshop_from_seeds(n, m, time_seed, machine_seed, name=f"ta{k:02d}")
