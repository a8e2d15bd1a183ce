"""The plot entry point: each family's chart as a Figure, jobs coloured and labelled, no 0/1 machine profiles."""

from __future__ import annotations

from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from schedkit.demo import _kvtree_demo, _podpack_demo
from schedkit.heuristics.shop import dispatch
from schedkit.instances import bundled, read, sd2_fjsp, taillard_jobshop
from schedkit.models import ProblemData, Solution
from schedkit.plots import gantt, plot
from schedkit.plots.chart import kvtree_as_search
from schedkit.plots.colors import job_palette
from schedkit.plots.gantt import LEGEND_LIMIT
from schedkit.solvers import check, solve


def _solved(problem: ProblemData) -> Solution:
    result = solve(problem, time_limit=10, threads=1)
    assert result.solution is not None and check(problem, result.solution) == []
    return result.solution


def _bar_colors(figure: Figure) -> dict[int, set[str]]:
    """Per Gantt row (y position of the bars), the face colours of its bars."""
    found: dict[int, set[str]] = {}
    for collection in figure.axes[0].collections:
        paths = collection.get_paths()
        faces = collection.get_facecolors()
        if not len(paths) or len(faces) != len(paths):
            continue
        for path, face in zip(paths, faces):
            y = int(round(path.vertices[:, 1].mean()))
            found.setdefault(y, set()).add(to_hex(face))
    return found


def test_job_shop_bars_coloured_by_job_with_numbers_and_no_machine_profiles(tmp_path: Path) -> None:
    problem = taillard_jobshop(31)  # 30 jobs x 15 machines
    solution = dispatch(problem, rule="mwkr", schedule="non_delay")
    out = tmp_path / "ta31.png"
    figure = plot(problem, solution, out)
    assert isinstance(figure, Figure)
    assert len(figure.axes) == 1  # no usage panel per unary machine
    ax = figure.axes[0]
    assert "makespan" in ax.get_title()
    # every machine row holds one bar per job, each in its job's colour
    palette = job_palette(30)
    rows = _bar_colors(figure)
    assert len(rows) == 15 and all(colours == set(palette) for colours in rows.values())
    # job numbers written on the bars wide enough for them
    texts = [t.get_text() for t in ax.texts]
    assert texts and set(texts) <= {str(j) for j in range(30)}
    # legend clipped: 20 jobs and one line counting the rest
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:LEGEND_LIMIT] == [f"job {j}" for j in range(LEGEND_LIMIT)]
    assert labels[LEGEND_LIMIT] == "... 10 more jobs" and len(labels) == LEGEND_LIMIT + 1
    image = mpimg.imread(out)
    assert 400 <= image.shape[0] <= 1600 and image[..., :3].std() > 0.05


def test_fjsp_and_rcpsp_profiles_only_for_renewables(tmp_path: Path) -> None:
    problem = sd2_fjsp(6, 4, 5, seed=1, name="sd2")
    figure = plot(problem, _solved(problem), tmp_path / "fjsp.png")
    assert len(figure.axes) == 1 and figure.axes[0].get_legend().get_title().get_text() == "jobs"
    rcpsp = read(bundled("rcpsp8.sm"))
    figure = plot(rcpsp, _solved(rcpsp))
    renewables = sum(1 for r in rcpsp.resources if r.kind.value == "renewable")
    assert len(figure.axes) == 1 + renewables


def test_color_by_mode_keeps_task_names() -> None:
    problem = read(bundled("js3x3"))
    figure = gantt(problem, _solved(problem), color_by="mode")
    names = {t.name for t in problem.tasks}
    assert {t.get_text() for t in figure.axes[0].texts} <= names


def test_tardiness_title_names_the_objective_and_marks_due_dates() -> None:
    problem = read(bundled("wt5.txt"), index=0)
    solution = _solved(problem)
    figure = plot(problem, solution)
    title = figure.axes[0].get_title()
    assert "total_weighted_tardiness" in title and "makespan" not in title
    legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert "due date" in legend
    late = [i for i, t in enumerate(problem.tasks) if solution.end(problem, i) > t.due_date]
    assert ("ends after due date" in legend) == bool(late)


def test_pod_packing_uses_the_node_picture() -> None:
    problem = _podpack_demo()
    figure = plot(problem, _solved(problem))
    title = figure.axes[0].get_title()
    assert title.startswith("podpack-demo: placed>=2")
    assert figure.axes[0].get_ylabel() == "share of node capacity"


def test_kvtree_picture_marks_the_selection() -> None:
    problem = _kvtree_demo()
    solution = _solved(problem)
    tree = kvtree_as_search(problem, solution)
    kept_tasks = {tree.task_of_node[n] for n in tree.kept}
    assert kept_tasks == {t for t in problem.meta["leaves"] if solution.tasks[t].present}
    for node in tree.pruned:
        assert not solution.tasks[tree.task_of_node[node]].present
    assert tree.nodes[0].parent is None and all(n.parent < n.id for n in tree.nodes[1:])
    figure = plot(problem, solution)
    ax = figure.axes[0]
    assert "ets 1.45" in ax.get_title()
    drawn = sum(len(c.get_offsets()) for c in ax.collections[1:])
    assert drawn == problem.num_tasks


def test_plot_writes_nothing_without_a_path(tmp_path: Path) -> None:
    problem = read(bundled("js3x3"))
    figure = plot(problem, _solved(problem))
    assert isinstance(figure, Figure) and not list(tmp_path.iterdir())
    assert np.isfinite(figure.get_size_inches()).all()


def test_pipelining_uses_the_kernel_picture() -> None:
    from tests.tiny_families import pipelining_tiny

    problem = pipelining_tiny()
    solution = _solved(problem)
    assert solution.ii is not None
    figure = plot(problem, solution)
    assert "steady-state kernel" in figure.axes[0].get_xlabel()
