"""Client retries in front of a queueing service, and the metastable state they sustain.

The model follows the mechanism of the Metastable Failures paper (Bronson, Aghayev,
Charapko and Zhu, "Metastable Failures in Distributed Systems", HotOS 2021) and the
retry advice of the AWS Builders' Library ("Timeouts, retries and backoff with jitter",
Marc Brooker):

* Requests wait in a FIFO queue for one of the service's pool connections (HikariCP's
  pending-connection queue, the app server's accept backlog) and are served at the fleet's
  capacity: running pods x `pod_capacity_rps`. Past `queue_limit` new ones are refused.
* A trigger stops serving: a migration's ACCESS EXCLUSIVE lock on a table every request
  needs (PostgreSQL docs, "Explicit Locking": it conflicts with every other lock mode,
  plain SELECTs included). Requests queue behind it.
* A client whose request is not answered within `timeout_s` gets a 504 and retries after
  `retry_s`, up to `attempts` tries: while everything fails, each user request costs
  `attempts` requests of load (retry amplification).
* The service does not know that a client has given up: it still serves the abandoned
  request when its turn comes (wasted work). Once the queue holds more than `timeout_s`
  of capacity, every request served has already timed out, so all of them fail and are
  retried, and the load stays above capacity: the sustaining effect. Ending the trigger
  (`release-lock`) is then not enough; the storm outlives it ("roll back and wait" fails).
* What ends it is taking load off until the queue is shorter than the timeout: shedding
  (`shed PERCENT`, a fast 503 for a share of requests), a rate limit below capacity
  (`rate-limit RPS`, a fast 429), or fewer retries (`retries TRIES`, a retry policy the
  clients fetch `config_s` later). Fast rejections never enter the queue, so it drains.

Deterministic apart from a per-seed draw of the lock's start (within 15 s) and duration
(within a quarter), from a stream of its own: the engine's RNG is untouched.
"""

from __future__ import annotations

import random
from collections import deque
from typing import TYPE_CHECKING

from trainer.bank.simsystems import Retries

from .actions import Action
from .clock import elapsed
from .incidents import Result, add_failed, slower
from .serve import Group, TickResult

if TYPE_CHECKING:
    from .engine import Simulation

NEVER = 1 << 60


class RetryStorm:
    actions = frozenset({"release-lock", "retries", "shed", "rate-limit"})

    def __init__(self, sim: Simulation, spec: Retries) -> None:
        rng = random.Random(f"retries:{sim.seed}")
        self.sim, self.spec = sim, spec
        self.lock_from = spec.lock_at_s + round(rng.uniform(-15, 15)) if spec.lock_at_s else 0
        self.lock_until = self.lock_from + max(1, round(spec.lock_s * rng.uniform(0.75, 1.25)))
        self.attempts = spec.attempts
        self.policy: tuple[int, int] | None = None  # (tries, from tick) once pushed
        self.shed = 0.0
        self.limit = 0.0
        # FIFO of [arrival tick, tries made before this one, requests, abandoned?]
        self.queue: deque[list[float]] = deque()
        self.queued = 0.0
        self.due: dict[int, list[float]] = {}  # tick -> requests retrying by tries made
        self.failed = 0.0  # this tick's fast rejections and timeouts
        self.wait = 0.0  # seconds the newest request waits for its turn
        self._carry = 0.0  # fractions of a request, so counts stay whole and add up

    def capacity(self, groups: list[Group]) -> float:
        """Requests a second the routed pods that answer can serve."""
        alive = {id(g.rs): len(g.alive) for g in groups if g.rs is not None}
        return self.sim.spec.fleet.pod_capacity_rps * sum(alive.values())

    def _tries(self, t: int) -> int:
        if self.policy is not None and t >= self.policy[1]:
            self.attempts = self.policy[0]
        return self.attempts

    def _fail(self, t: int, made: int, n: float) -> None:
        """`n` requests on their try number `made` + 1 failed now: they retry if allowed."""
        if n <= 0:
            return
        self.failed += n
        if made + 1 < self._tries(t):
            slot = self.due.setdefault(t + max(1, self.spec.retry_s), [0.0] * 10)
            slot[made + 1] += n

    def admit(self, t: int, offered: int, groups: list[Group]) -> int:
        self.failed = 0.0
        if not self.queue and t not in self.due and not (self.shed or self.limit) and (
                not self.lock_from <= t < self.lock_until):
            self.wait = 0.0
            return offered  # nothing queued or refused: the fleet takes it as it comes
        arrivals = self.due.pop(t, [0.0] * 10)
        arrivals[0] += offered
        cap = self.capacity(groups)
        room = max(0.0, self.spec.queue_limit - self.queued)
        allowed = self.limit if self.limit > 0 else float("inf")
        for made, n in enumerate(arrivals):
            if n <= 0:
                continue
            shed = n * self.shed
            keep = min(n - shed, allowed, room)
            allowed -= keep
            room -= keep
            self._fail(t, made, n - keep)  # refused at once: 503, 429 or a full queue
            if keep > 0:
                self.queue.append([t, made, keep, 0.0])
                self.queued += keep
        timeout = self.spec.timeout_s
        for entry in self.queue:  # clients whose wait reached the timeout give up
            if entry[0] + timeout > t:
                break
            if not entry[3]:
                entry[3] = 1.0
                self._fail(t, int(entry[1]), entry[2])
        served = 0.0
        budget = 0.0 if self.lock_from <= t < self.lock_until else cap
        while budget > 0 and self.queue:
            entry = self.queue[0]
            take = min(budget, entry[2])
            budget -= take
            entry[2] -= take
            self.queued -= take
            if not entry[3]:
                served += take  # answered in time; an abandoned one is wasted work
            if entry[2] <= 1e-9:
                self.queue.popleft()
        self.wait = self.queued / cap if cap else 0.0
        whole = served + self._carry
        self._carry = whole - int(whole)
        return int(whole)

    def settle(self, t: int, res: TickResult) -> None:
        add_failed(self.sim, res, round(self.failed))
        if not self.sim.lean:
            slower(res, self.wait)

    def quiet(self, t: int) -> bool:
        if t < self.lock_until or self.queue or self.due or self.shed > 0:
            return False
        sim = self.sim
        burst = sim.load.peak(t, sim.duration) * (1 + 6 * sim.spec.traffic.noise)
        return not self.limit or self.limit >= burst  # a limit below a burst still refuses

    def act(self, sim: Simulation, a: Action, t: int, by: str) -> Result:
        if a.name == "release-lock":
            if t < self.lock_from:
                return False, "no session holds a lock on the table yet"
            if t >= self.lock_until:
                return False, "the lock is already gone"
            self.lock_until = t + 1
            return True, ("pg_terminate_backend on the migration's session: the lock is "
                          "released and the migration rolled back; the queued requests "
                          f"({round(self.queued):,}) are served in order from now on")
        value = float(a.args[0].rstrip("%"))
        if a.name == "retries":
            when = t + self.spec.config_s
            self.policy = (int(value), when)
            return True, (f"clients fetch the new policy ({int(value)} tries a request) by "
                          f"{elapsed(when)}")
        if a.name == "shed":
            self.shed = value / 100
            return True, f"the load balancer now answers {value:g}% of requests with a 503"
        self.limit = value
        if value <= 0:
            return True, "rate limit removed"
        return True, (f"at most {value:g} requests a second enter the queue; the rest get "
                      "a 429 at once")
