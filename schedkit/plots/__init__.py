"""Plots of schedules: Gantt charts with resource usage profiles, and bin loads for packing problems.

>>> from schedkit.plots import gantt
>>> gantt(problem, solution, "schedule.png")

Modules: :mod:`.gantt` draws, :mod:`.profile` computes usage intervals, step
profiles and lanes (no matplotlib), :mod:`.colors` holds the palette; the ``schedkit plot`` command is
:mod:`schedkit.cli.plot`. Matplotlib is imported only
when a chart is drawn (inside the drawing functions), so building the command line stays fast.
"""

from __future__ import annotations

from schedkit.plots.gantt import gantt
from schedkit.plots.profile import (
    assign_lanes,
    bin_loads,
    capacity_profile,
    modulo_usage,
    resource_usage,
    usage_profile,
    usages,
)

__all__ = [
    "assign_lanes",
    "bin_loads",
    "capacity_profile",
    "gantt",
    "modulo_usage",
    "resource_usage",
    "usage_profile",
    "usages",
]
