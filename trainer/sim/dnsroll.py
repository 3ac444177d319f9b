"""A weighted DNS shift between two regions, with caches that outlive every change.

`drain` is the load-balancer-level lever: the new region's ingress forwards to the old
region within seconds, whatever the resolvers still have cached. It is also the only thing
that ends the tail of clients that ignore the TTL: waiting for the TTL does not.
"""

from __future__ import annotations

from .actions import Action
from .dns import DnsState
from .steps import WeightSteps
from .strategy import Result, Route, Strategy
from .world import World


class DnsShift(Strategy):
    tool = "dns"

    def __init__(self, world: World) -> None:
        super().__init__(world)
        fleet, params = self.fleet, self.params
        self.old_name, self.new_name = fleet.old_version, fleet.new_version
        cluster = world.cluster
        base = world.initial_template()
        self.old = cluster.replica_set(base, 1, 0, owner=self.old_name)
        self.new = cluster.replica_set(self.template_for(base, fleet.new_version), 1, 0,
                                       owner=self.new_name)
        for rs in (self.old, self.new):
            rs.spec = fleet.replicas
            for _ in range(fleet.replicas):
                cluster.create_pod(rs, 0, ready_now=True)
        # Drawn once per seed: how many clients of this service happen to ignore the TTL.
        stragglers = params.ignore_ttl_share * (0.5 + world.rng.random())
        self.dns = DnsState(params.ttl_s, params.keepalive_s, stragglers=stragglers,
                            straggler_s=params.ignore_ttl_s)
        self.steps = WeightSteps(params.steps, self._set)
        self.drain_t: int | None = None

    def _set(self, t: int, pct: int) -> None:
        self.dns.set_weight(t, pct)
        self.world.log(t, f"DNS weight of {self.new_name} set to {pct}% (TTL {self.dns.ttl}s)")

    def tick(self, t: int) -> None:
        self.steps.tick(t)

    def _drained(self, t: int) -> float:
        if self.drain_t is None:
            return 0.0
        lag = self.params.switch_lag_s
        return 1.0 if not lag else min(1.0, (t - self.drain_t) / lag)

    def routes(self, t: int) -> list[Route]:
        share = self.dns.share(t)
        moved = share * self._drained(t)
        new = share - moved
        return [(1.0 - new, [self.old], 1.0), (new, [self.new], max(share, 1e-6))]

    def new_share(self, t: int) -> float:
        return self.dns.share(t) * (1.0 - self._drained(t))

    def settled(self, t: int) -> bool:
        # A drained region serves nobody, so the stragglers' cached answers no longer matter.
        drained = self.drain_t is not None and self._drained(t) >= 1.0
        resting = self.dns.settled and (self.drain_t is None or drained)
        return (self.steps.done or self.steps.halted) and (resting or drained)

    def status(self) -> str:
        return f"DNS weight {100 * self.dns.weight:g}% to {self.new_name}"

    def do_set_weight(self, a: Action, t: int) -> Result:
        self.steps.halted = True
        self._set(t, int(float(a.args[0].rstrip("%"))))
        return True, f"record updated; resolvers follow over TTL + keep-alive " \
                     f"(~{self.dns.ttl + self.dns.keepalive}s), clients that ignore the TTL " \
                     "over hours"

    def do_undo(self, a: Action, t: int) -> Result:
        self.steps.halted = True
        self._set(t, 0)
        return True, f"record points back at {self.old_name}; cached answers keep sending " \
                     f"clients to {self.new_name} for up to TTL + keep-alive, and clients " \
                     "that ignore the TTL for hours, until its load balancer turns them away"

    def do_ttl(self, a: Action, t: int) -> Result:
        ttl = int(float(a.args[0]))
        self.dns.set_ttl(t, ttl)
        return True, f"TTL now {ttl}s for new lookups; answers already cached keep their " \
                     "old TTL"

    def do_drain(self, a: Action, t: int) -> Result:
        if a.args[0] != self.new_name:
            return False, f"drain {self.new_name} (the region being shifted to); " \
                          f"'{a.args[0]}' is not it"
        self.drain_t = t
        return True, f"{self.new_name} ingress now forwards to {self.old_name}"

    def do_pause(self, a: Action, t: int) -> Result:
        self.steps.paused = True
        return True, "DNS shift paused at the current weight"

    def do_resume(self, a: Action, t: int) -> Result:
        self.steps.paused = False
        return True, "DNS shift resumed"

    def do_promote(self, a: Action, t: int) -> Result:
        self.steps.promote(bool(a.args), t)
        return True, "DNS shift advanced"
