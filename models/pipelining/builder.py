"""The IR of a modulo-scheduling problem: one task per op, one mode per eligible warp group (see the package)."""

from __future__ import annotations

from schedkit.models.builder import Model
from schedkit.models.entities import Demand
from schedkit.models.errors import ModelError
from schedkit.models.pipelining.analysis import rec_mii, res_mii_by_unit, sequential_length
from schedkit.models.pipelining.loop import Loop, Machine
from schedkit.models.pipelining.validation import eligible_groups, validate
from schedkit.models.problem import ProblemData
from schedkit.models.validation import is_integral


def pipelining(loop: Loop, machine: Machine, ii_max: int | None = None, name: str = "") -> ProblemData:
    """Build the modulo-scheduling problem of ``loop`` on ``machine`` (see the module docstring).

    Parameters
    ----------
    loop
        The loop body (ops and dependence edges).
    machine
        Units, warp groups (register limits, producers) and the cross-warp delay.
    ii_max
        Largest initiation interval to consider (default: :func:`sequential_length`,
        always feasible when the loop is). Must be >= ``ii_min``.
    name
        Instance name (default: the loop's name).

    Task ``op.name`` is the op; its modes follow the machine's warp-group order
    among the eligible groups. ``meta`` records the bounds (``res_mii``,
    ``res_mii_by_unit``, ``rec_mii``, ``sequential_length``), the machine, the
    warp groups and the variable-latency ops.
    """
    validate(loop, machine)
    by_unit = res_mii_by_unit(loop, machine)
    resource_bound = max(by_unit.values(), default=0)
    recurrence_bound = rec_mii(loop)
    ii_min = max(1, resource_bound, recurrence_bound)
    fallback = sequential_length(loop, machine)
    if ii_max is None:
        ii_max = max(ii_min, fallback)
    elif not is_integral(ii_max) or ii_max < ii_min:
        raise ModelError(
            f"loop '{loop.name}'",
            "ii_max",
            f"must be an integer >= ii_min = {ii_min} (ResMII {resource_bound}, RecMII {recurrence_bound}), "
            f"got {ii_max!r}",
        )

    model = Model(name or loop.name, family="pipelining")
    model.set_cycle(ii_min, ii_max)
    units = {unit.name: model.add_resource(unit.name, "modulo", unit.capacity) for unit in machine.units}
    registers = {
        group.name: model.add_resource(f"{group.name}.regs", "bin", group.register_limit)
        for group in machine.warp_groups
    }
    tasks: dict[str, int] = {}
    for op in loop.ops:
        task = model.add_task(op.name)
        tasks[op.name] = task
        table = [Demand(units[r.unit], r.amount, r.offset, r.length) for r in op.reservations]
        for group in eligible_groups(op, machine):
            demands = list(table)
            if op.registers > 0:
                demands.append(Demand(registers[group.name], op.registers))
            model.add_mode(task, op.latency, demands, location=group.name)
    for edge in loop.edges:
        model.add_precedence(
            tasks[edge.src],
            tasks[edge.dst],
            "start_to_start",
            lag=edge.latency,
            distance=edge.distance,
            transfer_lag=machine.cross_warp_delay,
        )
    model.minimize("initiation_interval", name="initiation_interval")
    model.minimize("schedule_length", name="schedule_length")
    model.meta.update(
        machine=machine.name,
        warp_groups=[group.name for group in machine.warp_groups],
        producer_groups=list(machine.producer_groups),
        cross_warp_delay=machine.cross_warp_delay,
        ops=[op.name for op in loop.ops],
        variable_latency=[op.name for op in loop.ops if op.variable_latency],
        res_mii=resource_bound,
        res_mii_by_unit=by_unit,
        rec_mii=recurrence_bound,
        sequential_length=fallback,
    )
    return model.freeze()
