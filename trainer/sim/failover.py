"""A primary region that goes hard down, and DNS failover to a cold standby region.

The simulated fleet is the standby region; the primary is modelled only by where its
traffic goes. The model follows Route 53's health-check failover (docs.aws.amazon.com/
Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html: an
endpoint is unhealthy after `FailureThreshold` consecutive failed checks, 3 by default,
one every `RequestInterval` of 30 s or, fast, 10 s, and resolvers keep the old answer
for its TTL) and the Kubernetes
HorizontalPodAutoscaler (kubernetes.io/docs/tasks/run-application/horizontal-pod-
autoscale/: it acts on a metrics window and its new pods still pull, start and warm):

* From `down_at_s` every request that reaches the primary fails. `detect_s` later the
  health checks flip the record, and resolvers move to the standby evenly over `ttl_s`.
* The standby is cold: its pods start cold (`fleet.old_warmth`, capacity and latency
  from the serving kernel) and its cache is empty (a `cache_flush` fault at the start),
  so every request misses and goes to the database, which sheds what is over its
  capacity, and a shedding database refills the cache slowly (`trainer.sim.cache`).
  Held past `db_fail_load` times its capacity for `db_fail_s`, the standby database
  stops answering altogether (its connections exhausted, then a restart with crash
  recovery, `db_restart_s`), and comes back to the same cold cache: the regional
  failure has become a total one, and it repeats while the load stays.
* The autoscaler scales the standby to `hpa_replicas` `hpa_s` after the load arrives; its
  pods then take the fleet's image pull and startup, and more cold pods serving more
  misses add to the database's load instead of relieving it.
* `admit PERCENT` is admission at the standby's edge: that share of arriving requests is
  let in and the rest get a fast 503, so the database stays under its capacity while the
  cache warms (the gradual ramp of a warm-up); `scale REPLICAS` pre-scales by hand;
  `warm-cache` loads the hottest keys; `failback` points DNS back at the primary, which,
  hard down, fails everything sent there.

Deterministic: the times follow from the spec and the actions; no draw of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trainer.bank.simsystems import Failover as FailoverSpec

from .actions import Action
from .incidents import Result, add_failed
from .serve import Group, TickResult

if TYPE_CHECKING:
    from .engine import Simulation


class Failover:
    actions = frozenset({"admit", "failback"})

    def __init__(self, sim: Simulation, spec: FailoverSpec) -> None:
        self.sim, self.spec = sim, spec
        self.flip = spec.down_at_s + spec.detect_s
        self.share = 0.0  # of requests resolving to the standby
        self.target = 1.0
        self.step = 1.0 / spec.ttl_s  # resolvers move over one TTL
        self.moving_from = self.flip  # when the current move began
        self.admitted = 1.0
        self.failed = 0
        self.primary = 0  # requests the healthy primary served (before it went down)
        self.hpa_at = self.flip + spec.hpa_s
        self.hot = 0  # seconds the database has spent past what it survives
        self.db_down_until = -1

    def admit(self, t: int, offered: int, groups: list[Group]) -> int:
        spec = self.spec
        if t == self.hpa_at:
            self.sim.schedule(Action(t + 1, "scale", (str(spec.hpa_replicas),)), by="hpa")
        if t >= self.moving_from and self.share != self.target:
            if self.share < self.target:
                self.share = min(self.target, self.share + self.step)
            else:
                self.share = max(self.target, self.share - self.step)
        standby = round(offered * self.share)
        rest = offered - standby
        inside = round(standby * self.admitted)
        down = t >= spec.down_at_s
        self.failed = standby - inside + (rest if down else 0)
        self.primary = 0 if down else rest
        return inside

    def settle(self, t: int, res: TickResult) -> None:
        sim, spec = self.sim, self.spec
        if t < self.db_down_until:
            # Nothing that needs the database succeeds, and no miss refills the cache.
            n = res.served
            res.served, res.failed, res.incident = 0, res.failed + n, res.incident + n
            sim.users.add(n)
            sim.server.shed = 1.0
        elif sim.server.shed >= 1.0 - 1.0 / spec.db_fail_load:
            self.hot += 1
            if self.hot >= spec.db_fail_s:
                self.hot = 0
                self.db_down_until = t + spec.db_restart_s
                sim.log(t, "standby database stops answering: connections exhausted, "
                           f"restarting (about {spec.db_restart_s}s of crash recovery)")
        else:
            self.hot = 0
        add_failed(sim, res, self.failed)
        if self.primary:
            res.offered += self.primary
            res.served += self.primary

    def quiet(self, t: int) -> bool:
        return t >= self.flip and self.share == self.target == 1.0 and (
            self.admitted == 1.0) and t > self.hpa_at + 1 and t >= self.db_down_until and (
            not self.hot)

    def act(self, sim: Simulation, a: Action, t: int, by: str) -> Result:
        if a.name == "admit":
            self.admitted = float(a.args[0].rstrip("%")) / 100
            return True, (f"the standby's edge admits {self.admitted:.0%} of arriving "
                          "requests; the rest get a 503 at once")
        if self.target == 0.0:
            return False, "DNS already points at the primary"
        self.target = 0.0
        self.moving_from = t
        return True, ("the record points at the primary again; resolvers follow over "
                      f"{self.spec.ttl_s}s, and the primary is still down")
