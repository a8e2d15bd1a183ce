"""ETS against REBASE (and beam search, DVTS) on seeded synthetic reasoning trees: KV, accuracy, selection time.

Usage::

    python results/scripts/ets_study.py --widths 16,64,256 --trees 200 --seed 0
    python results/scripts/ets_study.py ... --lambda-c 1,2,4 --canonical 0,0.5,1 --out-dir results

Writes ``ets_study.{txt,csv,json}`` for the generator's defaults and, for each
``--canonical`` value, ``ets_study_canonical<value>.{txt,csv,json}`` (the
sensitivity to how often correct steps coincide across branches), plus the
pictures ``ets_tree_{ets,rebase}.png`` (one tree at N = 16 after each method).
See :mod:`schedkit.solvers.methods.tree_search.study` for what is measured.

BLAS and OpenMP are pinned to one thread before NumPy loads, as ETS's own
``rebase.py`` does: the selection is timed inside a loop that shares the CPU
with the serving stack, and a multi-threaded matrix product of 256 rows only
adds thread start-up to it.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from schedkit.cli.ets import write_study  # noqa: E402
from schedkit.instances import synthetic_kvtree  # noqa: E402
from schedkit.plots.kvtree import search_tree  # noqa: E402
from schedkit.solvers.methods.tree_search import tree_search  # noqa: E402
from schedkit.solvers.methods.tree_search.study import format_table, run_study  # noqa: E402


def _list(text: str, kind: type) -> list:
    return [kind(part) for part in text.split(",") if part.strip()]


def main() -> None:
    """Run the study at the defaults and at each ``--canonical`` value; write tables and pictures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", default="16,64,256")
    parser.add_argument("--trees", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--methods", default="rebase,ets,beam,dvts")
    parser.add_argument("--lambda-c", default="1", help="ETS KV weights (1 is ETS's)")
    parser.add_argument("--canonical", default="", help="generator sensitivity: values of the canonical knob")
    parser.add_argument("--out-dir", default="results")
    args = parser.parse_args()
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    settings = [(None, "ets_study")] + [(c, f"ets_study_canonical{c:g}") for c in _list(args.canonical, float)]
    for canonical, name in settings:
        started = time.perf_counter()
        result = run_study(
            widths=_list(args.widths, int),
            trees=args.trees,
            seed=args.seed,
            methods=args.methods.split(","),
            canonical=canonical,
            lambda_cs=_list(args.lambda_c, float),
            progress=print,
        )
        table = format_table(result)
        print(table)
        written = write_study(result, table, str(out / name))
        print(f"{name}: {time.perf_counter() - started:.0f} s; wrote {', '.join(str(p) for p in written)}")
    problem = synthetic_kvtree(3)
    for method in ("ets", "rebase"):
        searched = tree_search(problem.root(), problem, problem, method=method, width=16, embedder=problem)
        search_tree(searched, out / f"ets_tree_{method}.png")


if __name__ == "__main__":
    main()
