"""The simulation loop: one tick is one simulated second, one seeded RNG.

Everything random draws from `self.rng` in a fixed order (per-seed constants and the order
counts from RNGs seeded with strings derived from the seed), so the same scenario, seed and
actions give the same timeline bit for bit. Each tick: due actions, migrations, the rollout
controllers, pod timers, routing, serving, caches, analysis, the alert, one metrics record.

`fork()` copies a running simulation, so a replay can start from a snapshot instead of
tick 0; `lean` runs skip what only the dashboards read, and `run_to_rest()` stops once
nothing can fail again, which is how counterfactuals and the cost-of-waiting curve stay
cheap.
"""

from __future__ import annotations

import copy
import heapq
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass

from trainer.bank.models import Scenario
from trainer.bank.simulation import Analysis, Build
from trainer.bank.simulation import Simulation as SimSpec

from . import ops
from .actions import Action, parse_action
from .cache import CacheState
from .cdn import CdnState
from .certs import CertState
from .clock import parse_clock
from .faults import Faults
from .flags import FlagState
from .gitops import GitOpsState
from .incidents import Incidents
from .metrics import ActionRecord, Alert, Event, TickMetrics
from .outcome import Outcome, outcome_of
from .pods import NEVER, Cluster, Pod, ReplicaSet, Template
from .serve import Group, Server, TickResult
from .snapshot import share_frozen
from .traffic import ACTIVITY_SHAPES, Load, Users

QUIET_TICKS = 5  # incident-free ticks before a settled run may stop early


@dataclass(slots=True)
class Totals:
    """Running sums since tick 0: what every metrics record reports, and all a lean run
    keeps."""

    incident_failed: int = 0
    degraded: int = 0
    data_at_risk: float = 0.0
    new_column_writes: float = 0.0  # writes since the migration that went to its column


class Simulation:
    """A running simulation of one scenario's deployment."""

    def __init__(self, spec: SimSpec, seed: int | None = None,
                 actions: Iterable[str | Action] = (), name: str = "") -> None:
        from .strategies import build

        self.spec = spec
        self.name = name
        self.seed = spec.seed if seed is None else seed
        self.rng = random.Random(self.seed)
        self.t = 0
        self.duration = spec.timeline.duration_s
        self.start_of_day = parse_clock(spec.timeline.start_clock)
        self.events: list[Event] = []
        self.metrics: list[TickMetrics] = []
        self.actions: list[ActionRecord] = []
        self.analysis = spec.analysis or Analysis()
        self.lean = False
        fleet, tr, a = spec.fleet, spec.traffic, self.analysis
        self.versions: dict[str, Build | None] = {fleet.old_version: None,
                                                  fleet.new_version: None}
        self.versions.update((b.version, b) for b in spec.builds)
        self.building: dict[str, int] = {}  # version -> tick its image is pushed
        self.built = {v for v, b in self.versions.items() if b is None or not b.lead_time_s}
        self.cluster = Cluster(fleet, self.rng, self.log)
        self.flags = {f.key: FlagState(f) for f in spec.flags}
        self.faults = Faults(spec.faults, self.flags, self.cluster, fleet.new_version,
                             self.seed)
        self.cdn = CdnState(spec.cdn, fleet.old_version) if spec.cdn else None
        self.certs, self.cache = CertState.of(spec.faults), CacheState.of(spec.faults)
        self.gitops = GitOpsState(spec.gitops, fleet.new_version) if spec.gitops else None
        self.incidents = Incidents(self)
        lo, hi = ACTIVITY_SHAPES
        shape = math.exp(random.Random(f"users:{self.seed}").uniform(math.log(lo), math.log(hi)))
        self.users = Users(tr.users, shape)
        self.load = Load(tr, self.start_of_day)
        self.alert = Alert(a.alert_window_s, a.alert_for_s, a.alert_eval_s,
                           tr.baseline_error_rate, tr.p99_ms)
        self.alert.points = a.error_points
        self.alert.p99_factor = a.p99_factor
        self.alert.business_drop = a.business_drop
        # Intervals when someone is looking: from a page's acknowledgement until the alert
        # resolves, or from an automated abort on. Detection is the first incident tick
        # inside one.
        self.watch: list[list[int]] = []
        self._paged: list[int] | None = None
        self._acks: list[int] = []
        if spec.timeline.page_at_s:  # the scenario's own page: the briefing moment
            self.watch.append([spec.timeline.page_at_s, NEVER])
        self.budget = max(1.0, (1 - tr.slo / 100) * tr.rps * 86400 * 30)
        self.server = Server(self)
        self.strategy = build(self)
        self.last = TickResult()
        self._groups_last: list[Group] = []
        self._groups_key: object = None
        self._queue: list[tuple[int, int, Action, str]] = []
        self._seq = 0
        for line in spec.timeline.script:
            self.schedule(line, by="script")
        for act in actions:
            self.schedule(act)
        self._counts_at = -1
        self._counts: dict[ReplicaSet, tuple[int, list[Pod]]] = {}
        self._pods_at = -1
        self._pods: tuple[tuple[str, str, int], ...] = ()
        self.totals = Totals()
        self._quiet = 0
        self.strategy.start(0)

    @classmethod
    def from_scenario(cls, scenario: Scenario, seed: int | None = None,
                      actions: Iterable[str | Action] = ()) -> Simulation:
        if scenario.simulation is None:
            raise ValueError(f"scenario {scenario.id} has no simulation block")
        return cls(scenario.simulation, seed, actions, name=scenario.id)

    # --- actions --------------------------------------------------------------------------
    def schedule(self, action: str | Action, by: str = "you") -> None:
        """Queue an action for its tick (parse errors raise ActionError at once)."""
        a = parse_action(action) if isinstance(action, str) else action
        self._seq += 1
        heapq.heappush(self._queue, (a.t, self._seq, a, by))

    def replan(self, actions: Iterable[Action]) -> None:
        """Replace your queued actions with these (a variant of your plan from now on)."""
        self._queue = [q for q in self._queue if q[3] != "you"]
        heapq.heapify(self._queue)
        for a in actions:
            if a.t >= self.t:
                self.schedule(a)

    def apply(self, action: str | Action, by: str = "you") -> ActionRecord:
        """Apply an action now (at the current tick); the record says if it was accepted."""
        a = parse_action(action, default_t=self.t) if isinstance(action, str) else action
        ok, reason = self._dispatch(a, self.t, by)
        rec = ActionRecord(self.t, a.text, ok, reason, by)
        self.actions.append(rec)
        self.log(self.t, f"{'' if ok else 'REFUSED '}{by}: {a.text} -> {reason}")
        return rec

    def _dispatch(self, a: Action, t: int, by: str) -> tuple[bool, str]:
        name = a.name
        if name == "deploy":
            gated = ops.deploy(self, a, t, by)
            if gated is not None:
                return gated
        elif name in ops.ENGINE_ACTIONS:
            return ops.ENGINE_ACTIONS[name](self, a, t, by)
        return self.strategy.apply(a, t)

    def add_data_at_risk(self, writes: float) -> None:
        self.totals.data_at_risk += writes

    def new_column_writes(self) -> float:
        return self.totals.new_column_writes

    # --- the loop ---------------------------------------------------------------------------
    def step(self, n: int = 1) -> None:
        """Advance n ticks (never past the duration)."""
        for _ in range(n):
            if self.t >= self.duration:
                return
            self._tick()

    def run(self) -> Simulation:
        self.step(self.duration - self.t)
        return self

    def run_to_rest(self) -> Simulation:
        """Run to the end, or stop early once `settled()`: nothing can fail from then on,
        so the damage totals are final (the metrics then end early)."""
        while self.t < self.duration:
            self._tick()
            if self._quiet >= QUIET_TICKS and self.t % 10 == 0 and self.settled():
                break
        return self

    def log(self, t: int, text: str) -> None:
        self.events.append(Event(t, text))

    def _tick(self) -> None:
        t = self.t
        while self._queue and self._queue[0][0] <= t:
            _, _, a, by = heapq.heappop(self._queue)
            self.apply(a, by)
        for line in self.faults.migrate(t):
            self.log(t, line)
        self.strategy.tick(t)
        self.cluster.tick(t)
        groups = self._groups(t)
        res = self.incidents.serve(t, groups, self.load.offered(t, self.rng))
        self.last = res
        self._groups_last = groups
        self._after_serve(t, groups, res)
        self.strategy.observe(t, res)
        self._account(res)
        if not self.lean:
            self._alerting(t, self._record(t, res))
        self.t += 1

    def _alerting(self, t: int, m: TickMetrics) -> None:
        if self._acks and self._acks[0] <= t:
            self._acks.pop(0)
            self.log(t, f"on-call acknowledges the page ({self.analysis.reaction_s}s after "
                        "it fired)")
        change = self.alert.feed(m)
        if change is None:
            return
        fired, reason = change
        if fired:
            ack = t + self.analysis.reaction_s
            self.log(t, f"ALERT firing: {reason} (held {self.alert.for_s}s); paging on-call")
            self._paged = [ack, NEVER]
            self.watch.append(self._paged)
            if self.analysis.reaction_s:
                self._acks.append(ack)
        else:
            self.log(t, "alert resolved")
            if self._paged is not None:
                # A page acknowledged after it resolved still gets one look.
                self._paged[1] = max(self._paged[0], t)
                self._paged = None

    def detect(self, t: int) -> None:
        """The tooling acted on its own (an automated abort): someone is told at once."""
        self.watch.append([t, NEVER])

    @property
    def detected_at(self) -> int | None:
        return self.outcome().detect_t

    def _groups(self, t: int) -> list[Group]:
        if self._counts_at != self.cluster.version:
            self._counts_at = self.cluster.version
            self._counts = {}
            for rs in self.cluster.sets:
                routable = [p for p in rs.pods if p.routable(t)]
                alive = [p for p in routable if p.alive(t)]
                self._counts[rs] = (len(routable), alive)
        routes = self.strategy.routes(t)
        key = (self._counts_at, tuple((share, tuple(map(id, sets)), cohort)
                                      for share, sets, cohort in routes))
        if key == self._groups_key:
            return self._groups_last  # same pods, same routes: the same groups
        self._groups_key = key
        groups = []
        for share, sets, cohort in routes:
            if share <= 0:
                continue
            total = sum(self._counts.get(rs, (0,))[0] for rs in sets)
            if total == 0:
                groups.append(Group(None, share, cohort))
                continue
            for rs in sets:
                n, alive = self._counts.get(rs, (0, []))
                if n:
                    groups.append(Group(rs, share * n / total, cohort, n, alive))
        return groups

    def _after_serve(self, t: int, groups: list[Group], res: TickResult) -> None:
        offered = res.offered or 1
        shares = {v: s.requests / offered for v, s in res.versions.items()}
        self.faults.share = shares
        routable = sum(g.routable for g in groups if g.rs is not None)
        self.cluster.per_pod_rps = res.offered / routable if routable else 0.0
        for v, s in res.versions.items():
            if s.requests and v not in self.faults.first_served:
                self.faults.first_served[v] = t
        for key, flag in self.flags.items():
            if flag.effective(t) > 0 and key not in self.faults.first_served:
                self.faults.first_served[key] = t
        fleet = self.spec.fleet
        if fleet.warmup_s:
            fed = {g.rs for g in groups if g.rs is not None}
            for rs in self.cluster.sets:
                f = 1.0 if rs in fed else self.strategy.warming(rs)
                rs.warmth += (f * (1.0 - rs.warmth) / fleet.warmup_s
                              - (1.0 - f) * rs.warmth / fleet.cooldown_s)
        if self.cdn is not None:
            self.cdn.tick(t, shares)
        if self.cache is not None:
            self.cache.tick(t, self.server.shed)

    def _account(self, res: TickResult) -> None:
        tot = self.totals
        tot.incident_failed += res.incident
        tot.degraded += res.degraded
        tot.data_at_risk += res.data_risk
        self._quiet = 0 if (res.incident or res.degraded) else self._quiet + 1
        if self.faults.migrated:
            share = self.spec.traffic.write_share
            for f in self.faults.migrations:
                tot.new_column_writes += share * sum(
                    s.requests - s.failed for v, s in res.versions.items() if v not in f.breaks
                    and v != "(none)")

    def _record(self, t: int, res: TickResult) -> TickMetrics:
        if self._pods_at != self.cluster.version:
            self._pods_at = self.cluster.version
            self._pods = self.cluster.phase_table()
        totals = self.totals
        m = TickMetrics(
            t=t,
            requests=res.offered,
            served=res.served,
            failed=res.failed,
            incident_failed=res.incident,
            degraded=res.degraded,
            error_rate=res.failed / res.offered if res.offered else 0.0,
            p50_ms=round(res.p50, 2),
            p99_ms=round(res.p99, 2),
            new_share=round(self.strategy.new_share(t), 4),
            business=res.business,
            business_expected=res.expected,
            orders_lost=res.orders_lost,
            users_affected=round(self.users.affected()),
            budget_burned=100 * totals.incident_failed / self.budget,
            data_at_risk=totals.data_at_risk,
            versions=tuple(sorted((v, s.requests, s.failed) for v, s in res.versions.items())),
            pods=self._pods,
        )
        self.metrics.append(m)
        return m

    # --- snapshots and rest -------------------------------------------------------------
    def fork(self) -> Simulation:
        """An independent copy of the running simulation; the spec and the immutable past
        (metrics, events, action records) are shared, not copied."""
        memo: dict[int, object] = {id(self.metrics): list(self.metrics),
                                   id(self.events): list(self.events),
                                   id(self.actions): list(self.actions)}
        share_frozen(self.spec, memo)
        share_frozen(self.analysis, memo)
        twin = copy.deepcopy(self, memo)
        twin._counts_at = twin._pods_at = -1
        twin._groups_key = None
        return twin

    def settled(self) -> bool:
        """True when nothing can fail or go wrong again before the end: no action queued or
        building, no pod timer due, the rollout at rest, no fault that can act on what
        runs, no flag change on its way, and capacity for the busiest traffic to come."""
        t = self.t
        if self._queue or self.building or self.cluster.next_t < NEVER:
            return False
        if self.cluster.pending_cut or not self.strategy.settled(t):
            return False
        running = {rs.template for rs in self.cluster.sets if rs.live()}
        if not self.faults.quiet(running, t) or not all(
                f.settled for f in self.flags.values()):
            return False
        if (self.certs is not None and not self.certs.quiet(self.cluster.pods(), t)) or (
                self.cache is not None and not self.cache.quiet(t)) or (
                not self.incidents.quiet(t)):
            return False
        peak = self.load.peak(t, self.duration)
        return self.server.headroom(self._groups_last, peak)

    def outcome(self) -> Outcome:
        return outcome_of(self)

    # --- helpers for strategies -------------------------------------------------------------
    def initial_template(self) -> Template:
        f = self.spec.fleet
        return Template(f.old_version, frozenset(), f.termination_grace_s, f.memory_limit_mib,
                        f.pool_size, f.prestop_s)

    def build(self, version: str) -> Build | None:
        return self.versions.get(version)

    def version_share(self, version: str) -> float:
        offered = self.last.offered
        vs = self.last.versions.get(version)
        return vs.requests / offered if vs and offered else 0.0

