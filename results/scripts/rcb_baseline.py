"""An R-ConstraintBench report of a simple baseline: a greedy SGS that writes its schedule as text.

Usage::

    python results/scripts/rcb_baseline.py [--per-level 10] [--seed 0] [--out results/rcb_baseline.txt]
        [--suite DIR]

Equivalent to, per ramp, ``schedkit rcb generate SUITE ...``, ``schedkit rcb
grade SUITE --writer greedy`` and ``schedkit rcb report SUITE/grades.jsonl``:
every instance is rendered as its prompt, the greedy writer
(:mod:`schedkit.rcb.baseline`) answers in ``task: start`` text, the answer is
parsed and graded through the independent checker. Four ramps:

* synthetic, 20 activities, 3 resources, levels k = 0, 4, ..., 40, each axis
  on with probability 0.75 (the benchmark's setting);
* the same with time windows never drawn (ablation: the greedy SGS honours
  everything else, so every answer should be feasible);
* the same with time windows always drawn;
* the data-centre migration variant, 10 servers in 3 tiers, k = 0, 2, ..., 16
  dependencies.

The greedy SGS places each task at its earliest feasible start and never
repairs, so the only constraints it can break are deadlines; the reports
show where that happens. ``--suite DIR`` keeps the instances, prompts,
answers and grades of every ramp under DIR.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from schedkit.instances.generators.rcb import instance_seed, migration_instance, rcb_ramp
from schedkit.models import ProblemData
from schedkit.rcb import format_report, grade_suite, greedy_writer, summarise, write_answers, write_grades, write_suite
from schedkit.rcb.suite import write_prompts


def _ramps(per_level: int, seed: int) -> list[tuple[str, list[ProblemData]]]:
    synthetic = list(range(0, 41, 4))
    migration = list(range(0, 17, 2))
    return [
        ("synthetic: each axis with probability 0.75", rcb_ramp(synthetic, per_level, seed)),
        (
            "synthetic ablation: no time windows",
            rcb_ramp(synthetic, per_level, seed, axis_probability={"windows": 0.0}),
        ),
        (
            "synthetic ablation: time windows always",
            rcb_ramp(synthetic, per_level, seed, axis_probability={"windows": 1.0}),
        ),
        (
            "data-centre migration, 10 servers: each axis with probability 0.75",
            [
                migration_instance(k, instance_seed(seed, k, i), name=f"migration_k{k:03d}_{i}")
                for k in migration
                for i in range(per_level)
            ],
        ),
    ]


def main() -> None:
    """Run the four ramps and write the reports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-level", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="results/rcb_baseline.txt")
    parser.add_argument("--suite", help="keep the suites under this folder")
    args = parser.parse_args()
    sections = [
        "R-ConstraintBench harness, baseline: greedy serial SGS writing 'task: start' text "
        f"({args.per_level} instances per level, seed {args.seed})",
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.suite) if args.suite else Path(tmp)
        for index, (title, problems) in enumerate(_ramps(args.per_level, args.seed)):
            folder = root / f"ramp{index}"
            write_suite(problems, folder)
            write_prompts(problems, folder)
            write_answers(problems, greedy_writer, folder / "answers")
            grades = grade_suite(problems, folder / "answers")
            write_grades(grades, folder / "grades.jsonl")
            sections += [format_report(summarise(grades), f"== {title}"), ""]
            print(f"{title}: {len(grades)} answers graded", flush=True)
    text = "\n".join(sections)
    Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
