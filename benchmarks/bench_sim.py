"""Benchmark: one simulated hour of a 50-pod fleet at 1 s ticks (issue 5 target <= 0.25 s).

The fleet does a RollingUpdate to a version with a memory leak, so pods start, turn ready,
terminate, get OOM-killed and back off during the hour: the busy case, not an idle one.
A third case puts issue 16's models in play on the same fleet: a cache flush in front of
the database and a certificate expiring, then warmed, rotated and reloaded. A fourth adds
the second batch's systems: a lock that leaves a retry storm behind (released and shed),
a WebSocket gateway crash and its reconnect storm (admission-limited), and a replica
lagging behind a batch job during a region migration.
Run: python benchmarks/bench_sim.py [REPEATS]
"""

from __future__ import annotations

import dataclasses
import statistics
import sys
import time

from trainer.bank.simsystems import Gateways, Replication, Retries
from trainer.bank.simulation import Database, Fault, Fleet, Strategy, Timeline, Traffic
from trainer.bank.simulation import Simulation as SimSpec
from trainer.sim import Simulation

SPEC = SimSpec(
    strategy=Strategy(kind="rolling", max_surge="25%", max_unavailable="0"),
    fleet=Fleet(old_version="v1", new_version="v2", replicas=50, pod_capacity_rps=60),
    traffic=Traffic(rps=2000, users=500000),
    timeline=Timeline(duration_s=3600),
    recommended=("30:00 undo",),
    faults=(Fault(kind="memory_leak", version="v2", leak_mib_per_min=15),),
)

INCIDENTS = dataclasses.replace(
    SPEC, database=Database(capacity_qps=1500, queries_per_request=0.1),
    faults=(*SPEC.faults,
            Fault(kind="cache_flush", at_s=600, hit_rate=0.95, queries_per_request=2),
            Fault(kind="cert_expiry", at_s=900, error_rate=1.0)))

SYSTEMS = dataclasses.replace(
    SPEC, retries=Retries(lock_at_s=600, lock_s=600, queue_limit=120000),
    gateways=Gateways(crash_at_s=900), replication=Replication(write_rows_s=3000))


def once(actions: tuple[str, ...], spec: SimSpec = SPEC) -> float:
    start = time.perf_counter()
    sim = Simulation(spec, seed=1, actions=actions).run()
    elapsed = time.perf_counter() - start
    assert len(sim.metrics) == 3600
    return elapsed


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    cases = (("no action", (), SPEC), ("undo at 30:00", ("30:00 undo",), SPEC),
             ("cache flush + cert expiry", ("12:00 warm-cache 10", "10:00 rotate-cert",
                                            "21:30 reload", "30:00 undo"), INCIDENTS),
             ("retry + reconnect storms, replica lag",
              ("12:00 release-lock", "12:00 rate-limit 2500", "16:00 admission 150",
               "20:00 region-weight 5", "30:00 undo"), SYSTEMS))
    for label, actions, spec in cases:
        times = [once(actions, spec) for _ in range(repeats)]
        print(f"1 simulated hour, 50 pods, {label}: median {statistics.median(times):.3f} s, "
              f"best {min(times):.3f} s over {repeats} runs (target <= 0.25 s)")


if __name__ == "__main__":
    main()
