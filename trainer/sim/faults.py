"""Fault models: what each fault does to the requests a group of pods serves.

A fault is fixed for a pod template once a version listed in its `fixed_in` has been
deployed (the fix then travels with every later deploy, see `Template.fixes`), and rolling
back to a template from before the fix brings the fault back, as it would in production.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from trainer.bank.simulation import Fault

from .flags import FlagState
from .pods import Cluster, Template


@dataclass(slots=True)
class Effect:
    """What the faults do to one group's requests this tick."""

    error: float = 0.0  # share of served requests that fail because of a fault
    degraded: float = 0.0  # share answered 200 but wrongly
    business: float = 0.0  # share of the business metric lost
    lat_factor: float = 1.0
    added_p50: float = 0.0
    added_p99: float = 0.0
    base_factor: float = 1.0  # multiplier on the healthy baseline error rate
    cohort: float = 1.0  # narrowest user cohort the bad responses fall on
    data_risk: float = 0.0  # share of bad responses that put written data at risk
    db_queries: float = -1.0  # queries per request if a fault changes it


class Faults:
    def __init__(self, faults: tuple[Fault, ...], flags: dict[str, FlagState],
                 cluster: Cluster, fleet_new: str) -> None:
        self.faults = faults
        self.flags = flags
        self.first_served: dict[str, int] = {}
        self.share: dict[str, float] = {}
        self.migrated = False
        self.lock_until = -1
        self.migrations = [f for f in faults if f.kind == "schema_migration"]
        for f in faults:
            version = f.version or fleet_new
            if f.kind == "memory_leak":
                cluster.leaks[version] = f.leak_mib_per_min
            elif f.kind == "crash_loop":
                cluster.crash_every[version] = f.crash_every
        cluster.abrupt = self.abrupt

    @staticmethod
    def name(f: Fault) -> str:
        return f.id or f.kind

    def fixed(self, f: Fault, tpl: Template) -> bool:
        return self.name(f) in tpl.fixes

    def fixes_for(self, version: str) -> frozenset[str]:
        return frozenset(self.name(f) for f in self.faults if version in f.fixed_in)

    def abrupt(self, tpl: Template) -> bool:
        return any(f.kind == "abrupt_shutdown" and (not f.version or f.version == tpl.version)
                   and not self.fixed(f, tpl) for f in self.faults)

    def _strength(self, f: Fault, t: int, key: str, share: float) -> float:
        start = self.first_served.get(key)
        if start is None or share < f.min_share or share <= 0:
            return 0.0
        age = t - start - f.onset_s
        if age < 0:
            return 0.0
        return 1.0 if f.ramp_s == 0 else min(1.0, (age + 1) / f.ramp_s)

    def migrate(self, t: int) -> list[str]:
        """Run due migrations; returns event lines."""
        out = []
        for f in self.migrations:
            if not self.migrated and t == f.at_s and self.lock_until < 0:
                self.migrated = True
                out.append(f"migration {self.name(f)} applied: schema now requires the new "
                           "column (irreversible without data loss)")
        return out

    def down_migrate(self, t: int) -> int:
        """Run the down-migration: a table lock, and the new column's data is gone."""
        lock = max((f.lock_s for f in self.migrations), default=0)
        self.migrated = False
        self.lock_until = t + lock
        return lock

    def effect(self, tpl: Template, t: int,
               cdn_mismatch: Callable[[str], float] | None) -> Effect:
        e = Effect()
        for f in self.faults:
            if self.fixed(f, tpl):
                continue
            kind = f.kind
            if kind in ("bad_version", "skip_work"):
                flag = self.flags.get(f.version)
                if flag is not None:
                    pct = flag.effective(t) / 100
                    exposure = pct * self._strength(f, t, f.version, pct)
                    cohort = pct
                elif tpl.version == f.version:
                    exposure = self._strength(f, t, f.version, self.share.get(f.version, 0.0))
                    cohort = 1.0
                else:
                    continue
                self._apply(e, f, exposure * f.segment, min(cohort, f.segment))
            elif kind == "db_saturation" and tpl.version == f.version:
                e.db_queries = f.queries_per_request
            elif kind == "schema_migration":
                broken = (self.migrated and tpl.version in f.breaks) or (
                    not self.migrated and self.lock_until >= 0 and tpl.version == f.version)
                if broken:
                    self._apply(e, f, 1.0, 1.0)
            elif kind == "stale_cdn" and cdn_mismatch is not None:
                e.degraded += cdn_mismatch(tpl.version) * max(f.degraded_rate, 0.0)
            elif kind == "flag_interaction":
                a, b = self.flags.get(f.flag_a), self.flags.get(f.flag_b)
                if a is not None and b is not None:
                    both = a.effective(t) * b.effective(t) / 1e4
                    if both > 0:
                        self._apply(e, f, both, both)
        e.error = min(1.0, e.error)
        e.degraded = min(1.0 - e.error, e.degraded)
        return e

    @staticmethod
    def _apply(e: Effect, f: Fault, exposure: float, cohort: float) -> None:
        if exposure <= 0:
            return
        e.error += exposure * f.error_rate
        e.degraded += exposure * f.degraded_rate
        e.business += exposure * f.business_drop
        # A user who abandons a broken flow was served a 200 but still let down.
        e.degraded += exposure * f.business_drop
        e.added_p50 += exposure * f.added_latency_ms
        # The p99 sees the fault fully once more than 1% of requests carry it.
        e.added_p99 += min(1.0, exposure / 0.01) * f.added_latency_ms
        if f.latency_factor != 1.0:
            e.lat_factor *= 1 + exposure * (f.latency_factor - 1)
            if f.kind == "skip_work":
                # Less work per request also means fewer chances to fail.
                e.base_factor *= 1 + exposure * (f.latency_factor - 1)
        if f.error_rate or f.degraded_rate or f.business_drop:
            e.cohort = min(e.cohort, cohort)
        if f.data_risk:
            e.data_risk = 1.0
