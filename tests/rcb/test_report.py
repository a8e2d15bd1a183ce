"""The report: per-level rates, the WAUC with its stated weights, the threshold, the axis table; the greedy baseline."""

from __future__ import annotations

import pytest

from schedkit.instances.generators.rcb import rcb_ramp
from schedkit.models import Solution
from schedkit.rcb import Grade, format_report, grade_answer, greedy_starts, greedy_writer, summarise, weighted_auc
from schedkit.solvers import check


def test_weighted_auc_by_hand() -> None:
    # weights k + 1: (1 * 1.0 + 3 * 0.5 + 5 * 0.0) / (1 + 3 + 5) = 2.5 / 9
    assert weighted_auc({0: 1.0, 2: 0.5, 4: 0.0}) == pytest.approx(2.5 / 9)
    assert weighted_auc({}) == 0.0


def _grade(level: int, feasible: bool, windows: bool, counts: dict[str, int] | None = None) -> Grade:
    axes = {"downtime": False, "windows": windows, "disjunctive": False}
    return Grade(f"i{level}", level, feasible, True, counts or {}, axes=axes)


def test_summary() -> None:
    grades = [
        _grade(0, True, False),
        _grade(0, True, True),
        _grade(3, True, False),
        _grade(3, False, True, {"window": 2}),
        _grade(6, False, True, {"window": 1, "precedence": 1}),
        Grade(
            "i6b", 6, False, False, reason="no line", axes={"downtime": False, "windows": False, "disjunctive": False}
        ),
    ]
    report = summarise(grades)
    assert [row["rate"] for row in report.levels] == [1.0, 0.5, 0.0]
    assert report.auc == pytest.approx(0.5)
    assert report.wauc == pytest.approx((1 * 1.0 + 4 * 0.5 + 7 * 0.0) / 12)
    assert report.threshold == 6 and report.unparsed == 1 and report.feasible == 3
    assert report.categories == {"precedence": 1, "window": 3}
    assert report.axes["windows"] == {
        "on": 3,
        "rate_on": pytest.approx(1 / 3),
        "off": 3,
        "rate_off": pytest.approx(2 / 3),
    }
    text = format_report(report)
    assert "WAUC 0.250" in text and "w_k = k + 1" in text and "k = 6" in text


def test_greedy_baseline_is_feasible_without_windows_and_fails_only_windows() -> None:
    plain = rcb_ramp(
        [0, 8, 20], per_level=3, seed=2, axis_probability={"windows": 0.0, "downtime": 1.0, "disjunctive": 1.0}
    )
    for problem in plain:
        assert check(problem, Solution.from_lists(greedy_starts(problem))) == [], problem.name
        assert grade_answer(problem, greedy_writer("", problem)).feasible
    windowed = rcb_ramp([0, 8, 20], per_level=4, seed=2, axis_probability=1.0)
    grades = [grade_answer(problem, greedy_writer("", problem)) for problem in windowed]
    assert all(g.parsed for g in grades)
    assert {category for g in grades for category in g.counts} <= {"window"}
