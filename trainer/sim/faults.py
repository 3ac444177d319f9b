"""Fault models: what each fault does to the requests a group of pods serves.

A fault is fixed for a pod template once a version listed in its `fixed_in` has been
deployed (the fix then travels with every later deploy, see `Template.fixes`), and rolling
back to a template from before the fix brings the fault back, as it would in production.

Each seed draws every fault's severity and onset within a range (a real bug's impact and
timing vary with the traffic that meets it), so that seeds spread outcomes plausibly.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from trainer.bank.simulation import Fault

from .flags import FlagState
from .pods import EXITS, GRACEFUL, IGNORES, Cluster, Template

SEVERITY_SIGMA = 0.15  # log-normal spread of a fault's strength across seeds...
SEVERITY_RANGE = (0.75, 1.33)  # ...kept within a quarter either way
ONSET_SPREAD = 0.3  # a delayed onset lands within 30% of its nominal time


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


NO_EFFECT = Effect()  # shared by templates no fault can touch; nobody writes to it


class Faults:
    def __init__(self, faults: tuple[Fault, ...], flags: dict[str, FlagState],
                 cluster: Cluster, fleet_new: str, seed: int = 0) -> None:
        self.faults = faults
        self.flags = flags
        self.fleet_new = fleet_new
        self.first_served: dict[str, int] = {}
        self.share: dict[str, float] = {}
        self.migrated = False
        self.relaxed = False  # the new column got a default: inserts that omit it succeed
        self.lock_until = -1
        self.migrations = [f for f in faults if f.kind == "schema_migration"]
        self.opened: dict[str, int] = {}  # when a load-gated fault's threshold was crossed
        self._touched: dict[Template, bool] = {}
        self._steady: dict[tuple[Template, bool, int, bool], Effect] = {}
        # A string seed is hashed with SHA-512, so the draw is the same in every process.
        draw = random.Random(f"faults:{seed}")
        self.scale: dict[str, float] = {}
        self.onset: dict[str, int] = {}
        for f in faults:
            name = self.name(f)
            lo, hi = SEVERITY_RANGE
            self.scale[name] = min(hi, max(lo, math.exp(SEVERITY_SIGMA * draw.gauss(0, 1))))
            spread = draw.uniform(1 - ONSET_SPREAD, 1 + ONSET_SPREAD)
            self.onset[name] = round(f.onset_s * spread)
            version = f.version or fleet_new
            if f.kind == "memory_leak":
                cluster.leaks[version] = f.leak_mib_per_min * self.scale[name]
            elif f.kind == "crash_loop":
                cluster.crash_every[version] = f.crash_every / self.scale[name]
            elif f.kind in ("abrupt_shutdown", "ignores_sigterm"):
                cluster.cut_scale = self.scale[name]  # how many requests run long today
        cluster.shutdown = self.shutdown

    @staticmethod
    def name(f: Fault) -> str:
        return f.id or f.kind

    def fixed(self, f: Fault, tpl: Template) -> bool:
        return self.name(f) in tpl.fixes

    def fixes_for(self, version: str) -> frozenset[str]:
        return frozenset(self.name(f) for f in self.faults if version in f.fixed_in)

    def shutdown(self, tpl: Template) -> str:
        """How this template's app meets SIGTERM."""
        for f in self.faults:
            if f.kind in ("abrupt_shutdown", "ignores_sigterm") and (
                    not f.version or f.version == tpl.version) and not self.fixed(f, tpl):
                return EXITS if f.kind == "abrupt_shutdown" else IGNORES
        return GRACEFUL

    def _strength(self, f: Fault, t: int, key: str, share: float) -> float:
        start = self.first_served.get(key)
        name = self.name(f)
        if start is None or share < f.min_share or share <= 0:
            self.opened.pop(name, None)
            return 0.0
        if f.min_share:
            # A load-dependent fault grows from when the load crossed its threshold, so
            # its ramp shows as a rising slope rather than a step.
            start = max(start, self.opened.setdefault(name, t))
        age = t - start - self.onset[name]
        if age < 0:
            return 0.0
        return 1.0 if f.ramp_s == 0 else min(1.0, (age + 1) / f.ramp_s)

    def quiet(self, templates: Iterable[Template], t: int) -> bool:
        """True when no fault can act again on what runs now (no version that carries an
        unfixed fault serves, no flag with a fault is on, no migration or lock is due)."""
        tpls = list(templates)
        if self.lock_until > t:
            return False
        for f in self.faults:
            kind = f.kind
            if kind in ("abrupt_shutdown", "ignores_sigterm", "cert_expiry", "cache_flush"):
                # Acts only when a pod is deleted, which a settled rollout never does; the
                # certificate and the cache answer for themselves (their `quiet`).
                continue
            if kind == "schema_migration":
                if not self.migrated and self.lock_until < 0 and t <= f.at_s:
                    return False
                if self.migrated and not self.relaxed and any(
                        tpl.version in f.breaks for tpl in tpls):
                    return False
                continue
            keys = [f.flag_a, f.flag_b] if kind == "flag_interaction" else [f.version]
            flags = [self.flags[k] for k in keys if k in self.flags]
            if flags:
                if any(fl.effective(t) > 0 or not fl.settled for fl in flags):
                    return False
                continue
            version = f.version or self.fleet_new
            if any((kind == "stale_cdn" or tpl.version == version) and not self.fixed(f, tpl)
                   for tpl in tpls):
                return False
        return True

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

    def relax(self, t: int, lock_s: int) -> None:
        """Give the new column a default: a metadata-only ALTER (no scan, no rewrite, no
        data lost) after which the old version's inserts succeed; it holds the table's
        lock only for `lock_s`."""
        self.relaxed = True
        self.lock_until = max(self.lock_until, t + lock_s)

    def _touches(self, tpl: Template) -> bool:
        """Whether any fault could ever act on this template (else its effect is none)."""
        hit = self._touched.get(tpl)
        if hit is None:
            hit = False
            for f in self.faults:
                if self.fixed(f, tpl) or f.kind in ("abrupt_shutdown", "ignores_sigterm",
                                                    "memory_leak", "crash_loop",
                                                    "cert_expiry", "cache_flush"):
                    continue
                by_version = f.kind in ("bad_version", "skip_work", "db_saturation") and \
                    f.version not in self.flags
                if not by_version or tpl.version == f.version or tpl.version in f.breaks:
                    hit = True
                    break
            self._touched[tpl] = hit
        return hit

    def effect(self, tpl: Template, t: int,
               cdn_mismatch: Callable[[str], float] | None) -> Effect:
        if not self._touches(tpl):
            return NO_EFFECT
        key = (tpl, self.migrated, self.lock_until, self.relaxed)
        cached = self._steady.get(key)
        if cached is not None:
            return cached
        e = Effect()
        steady = True  # nothing in it can change any more: keep it
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
                    steady = False
                elif tpl.version == f.version:
                    exposure = self._strength(f, t, f.version, self.share.get(f.version, 0.0))
                    cohort = 1.0
                    steady = steady and exposure == 1.0 and not f.min_share
                else:
                    continue
                self._apply(e, f, exposure * f.segment, min(cohort, f.segment))
            elif kind == "db_saturation" and tpl.version == f.version:
                e.db_queries = f.queries_per_request
            elif kind == "schema_migration":
                broken = (self.migrated and not self.relaxed and tpl.version in f.breaks) or (
                    not self.migrated and self.lock_until >= 0 and tpl.version == f.version)
                if broken:
                    self._apply(e, f, 1.0, 1.0)
            elif kind == "stale_cdn" and cdn_mismatch is not None:
                e.degraded += cdn_mismatch(tpl.version) * f.degraded_rate * self.scale[
                    self.name(f)]
                steady = False
            elif kind == "flag_interaction":
                steady = False
                a, b = self.flags.get(f.flag_a), self.flags.get(f.flag_b)
                if a is not None and b is not None:
                    both = a.effective(t) * b.effective(t) / 1e4
                    if both > 0:
                        self._apply(e, f, both, both)
        e.error = min(1.0, e.error)
        e.degraded = min(1.0 - e.error, e.degraded)
        if steady:
            self._steady[key] = e
        return e

    def _apply(self, e: Effect, f: Fault, exposure: float, cohort: float) -> None:
        if exposure <= 0:
            return
        k = self.scale[self.name(f)]
        e.error += exposure * min(1.0, f.error_rate * k)
        e.degraded += exposure * min(1.0, f.degraded_rate * k)
        # Lost orders, not lost requests: the server turns this into abandoned checkouts.
        e.business += exposure * min(1.0, f.business_drop * k)
        e.added_p50 += exposure * f.added_latency_ms * k
        # The p99 sees the fault fully once more than 1% of requests carry it.
        e.added_p99 += min(1.0, exposure / 0.01) * f.added_latency_ms * k
        if f.latency_factor != 1.0:
            e.lat_factor *= 1 + exposure * (f.latency_factor - 1)
            if f.kind == "skip_work":
                # Less work per request also means fewer chances to fail.
                e.base_factor *= 1 + exposure * (f.latency_factor - 1)
        if f.error_rate or f.degraded_rate or f.business_drop:
            e.cohort = min(e.cohort, cohort)
        if f.data_risk:
            e.data_risk = 1.0
