"""The kernel plot: bars folded into one II, coloured by iteration, units then warp groups."""

from __future__ import annotations

from pathlib import Path

import pytest

from schedkit.models import Solution
from schedkit.plots import plot
from schedkit.plots.pipelining import kernel_rows, pipelining_figure
from tests.pipelining_cases import twill_figure_1


def figure_1_schedule() -> Solution:
    return Solution.from_lists([0, 2, 3], ii=2)  # S at 0, P at 2, O at 3 (Twill Fig. 1)


def test_rows_and_folded_bars() -> None:
    rows, bars, ii = kernel_rows(twill_figure_1(), figure_1_schedule())
    assert ii == 2 and rows == ["TC", "EXP", "w"]
    on = {(b.row, b.op): (b.start, b.length, b.stage) for b in bars}
    assert on[("TC", "S")] == (0, 1, 0)  # iteration i
    assert on[("TC", "O")] == (1, 1, 1)  # issued at 3: residue 1, iteration i-1
    assert on[("EXP", "P")] == (0, 1, 1)
    assert sum(b.length for b in bars if b.row == "TC") == ii  # the tensor core is always busy


def test_figure_is_returned_and_written(tmp_path: Path) -> None:
    target = tmp_path / "kernel.svg"
    figure = pipelining_figure(twill_figure_1(), figure_1_schedule(), target, title="fig 1")
    assert figure.axes[0].get_title() == "fig 1" and target.stat().st_size > 0
    legend = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert legend == ["iteration i", "iteration i-1"]
    assert plot(twill_figure_1(), figure_1_schedule()).axes  # the family's chart through plots.plot


def test_needs_a_cyclic_schedule() -> None:
    with pytest.raises(ValueError, match="cyclic"):
        kernel_rows(twill_figure_1(), Solution.from_lists([0, 2, 3]))
