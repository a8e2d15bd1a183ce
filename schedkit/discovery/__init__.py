"""Harness for discovering heuristics by evolving programs (FunSearch-style), provider-free.

The challenger heuristics EDDC and MDDC were found by an evolutionary search
in which a language model mutates a heuristic and an evaluator scores it
(Cetinkaya et al., arXiv 2510.24013). This package is that loop without any
model provider: the mutation operator is a callable the user supplies, and a
built-in one edits parameters and move orders so the loop runs end to end.

>>> from schedkit.discovery import SPECS, Evaluator, OptimumCache, discover, random_edit
>>> evaluator = Evaluator.for_spec(SPECS["tardiness"], sizes=(20,), cache=OptimumCache("cache"))
>>> evaluator.evaluate("my_heuristic.py").mean_gap  # doctest: +SKIP
>>> result = discover(evaluator, random_edit, budget=50)  # doctest: +SKIP

Modules: :mod:`.spec` (what is evolved: signature, contract, suite, scoring
hooks) and :mod:`.tardiness` (the first specification, with its template in
``templates/tardiness.py`` and the rules as programs in ``programs/``);
:mod:`.sandbox` and :mod:`.worker` (a program file in a child process under
time and memory limits); :mod:`.optima` (certified optima cached on disk);
:mod:`.evaluator` (scores and the stated penalty); :mod:`.database` (islands,
clusters, best-shot prompts, resets); :mod:`.prompts` (prompt text, code
extraction); :mod:`.operators` (loading ``module:function``, the built-in
operator); :mod:`.search` (the loop).
"""

from __future__ import annotations

from schedkit.discovery.database import DatabaseConfig, Program, ProgramDatabase, Prompt
from schedkit.discovery.evaluator import PENALTY_GAP, Evaluation, Evaluator, InstanceScore
from schedkit.discovery.operators import Operator, load_operator, random_edit
from schedkit.discovery.optima import OptimumCache, default_cache_dir
from schedkit.discovery.programs import PROGRAMS
from schedkit.discovery.prompts import extract_code, render_prompt
from schedkit.discovery.sandbox import Limits, Outcome, run_program
from schedkit.discovery.search import DiscoveryResult, discover
from schedkit.discovery.spec import Reference, Specification, SuiteInstance
from schedkit.discovery.tardiness import TARDINESS

SPECS: dict[str, Specification] = {"tardiness": TARDINESS}
"""Specification name -> specification (the ``schedkit discover`` families)."""

__all__ = [
    "PENALTY_GAP",
    "PROGRAMS",
    "SPECS",
    "TARDINESS",
    "DatabaseConfig",
    "DiscoveryResult",
    "Evaluation",
    "Evaluator",
    "InstanceScore",
    "Limits",
    "Operator",
    "OptimumCache",
    "Outcome",
    "Program",
    "ProgramDatabase",
    "Prompt",
    "Reference",
    "Specification",
    "SuiteInstance",
    "default_cache_dir",
    "discover",
    "extract_code",
    "load_operator",
    "random_edit",
    "render_prompt",
    "run_program",
]
