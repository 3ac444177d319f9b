"""Asynchronous cross-region replication during a weighted DNS migration to a new region.

The model follows MySQL's replica applier (dev.mysql.com/doc/refman/8.0/en/replication-
threads.html and .../replication-options-replica.html#sysvar_replica_parallel_workers):

* Every write commits on the primary in the old region; the new region's replica replays
  the binary log in commit order. Its apply speed is `apply_rows_s` rows a second for one
  worker; reads that the new region serves from the replica compete for its I/O and CPU,
  taking `read_contention` of that speed at 100% weight.
* `workers` (replica_parallel_workers) apply independent transactions side by side, so
  ordinary writes replay faster (sub-linearly, the simulator's `workers ** 0.7`, since
  dependent ones still wait for each other), but one transaction is always applied by one
  worker: a batch job's `batch_rows`-row commit stalls the replica for seconds whatever
  the worker count, and commit order holds everything behind it
  (replica_preserve_commit_order, on by default since 8.0.27).
* Replication lag is the age of the oldest write the replica has not applied
  (Seconds_Behind_Source). A user reading in the new region who wrote within the lag
  (`stale_share` of reads there) reads old data: a wrong answer, once the lag is above
  what read-after-write tolerates (`stale_after_s`).
* Weighted records move resolvers evenly over `ttl_s`. The migration's own ladder is the
  scenario's script; any weight set by hand freezes it (`region-weight PERCENT`).
  `parallel-apply N` sets the workers, `pause-batch` suspends the batch job, and
  `promote-replica` promotes the replica at once and points every record at the new
  region: every write not yet applied is lost (the MySQL manual's "Semisynchronous
  Replication" page and PostgreSQL's "Log-Shipping Standby Servers" both warn that
  asynchronous replication can lose transactions the primary had committed),
  and until resolvers follow (one TTL) the writes of users still sent to the old region
  fail against its fenced, read-only former primary.

Deterministic apart from the batch job's phase, drawn per seed from a stream of its own.
"""

from __future__ import annotations

import random
from collections import deque
from typing import TYPE_CHECKING

from trainer.bank.simsystems import Replication as ReplicationSpec

from .actions import Action
from .incidents import Result, add_failed
from .serve import Group, TickResult

if TYPE_CHECKING:
    from .engine import Simulation

PARALLEL_EXPONENT = 0.7


class Replication:
    actions = frozenset({"region-weight", "promote-replica", "parallel-apply", "pause-batch"})

    def __init__(self, sim: Simulation, spec: ReplicationSpec) -> None:
        self.sim, self.spec = sim, spec
        self.share = self.target = spec.weight / 100
        self.step = 1.0 / spec.ttl_s
        self.workers = spec.workers
        self.frozen = False
        self.batches = spec.batch_rows > 0
        self.phase = random.Random(f"replication:{sim.seed}").randrange(spec.batch_every_s)
        # Unapplied writes in commit order: [commit tick, rows, one transaction?]
        self.log: deque[list[float]] = deque()
        self.lag = 0.0
        self.promoted = False
        self.stale = self.failed = self.lost = 0

    def _apply(self, t: int) -> None:
        spec = self.spec
        speed = spec.apply_rows_s * (1.0 - spec.read_contention * self.share)
        budget = 1.0
        while budget > 0 and self.log:
            head = self.log[0]
            rate = speed if head[2] else speed * self.workers ** PARALLEL_EXPONENT
            done = min(head[1], budget * rate)
            head[1] -= done
            budget -= done / rate
            if head[1] <= 1e-6:
                self.log.popleft()
        self.lag = t - self.log[0][0] if self.log else 0.0

    def admit(self, t: int, offered: int, groups: list[Group]) -> int:
        spec = self.spec
        self.stale = self.failed = 0
        if self.share != self.target:
            move = self.target - self.share
            self.share = self.target if abs(move) <= self.step else (
                self.share + (self.step if move > 0 else -self.step))
        if self.promoted:  # stragglers still resolving the old region write to a fenced one
            share = self.sim.spec.traffic.write_share
            self.failed = round(offered * (1.0 - self.share) * share)
            return offered - self.failed
        self.log.append([t, spec.write_rows_s, 0.0])
        if self.batches and (t - self.phase) % spec.batch_every_s == 0:
            self.log.append([t, spec.batch_rows, 1.0])
        self._apply(t)
        if self.lag > spec.stale_after_s:
            reads = offered * self.share * (1.0 - self.sim.spec.traffic.write_share)
            self.stale = round(reads * spec.stale_share * (1.0 - spec.stale_after_s / self.lag))
        return offered

    def settle(self, t: int, res: TickResult) -> None:
        add_failed(self.sim, res, self.failed, self.stale + self.lost)
        self.lost = 0

    def quiet(self, t: int) -> bool:
        if self.promoted:
            return self.share == 1.0
        return not self.batches and self.lag <= self.spec.stale_after_s and (
            self.share == self.target)

    def act(self, sim: Simulation, a: Action, t: int, by: str) -> Result:
        if self.promoted:
            return False, "the replica is the primary now: there is no replication left"
        if a.name == "region-weight":
            if by == "script" and self.frozen:
                return False, "the migration ladder is frozen by the on-call"
            self.frozen = self.frozen or by == "you"
            self.target = float(a.args[0].rstrip("%")) / 100
            return True, (f"new region's weight {self.target:.0%}; resolvers follow over "
                          f"{self.spec.ttl_s}s" + (" (ladder frozen)" if by == "you" else ""))
        if a.name == "parallel-apply":
            self.workers = int(float(a.args[0]))
            return True, (f"replica_parallel_workers={self.workers}; one large transaction "
                          "is still applied by one worker")
        if a.name == "pause-batch":
            if not self.batches:
                return False, "the batch job is already suspended"
            self.batches = False
            return True, "batch job suspended: no more large transactions"
        unapplied = sum(e[1] for e in self.log)
        per_row = self.spec.write_rows_s or 1.0
        writes = self.lag * sim.spec.traffic.rps * sim.spec.traffic.write_share
        self.lost = round(writes)
        sim.add_data_at_risk(writes)
        self.promoted, self.target, self.log, self.lag = True, 1.0, deque(), 0.0
        return True, (f"replica promoted with {self.lag:.0f}s of lag: {unapplied:,.0f} rows "
                      f"(about {unapplied / per_row:.0f}s of writes) never reach it")
