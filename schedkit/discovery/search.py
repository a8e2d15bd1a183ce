"""The search loop: prompt, mutate, evaluate, register, for a budget of samples.

:func:`discover` runs FunSearch's loop single-threaded (as the challenger
paper did): the initial program (by default the specification's template) is
evaluated and registered on every island; then until ``budget`` samples have
been evaluated, the database builds a prompt, the operator answers with one
or more programs, and each is evaluated in a sandbox. A program is
registered on the prompt's island when at least one of its answers was valid
(as in FunSearch, a program that fails everywhere is dropped). Nothing a
candidate or an operator does stops the loop: operator exceptions are logged
and count as a sample; candidate failures are penalised by the evaluator.

Every sample is logged (optionally as JSON lines to ``log``): its number,
island, parents, score, mean gap, invalid answers and the first failure.
"""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schedkit.discovery.database import DatabaseConfig, Program, ProgramDatabase, Prompt
from schedkit.discovery.evaluator import Evaluation, Evaluator
from schedkit.discovery.operators import Operator
from schedkit.discovery.prompts import extract_code, render_prompt

__all__ = ["DiscoveryResult", "discover"]


@dataclass
class DiscoveryResult:
    """The outcome of a search: the best program, the initial one, and the log of every sample."""

    best: Program
    initial: Program
    samples: int
    registered: int
    resets: int
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def improved(self) -> bool:
        """Whether the best program scores strictly better than the initial one."""
        return self.best.score > self.initial.score


def _program(database: ProgramDatabase, source: str, evaluation: Evaluation, parents: Sequence[int]) -> Program:
    summary = evaluation.to_dict()
    return Program(database.new_id(), source, evaluation.score, evaluation.signature, summary, tuple(parents))


def discover(
    evaluator: Evaluator,
    operator: Operator,
    budget: int,
    initial: str | None = None,
    config: DatabaseConfig | None = None,
    seed: int = 0,
    log: str | Path | None = None,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> DiscoveryResult:
    """Search for ``budget`` samples from ``initial`` (a program source; default the template).

    Raises ``ValueError`` when the initial program gives no valid answer (the
    search would have nothing to start from).
    """
    if budget < 0:
        raise ValueError(f"the budget must be a non-negative number of samples, got {budget}")
    spec = evaluator.spec
    config = config if config is not None else DatabaseConfig()
    database = ProgramDatabase(config, seed, lambda parents, version: render_prompt(spec, parents, version))
    source = spec.template_source() if initial is None else initial
    evaluation = evaluator.evaluate_source(source)
    if evaluation.valid == 0:
        raise ValueError(f"the initial program gives no valid answer: {evaluation.first_failure()}")
    first = _program(database, source, evaluation, ())
    database.register(first)
    history: list[dict[str, Any]] = []
    handle = open(log, "w") if log is not None else None

    def record(entry: dict[str, Any]) -> None:
        history.append(entry)
        if handle is not None:
            handle.write(json.dumps(entry, default=str) + "\n")
            handle.flush()
        if progress is not None:
            progress(entry)

    try:
        record({"sample": 0, "island": None, "parents": [], "program": first.id, **evaluation.to_dict()})
        samples = 0
        while samples < budget:
            prompt: Prompt = database.prompt()
            parents = [p.id for p in prompt.parents]
            started = time.perf_counter()
            try:
                produced = operator(prompt)
                sources = [produced] if isinstance(produced, str) else list(produced)
            except Exception as error:  # a broken operator must not end the search
                samples += 1
                detail = "".join(traceback.format_exception_only(type(error), error)).strip()
                record({"sample": samples, "island": prompt.island, "parents": parents, "operator_error": detail})
                continue
            if not sources:
                samples += 1
                record({"sample": samples, "island": prompt.island, "parents": parents, "operator_error": "no program"})
                continue
            for text in sources[: budget - samples]:
                samples += 1
                code = extract_code(str(text), spec.function)
                evaluation = evaluator.evaluate_source(code)
                entry: dict[str, Any] = {"sample": samples, "island": prompt.island, "parents": parents}
                if evaluation.valid:
                    program = _program(database, code, evaluation, parents)
                    database.register(program, prompt.island)
                    entry["program"] = program.id
                entry.update(evaluation.to_dict(), operator_seconds=round(time.perf_counter() - started, 3))
                record(entry)
        best = database.best()
    finally:
        if handle is not None:
            handle.close()
    return DiscoveryResult(best, first, samples, database.registered, database.resets, history)
