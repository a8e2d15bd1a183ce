"""Steps per second of the dispatching environment and of the learned dispatcher on a 100 x 20 job shop.

Usage::

    OPENBLAS_NUM_THREADS=1 python results/scripts/learned_dispatch_speed.py [--instance 71]

On Taillard's ta71 (100 jobs x 20 machines, 2,000 operations), single-threaded:

* the environment alone (:class:`BatchState`), random legal actions, for a
  batch of 1 and of 32 episodes advanced together;
* the same through the Gymnasium-style :class:`DispatchEnv` (observation
  built at every step);
* the policy's rollouts (shipped weights, float32) for 1 and 32 episodes,
  i.e. :func:`learned_dispatch` with 1 and 32 rollouts.

An *episode step* is one action in one episode; a batch of 32 makes 32 per
call. Pure NumPy, nothing is compiled, so there is no first-call overhead
beyond importing NumPy.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from schedkit.heuristics.shop.learned import (  # noqa: E402
    BatchState,
    DispatchEnv,
    rollout,
    shipped_params,
    shop_arrays,
    spread_temperatures,
)
from schedkit.heuristics.shop.learned.network import as_dtype  # noqa: E402
from schedkit.instances import taillard_jobshop  # noqa: E402


def main() -> None:
    """Measure and print (and write) the steps per second."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", type=int, default=71)
    parser.add_argument("--out", default="results/learned_dispatch_speed.txt")
    args = parser.parse_args()
    problem = taillard_jobshop(args.instance)
    shop = shop_arrays(problem)
    rng = np.random.default_rng(0)
    lines = [f"{problem.name}: {shop.num_jobs} jobs x {shop.num_machines} machines, load {os.getloadavg()[0]:.1f}"]

    for batch in (1, 32):
        state = BatchState(shop, batch)
        started = time.perf_counter()
        while not state.done.all():
            mask = state.action_mask()
            state.step(np.where(mask, rng.random(mask.shape), -1.0).argmax(axis=1))
        seconds = time.perf_counter() - started
        steps = int(state.steps.sum())
        lines.append(
            f"environment, batch {batch:2d}: {steps / seconds:9.0f} episode steps/s ({steps} steps, {seconds:.2f} s)"
        )

    env = DispatchEnv(problem)
    env.reset(seed=0)
    started, steps = time.perf_counter(), 0
    while not env.step(env.action_space.sample(mask=env.action_masks()))[2]:
        steps += 1
    seconds = time.perf_counter() - started
    lines.append(f"DispatchEnv (Gymnasium API, observation each step): {steps / seconds:9.0f} steps/s")

    params = as_dtype(shipped_params(), np.float32)
    for batch in (1, 32):
        started = time.perf_counter()
        state = rollout(BatchState(shop, batch), params, spread_temperatures(batch), rng)
        seconds = time.perf_counter() - started
        steps = int(state.steps.sum())
        lines.append(
            f"policy rollouts, batch {batch:2d}: {steps / seconds:9.0f} episode steps/s "
            f"({seconds:.1f} s for {batch} episode(s), best makespan {state.makespan().min()})"
        )
    text = "\n".join(lines)
    print(text)
    Path(args.out).write_text(text + "\n")


if __name__ == "__main__":
    main()
