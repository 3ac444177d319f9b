"""The systems around the fleet that some incidents need, between the load and the server.

A scenario may have WebSocket gateways (`wsgate`), retrying clients in front of a queue
(`retrystorm`), a failed primary region (`failover`) or cross-region replication
(`replication`). Each such model sees the second's offered requests before the serving
kernel does and passes on only those that reach the fleet; after the kernel has served
them it adds what it failed or degraded itself to the tick's result, so the metrics, the
alert, users affected and the outcome count them like any other bad request.

With none of them the engine's serving is unchanged: `serve` calls the kernel with the
offered load as it is, and no model draws from the seeded RNG.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from .actions import Action
from .serve import Group, TickResult, VersionStats

if TYPE_CHECKING:  # the engine builds this container
    from .engine import Simulation

Result = tuple[bool, str]
NONE = "(none)"  # what no fleet version served, as the kernel labels unrouted requests


class Model(Protocol):
    """One system's per-second behaviour and its actions."""

    actions: frozenset[str]

    def admit(self, t: int, offered: int, groups: list[Group]) -> int:
        """Requests of the `offered` that reach the fleet (routed as `groups`) this
        second."""

    def settle(self, t: int, res: TickResult) -> None:
        """Add the model's own failures (and what it learns from the served ones)."""

    def quiet(self, t: int) -> bool:
        """Nothing the model holds can fail a request again."""

    def act(self, sim: Simulation, a: Action, t: int, by: str) -> Result: ...


def add_failed(sim: Simulation, res: TickResult, n: int, degraded: int = 0) -> None:
    """Count `n` requests that never reached the fleet as failed (and `degraded` of the
    served ones as wrong answers), for the same users the kernel would blame."""
    if n > 0:
        res.offered += n
        res.failed += n
        res.incident += n
        sim.users.add(n)
        vs = res.versions.get(NONE)
        if vs is None:
            vs = res.versions[NONE] = VersionStats()
        vs.requests += n
        vs.failed += n
        vs.incident += n
    if degraded > 0:
        res.degraded += degraded
        sim.users.add(degraded)


def slower(res: TickResult, wait_s: float) -> None:
    """Requests that queued `wait_s` before the fleet answered them: the latency users saw."""
    if wait_s > 0 and res.served:
        res.p50 += 1000 * wait_s
        res.p99 += 1000 * wait_s


class Incidents:
    """The scenario's models, in a fixed order (the order their admits nest in)."""

    def __init__(self, sim: Simulation) -> None:
        from . import failover, replication, retrystorm, wsgate

        spec = sim.spec
        self.sim = sim
        self.models: list[Model] = []
        if spec.gateways is not None:
            self.models.append(wsgate.Gateways(sim, spec.gateways))
        if spec.retries is not None:
            self.models.append(retrystorm.RetryStorm(sim, spec.retries))
        if spec.failover is not None:
            self.models.append(failover.Failover(sim, spec.failover))
        if spec.replication is not None:
            self.models.append(replication.Replication(sim, spec.replication))

    def serve(self, t: int, groups: list[Group], offered: int) -> TickResult:
        sim = self.sim
        if not self.models:
            return sim.server.serve(t, groups, offered)
        for m in self.models:
            offered = m.admit(t, offered, groups)
        res = sim.server.serve(t, groups, offered)
        for m in reversed(self.models):
            m.settle(t, res)
        return res

    def quiet(self, t: int) -> bool:
        return all(m.quiet(t) for m in self.models)

    def act(self, sim: Simulation, a: Action, t: int, by: str) -> Result:
        for m in self.models:
            if a.name in m.actions:
                return m.act(sim, a, t, by)
        return False, f"nothing in this scenario answers '{a.name}' ({HELP[a.name]})"


# Why an action has nothing to act on, when the scenario lacks its system.
HELP = {
    "admission": "no WebSocket gateways", "jitter": "no WebSocket gateways",
    "restart-gateway": "no WebSocket gateways", "add-gateway": "no WebSocket gateways",
    "disconnect": "no WebSocket gateways",
    "release-lock": "no lock held by a migration", "retries": "no retrying clients",
    "shed": "no load shedder in front of a queue", "rate-limit": "no rate limiter here",
    "admit": "no failover region", "failback": "no failover region",
    "region-weight": "no region migration", "promote-replica": "no replica to promote",
    "parallel-apply": "no replica", "pause-batch": "no batch job feeding a replica",
}
ACTIONS = frozenset(HELP)


def act(sim: Simulation, a: Action, t: int, by: str) -> Result:
    """The engine's entry for every action these models answer."""
    return sim.incidents.act(sim, a, t, by)
