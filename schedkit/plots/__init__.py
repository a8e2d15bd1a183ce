"""Plots of schedules: one entry point, :func:`plot`, that draws each family's own chart.

>>> from schedkit.plots import plot
>>> figure = plot(problem, solution)              # a matplotlib Figure (shown by a notebook)
>>> plot(problem, solution, "schedule.png")       # also written to a file

:func:`plot` picks the Gantt chart (:func:`gantt`, bars coloured by job for
shops), the pod-packing node picture or the KV-tree picture by family (see
:mod:`.chart`).

Modules: :mod:`.gantt` draws, :mod:`.profile` computes usage intervals, step
profiles and lanes (no matplotlib), :mod:`.colors` holds the palette; the ``schedkit plot`` command is
:mod:`schedkit.cli.plot`. Matplotlib is imported only
when a chart is drawn (inside the drawing functions), so building the command line stays fast.
"""

from __future__ import annotations

from schedkit.plots.chart import FAMILY_PLOTS, plot
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
    "FAMILY_PLOTS",
    "plot",
    "assign_lanes",
    "bin_loads",
    "capacity_profile",
    "gantt",
    "modulo_usage",
    "resource_usage",
    "usage_profile",
    "usages",
]
