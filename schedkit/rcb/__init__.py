"""R-ConstraintBench for schedkit: feasibility instances of rising difficulty, prompts, parsing, grading.

R-ConstraintBench (Jain & Wetter, arXiv 2508.15204, 2025) grades schedules
that language models write for RCPSP feasibility instances whose difficulty
grows one non-redundant precedence edge at a time, with downtime, time windows
and disjunctive pairs switched on at random, plus a data-centre migration
variant. This package is the harness, without any model provider: the
schedule writer is a callable or a folder of answer files.

>>> from schedkit.instances.generators.rcb import rcb_ramp
>>> from schedkit.rcb import render_prompt, grade_answer, summarise, format_report
>>> problems = rcb_ramp(levels=range(0, 31, 5), per_level=5)
>>> prompt = render_prompt(problems[0])              # what the model reads
>>> grade = grade_answer(problems[0], answer_text)  # doctest: +SKIP
>>> print(format_report(summarise(grades)))           # doctest: +SKIP

Modules: instance generation is in
:mod:`schedkit.instances.generators.rcb` (the ramp and the migration variant);
:mod:`.render` (prompt text), :mod:`.parse` (free text to a schedule),
:mod:`.grade` (feasibility and violation categories through the
independent checker), :mod:`.report` (feasibility per level, WAUC, axis
ablation), :mod:`.baseline` (a greedy SGS answerer), :mod:`.writers`
(loading ``module:function`` writers), :mod:`.suite` (a ramp on disk).
"""

from __future__ import annotations

from schedkit.rcb.baseline import greedy_starts, greedy_writer
from schedkit.rcb.grade import CATEGORIES, Grade, categorise, grade_answer, grade_solution
from schedkit.rcb.parse import ParsedSchedule, ParseError, parse_schedule
from schedkit.rcb.render import render_prompt
from schedkit.rcb.report import RampReport, format_report, summarise, weighted_auc
from schedkit.rcb.suite import (
    grade_suite,
    load_grades,
    load_suite,
    write_answers,
    write_grades,
    write_prompts,
    write_suite,
)
from schedkit.rcb.writers import WRITERS, Writer, load_writer

__all__ = [
    "CATEGORIES",
    "WRITERS",
    "Grade",
    "ParseError",
    "ParsedSchedule",
    "RampReport",
    "Writer",
    "categorise",
    "format_report",
    "grade_answer",
    "grade_solution",
    "grade_suite",
    "greedy_starts",
    "greedy_writer",
    "load_grades",
    "load_suite",
    "load_writer",
    "parse_schedule",
    "render_prompt",
    "summarise",
    "weighted_auc",
    "write_answers",
    "write_grades",
    "write_prompts",
    "write_suite",
]
