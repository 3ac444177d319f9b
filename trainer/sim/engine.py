"""The simulation loop: one tick is one simulated second, one seeded RNG.

Everything random draws from `self.rng` in a fixed order, so the same scenario, seed and
actions give the same timeline bit for bit. Each tick: due actions, migrations, the rollout
controllers, pod timers, routing, serving, caches, analysis, the alert, one metrics record.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from trainer.bank.models import Scenario
from trainer.bank.simulation import Analysis
from trainer.bank.simulation import Simulation as SimSpec

from .actions import Action, parse_action
from .cdn import CdnState
from .clock import parse_clock
from .faults import Faults
from .flags import FlagState
from .metrics import ActionRecord, Alert, Event, TickMetrics
from .outcome import Outcome, outcome_of
from .pods import Cluster, Pod, Template
from .serve import Group, Server, TickResult
from .traffic import Load, Users


@dataclass(slots=True)
class _Totals:
    """Running sums since tick 0 that every metrics record reports."""

    incident_failed: int = 0
    data_at_risk: float = 0.0


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
        tr = spec.traffic
        self.cluster = Cluster(spec.fleet, self.rng, self.log)
        self.flags = {f.key: FlagState(f) for f in spec.flags}
        self.faults = Faults(spec.faults, self.flags, self.cluster, spec.fleet.new_version)
        self.cdn = CdnState(spec.cdn, spec.fleet.old_version) if spec.cdn else None
        self.users = Users(tr.users)
        self.load = Load(tr, self.start_of_day)
        self.alert = Alert(self.analysis.alert_for_s, tr.baseline_error_rate, tr.p99_ms)
        self.alert.points = self.analysis.error_points
        self.alert.p99_factor = self.analysis.p99_factor
        self.alert.business_drop = self.analysis.business_drop
        self.budget = max(1.0, (1 - tr.slo / 100) * tr.rps * 86400 * 30)
        self.server = Server(self)
        self.strategy = build(self)
        self.detected_at: int | None = None
        self.onset: int | None = None
        self.last = TickResult()
        self._queue: list[tuple[int, int, Action, str]] = []
        for line in spec.timeline.script:
            self.schedule(line, by="script")
        for a in actions:
            self.schedule(a)
        self._counts_at = -1
        self._counts: dict[int, tuple[int, list[Pod]]] = {}
        self._pods_at = -1
        self._pods: tuple[tuple[str, str, int], ...] = ()
        self._totals = _Totals()
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
        self._queue.append((a.t, len(self._queue), a, by))
        self._queue.sort(key=lambda q: (q[0], q[1]))

    def apply(self, action: str | Action, by: str = "you") -> ActionRecord:
        """Apply an action now (at the current tick); the record says if it was accepted."""
        a = parse_action(action, default_t=self.t) if isinstance(action, str) else action
        ok, reason = self._dispatch(a, self.t)
        rec = ActionRecord(self.t, a.text, ok, reason, by)
        self.actions.append(rec)
        self.log(self.t, f"{'' if ok else 'REFUSED '}{by}: {a.text} -> {reason}")
        return rec

    def _dispatch(self, a: Action, t: int) -> tuple[bool, str]:
        name = a.name
        if name == "flag":
            return self._flag(a, t)
        if name == "purge":
            if self.cdn is None:
                return False, "no CDN in front of this service"
            self.cdn.purge(t)
            return True, f"edge purge started; it takes up to {self.cdn.spec.purge_s}s to " \
                         "reach every edge (browser caches are untouched)"
        if name == "threshold":
            return self._threshold(a)
        if name == "migrate-down":
            if not self.faults.migrated:
                return False, "nothing to migrate down: no migration has run"
            lock = self.faults.down_migrate(t)
            self._totals.data_at_risk += self._written_since_migration()
            return True, (f"down-migration holds an ACCESS EXCLUSIVE lock for {lock}s; the "
                          "new column and everything written to it are dropped")
        return self.strategy.apply(a, t)

    def _flag(self, a: Action, t: int) -> tuple[bool, str]:
        key, value = a.args
        flag = self.flags.get(key)
        if flag is None:
            return False, f"flag '{key}' not found (known: {', '.join(self.flags) or 'none'})"
        pct = 0.0 if value == "off" else (100.0 if value == "on" else float(value.rstrip("%")))
        flag.set(t, pct)
        return True, f"flag {key} now serves {pct:g}% (reaches SDKs by their propagation)"

    def _threshold(self, a: Action) -> tuple[bool, str]:
        name, value = a.args[0], float(a.args[1])
        if name == "errors":
            self.alert.points = value
        elif name == "p99":
            self.alert.p99_factor = max(1.0, value)
        else:
            self.alert.business_drop = min(1.0, value)
        return True, f"alert threshold {name} set to {value:g}"

    def _written_since_migration(self) -> float:
        at = min((f.at_s for f in self.faults.migrations), default=self.t)
        writes = sum(m.served for m in self.metrics[at:])
        return writes * self.spec.traffic.write_share

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

    def log(self, t: int, text: str) -> None:
        self.events.append(Event(t, text))

    def _tick(self) -> None:
        t = self.t
        while self._queue and self._queue[0][0] <= t:
            _, _, a, by = self._queue.pop(0)
            self.apply(a, by)
        for line in self.faults.migrate(t):
            self.log(t, line)
        self.strategy.tick(t)
        self.cluster.tick(t)
        groups = self._groups(t)
        res = self.server.serve(t, groups, self.load.offered(t, self.rng))
        self.last = res
        self._after_serve(t, groups, res)
        self.strategy.observe(t, res)
        m = self._record(t, res)
        reason = self.alert.feed(m)
        if reason:
            self.log(t, f"ALERT {reason}")
            self.detect(t)
        self.t += 1

    def detect(self, t: int) -> None:
        if self.detected_at is None and self.onset is not None:
            self.detected_at = t

    def _groups(self, t: int) -> list[Group]:
        if self._counts_at != self.cluster.version:
            self._counts_at = self.cluster.version
            self._counts = {}
            for rs in self.cluster.sets:
                routable = [p for p in rs.pods if p.routable(t)]
                alive = [p for p in routable if p.alive(t)]
                self._counts[id(rs)] = (len(routable), alive)
        groups = []
        for share, sets, cohort in self.strategy.routes(t):
            if share <= 0:
                continue
            total = sum(self._counts.get(id(rs), (0,))[0] for rs in sets)
            if total == 0:
                groups.append(Group(None, share, cohort))
                continue
            for rs in sets:
                n, alive = self._counts.get(id(rs), (0, []))
                if n:
                    groups.append(Group(rs, share * n / total, cohort, n, alive))
        return groups

    def _after_serve(self, t: int, groups: list[Group], res: TickResult) -> None:
        offered = res.offered or 1
        shares = {v: s.requests / offered for v, s in res.versions.items()}
        self.faults.share = shares
        for v, s in res.versions.items():
            if s.requests and v not in self.faults.first_served:
                self.faults.first_served[v] = t
        for key, flag in self.flags.items():
            if flag.effective(t) > 0 and key not in self.faults.first_served:
                self.faults.first_served[key] = t
        fleet = self.spec.fleet
        if fleet.warmup_s:
            fed = {id(g.rs) for g in groups if g.rs is not None}
            for rs in self.cluster.sets:
                if id(rs) in fed or self.strategy.warming(rs):
                    rs.warmth += (1.0 - rs.warmth) / fleet.warmup_s
                else:
                    rs.warmth -= rs.warmth / fleet.cooldown_s
        if self.cdn is not None:
            self.cdn.tick(t, shares)
        if self.onset is None and (res.incident or res.degraded):
            self.onset = t

    def _record(self, t: int, res: TickResult) -> TickMetrics:
        if self._pods_at != self.cluster.version:
            self._pods_at = self.cluster.version
            self._pods = self._pod_table(t)
        totals = self._totals
        totals.incident_failed += res.incident
        totals.data_at_risk += res.data_risk
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
            users_affected=round(self.users.affected()),
            budget_burned=100 * totals.incident_failed / self.budget,
            data_at_risk=totals.data_at_risk,
            versions=tuple(sorted((v, s.requests, s.failed) for v, s in res.versions.items())),
            pods=self._pods,
        )
        self.metrics.append(m)
        return m

    def _pod_table(self, t: int) -> tuple[tuple[str, str, int], ...]:
        table: dict[tuple[str, str], int] = {}
        for rs in self.cluster.sets:
            for p in rs.pods:
                if p.terminating:
                    phase = "Terminating"
                elif p.ready:
                    phase = "Ready"
                elif p.phase == "CrashLoopBackOff":
                    phase = "CrashLoopBackOff"
                else:
                    phase = "Starting"
                key = (rs.template.version, phase)
                table[key] = table.get(key, 0) + 1
        return tuple(sorted((v, ph, n) for (v, ph), n in table.items()))

    # --- helpers for strategies -------------------------------------------------------------
    def initial_template(self) -> Template:
        f = self.spec.fleet
        return Template(f.old_version, frozenset(), f.termination_grace_s, f.memory_limit_mib,
                        f.pool_size)

    def version_share(self, version: str) -> float:
        offered = self.last.offered
        vs = self.last.versions.get(version)
        return vs.requests / offered if vs and offered else 0.0

    def outcome(self) -> Outcome:
        return outcome_of(self)
