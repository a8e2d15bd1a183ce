"""Colours of the schedule plots: one per mode, plus fixed colours for capacity and downtime."""

from __future__ import annotations

import numpy as np

# Matplotlib's "tab10" followed by the light half of "tab20": distinct, colour-blind friendlier than rainbow.
_PALETTE: tuple[str, ...] = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#aec7e8",
    "#ffbb78",
    "#98df8a",
    "#ff9896",
    "#c5b0d5",
    "#c49c94",
    "#f7b6d2",
    "#c7c7c7",
    "#dbdb8d",
    "#9edae5",
)

BAR_EDGE = "#333333"
"""Outline of the task bars."""

USAGE = "#1f77b4"
"""Usage step line and fill of the resource profiles."""

CAPACITY = "#d62728"
"""Capacity step line (calendars included)."""

DOWNTIME = "#999999"
"""Shading of downtime windows (capacity 0)."""

II_MARK = "#2ca02c"
"""Lines marking multiples of the initiation interval in cyclic schedules."""


def mode_color(mode: int) -> str:
    """The colour of mode index ``mode`` (the palette repeats after 20 modes)."""
    return _PALETTE[int(mode) % len(_PALETTE)]


def mode_colors(modes: np.ndarray) -> np.ndarray:
    """Colours (hex strings) for an array of mode indices, vectorised."""
    palette = np.array(_PALETTE, dtype=object)
    return palette[np.asarray(modes, dtype=np.int64) % len(_PALETTE)]


def job_palette(count: int) -> list[str]:
    """``count`` colours for jobs: matplotlib's tab20, tab20b and tab20c (60 distinct), repeating beyond.

    Neighbouring jobs get contrasting colours: the dark and light halves of each
    20-colour map are interleaved with the other maps' before repeating.
    """
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    base = [to_hex(colormaps["tab20"](k)) for k in range(0, 20, 2)]  # tab10-like dark half first
    base += [to_hex(colormaps["tab20b"](k)) for k in range(0, 20, 4)]
    base += [to_hex(colormaps["tab20c"](k)) for k in range(0, 20, 4)]
    base += [to_hex(colormaps["tab20"](k)) for k in range(1, 20, 2)]
    base += [to_hex(colormaps["tab20b"](k)) for k in range(2, 20, 4)]
    base += [to_hex(colormaps["tab20c"](k)) for k in range(2, 20, 4)]
    base += [to_hex(colormaps["tab20b"](k)) for k in (1, 3, 5, 7, 9, 11, 13, 15, 17, 19)]
    base += [to_hex(colormaps["tab20c"](k)) for k in (1, 3, 5, 7, 9, 11, 13, 15, 17, 19)]
    return [base[k % len(base)] for k in range(count)]


def text_color(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (a ``#rrggbb`` colour)."""
    red, green, blue = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.299 * red + 0.587 * green + 0.114 * blue
    return "black" if luminance > 0.55 else "white"


LATE = "#d62728"
"""Outline of a task that ends after its due date."""

__all__ = [
    "BAR_EDGE",
    "CAPACITY",
    "DOWNTIME",
    "II_MARK",
    "LATE",
    "USAGE",
    "job_palette",
    "mode_color",
    "mode_colors",
    "text_color",
]
