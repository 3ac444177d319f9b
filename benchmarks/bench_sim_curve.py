"""Benchmark: the 30-point cost-of-waiting curve for S-01 (issue 15 target <= 0.5 s).

Each point replays the recommended plan shifted to a later start, forked from one run
without actions at that tick and stopped once nothing can fail any more, instead of 30
runs from tick 0. The figure is wall time (and the process's CPU time, which a busy
machine does not inflate).
Run: python benchmarks/bench_sim_curve.py [REPEATS]
"""

from __future__ import annotations

import statistics
import sys
import time

from trainer.bank import load_bank
from trainer.sim.curve import cost_of_waiting
from trainer.sim.replay import plan_damage

POINTS = 30


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    spec = load_bank().find_scenario("S-01").simulation
    assert spec is not None
    walls, cpus = [], []
    curve = None
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        curve = cost_of_waiting(spec, None, points=POINTS)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    assert curve is not None and len(curve.points) == POINTS
    start = time.perf_counter()
    rest = plan_damage(spec, [], None)  # one lean run to rest, for scale
    one = time.perf_counter() - start
    print(f"S-01 cost-of-waiting curve, {POINTS} points: median {statistics.median(walls):.3f} s, "
          f"best {min(walls):.3f} s wall (CPU best {min(cpus):.3f} s) over {repeats} runs "
          f"(target <= 0.5 s); one lean run without actions: {one:.3f} s "
          f"({rest.failed:,} failed)")


if __name__ == "__main__":
    main()
