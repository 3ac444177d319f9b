"""One second of traffic, served in aggregate per group of pods.

A group is the routable pods of one ReplicaSet behind one route (a mesh subset, a
Service, a DNS region). Requests are counted, never simulated one by one: a group receives
its share of the offered load, loses what lands on pods that are still in the endpoints but
no longer answer (the endpoint-removal lag), loses what exceeds its capacity, and then
fails or degrades the rest according to the faults, the database and the baseline.

Serving takes two passes because the database is shared: the first pass admits each
group's requests and adds up the queries they make, the second applies what the loaded
database sheds and slows. Random draws happen in that order, group by group, which is part
of what keeps a seed's timeline fixed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from trainer.bank.simulation import Database

from .faults import Effect
from .pods import Pod, ReplicaSet
from .world import ServingWorld

Z99 = 2.326  # standard normal 0.99 quantile: a log-normal's p99 is median * exp(Z99 * sigma)
MIN_TAIL_RATIO = 1.01  # p99 kept above the median, so a log-normal spread stays positive

# A cold side (warmth 0) has lost its caches, JIT and connection pools to idleness.
COLD_CAPACITY = 0.35  # a cold pod keeps up with about a third of a warm pod's load...
WARM_CAPACITY_GAIN = 0.65  # ...and warming wins back the rest
COLD_MEDIAN_SLOWDOWN = 2.0  # cold median latency up to 3x: every request misses a cache
COLD_TAIL_SLOWDOWN = 1.5  # the p99 a further 2.5x: the slowest paths are the least cached

# Queueing: latency starts to climb past 70% utilisation and is ~4x at saturation.
QUEUE_KNEE = 0.7
QUEUE_SPAN = 0.3  # from the knee to full utilisation
QUEUE_MAX_SLOWDOWN = 3.0

DB_MAX_SLOWDOWN = 6.0  # at twice its capacity a database answers ~7x slower (lock waits)
IN_FLIGHT_SHARE = 0.5  # a pod that panics takes about half a second's requests with it

# The latency mix's quantile lies within a few sigma of its extreme medians; 22 halvings
# of that bracket leave an error far below the 0.01 ms the metrics keep.
BRACKET_SIGMAS = 4
BRACKET_MARGIN = 0.1  # keeps the bracket open when every sigma is ~0
BISECTIONS = 22


@dataclass(slots=True)
class Group:
    rs: ReplicaSet | None  # None = a route with no healthy upstream
    share: float
    cohort: float = 1.0
    routable: int = 0
    alive: list[Pod] = field(default_factory=list)


@dataclass(slots=True)
class VersionStats:
    requests: int = 0
    failed: int = 0
    incident: int = 0
    p99: float = 0.0
    clean_p99: float = 0.0
    business: float = 0.0
    expected: float = 0.0


@dataclass(slots=True)
class TickResult:
    offered: int = 0
    served: int = 0
    failed: int = 0
    incident: int = 0
    degraded: int = 0
    data_risk: float = 0.0
    business: float = 0.0
    expected: float = 0.0
    p50: float = 0.0
    p99: float = 0.0
    versions: dict[str, VersionStats] = field(default_factory=dict)


@dataclass(slots=True)
class GroupLoad:
    """A routed group's requests after the first pass, before the database has its say."""

    group: Group
    version: str
    effect: Effect
    requests: int  # routed to the group
    lost: int  # sent to pods that no longer answer, or beyond capacity
    incident: int  # failed by a fault or a table lock
    baseline: int  # failed at the healthy baseline rate
    good: int  # answered so far
    util: float  # attempted requests over capacity
    warmth: float
    queries: float  # database queries of the requests that got through
    connections: int  # database connections the group's pods hold


def binom(rng: random.Random, n: int, p: float) -> int:
    """A binomial draw by its normal approximation: one gauss per call keeps ticks cheap."""
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    mean = n * p
    k = round(mean + math.sqrt(mean * (1 - p)) * rng.gauss(0.0, 1.0))
    return 0 if k < 0 else (n if k > n else k)


def split(total: int, shares: list[float]) -> list[int]:
    """Integer counts in proportion to shares that add up to exactly `total`."""
    out, acc, given = [], 0.0, 0
    for s in shares:
        acc += s
        upto = min(total, round(acc * total))
        out.append(upto - given)
        given = upto
    return out


def _quantile(parts: list[tuple[int, float, float]], q: float, z: float) -> float:
    """Latency quantile of a mix of log-normal groups (count, median, sigma)."""
    if len(parts) == 1:
        return parts[0][1] * math.exp(z * parts[0][2])
    total = sum(p[0] for p in parts)
    widest = max(p[2] for p in parts)
    lo = math.log(min(p[1] for p in parts)) - BRACKET_SIGMAS * widest - BRACKET_MARGIN
    hi = math.log(max(p[1] for p in parts)) + BRACKET_SIGMAS * widest + BRACKET_MARGIN
    for _ in range(BISECTIONS):
        mid = (lo + hi) / 2
        cdf = 0.0
        for n, med, sig in parts:
            cdf += n * 0.5 * math.erfc(-(mid - math.log(med)) / (sig * math.sqrt(2)))
        if cdf / total < q:
            lo = mid
        else:
            hi = mid
    return math.exp((lo + hi) / 2)


def _util_factor(util: float) -> float:
    """Queueing's multiplier on latency at this utilisation."""
    if util <= QUEUE_KNEE:
        return 1.0
    return 1.0 + QUEUE_MAX_SLOWDOWN * min(1.0, (util - QUEUE_KNEE) / QUEUE_SPAN)


def _database(queries: float, conns: float, db: Database | None) -> tuple[float, float]:
    """(share of otherwise good requests the database sheds, its latency multiplier)."""
    if db is None:
        return 0.0, 1.0
    shed, slowdown = 0.0, 1.0
    if queries > db.capacity_qps:
        load = queries / db.capacity_qps
        shed = 1.0 - 1.0 / load
        slowdown = 1.0 + DB_MAX_SLOWDOWN * min(1.0, load - 1.0)
    if db.max_connections and conns > db.max_connections:
        shed = 1.0 - (1.0 - shed) * db.max_connections / conns
    return shed, slowdown


def _version_stats(res: TickResult, version: str) -> VersionStats:
    vs = res.versions.get(version)
    if vs is None:
        vs = res.versions[version] = VersionStats()
    return vs


class Server:
    def __init__(self, world: ServingWorld) -> None:
        self.world = world
        tr = world.spec.traffic
        self.p50, self.p99 = tr.p50_ms, max(tr.p99_ms, tr.p50_ms * MIN_TAIL_RATIO)
        self.base_err = tr.baseline_error_rate

    def serve(self, t: int, groups: list[Group], offered: int) -> TickResult:
        world, res = self.world, TickResult(offered=offered)
        locked = t < world.faults.lock_until
        cdn = world.cdn.mismatch if world.cdn is not None else None
        loads = []
        for g, n in zip(groups, split(offered, [g.share for g in groups]), strict=True):
            if g.rs is None or not g.routable:
                self._unrouted(g, n, res)
            else:
                loads.append(self._admit(t, g, g.rs, n, locked, cdn))
        shed, slowdown = _database(sum((load.queries for load in loads), 0.0),
                                   sum((load.connections for load in loads), 0.0),
                                   world.spec.database)
        parts = []
        for load in loads:
            part = self._settle(load, shed, slowdown, res)
            if part is not None:
                parts.append(part)
        if parts:
            res.p50 = _quantile(parts, 0.5, 0.0)
            res.p99 = _quantile(parts, 0.99, Z99)
        return res

    def _unrouted(self, g: Group, n: int, res: TickResult) -> None:
        """Everything sent to a route without a routable upstream fails."""
        if n:
            res.failed += n
            res.incident += n
            self.world.users.add(n, g.cohort)
            _version_stats(res, "(none)").requests += n

    def _admit(self, t: int, g: Group, rs: ReplicaSet, n: int, locked: bool,
               cdn: Callable[[str], float] | None) -> GroupLoad:
        """First pass: what reaches live pods within capacity, and what the faults fail."""
        world, fleet = self.world, self.world.spec.fleet
        alive = len(g.alive)
        dead = n if alive == 0 else round(n * (g.routable - alive) / g.routable)
        attempted = n - dead
        warm = rs.warmth if fleet.warmup_s else 1.0
        cap = alive * fleet.pod_capacity_rps * (COLD_CAPACITY + WARM_CAPACITY_GAIN * warm)
        over = max(0, attempted - math.floor(cap)) if alive else 0
        tried = attempted - over
        eff = world.faults.effect(rs.template, t, cdn)
        inc = tried if locked else binom(world.rng, tried, eff.error)
        base = binom(world.rng, tried - inc, self.base_err * eff.base_factor)
        good = tried - inc - base
        if alive and good and world.cluster.crash_every.get(rs.template.version):
            crashed = min(good, self._crashes(g, t, (good + inc) / alive))
            good -= crashed
            dead += crashed
        db = world.spec.database
        per_request = db.queries_per_request if db is not None else 0.0
        if eff.db_queries >= 0:
            per_request = eff.db_queries
        return GroupLoad(
            group=g, version=rs.template.version, effect=eff, requests=n, lost=dead + over,
            incident=inc, baseline=base, good=good, util=attempted / cap if cap else 1.0,
            warmth=warm, queries=tried * per_request, connections=alive * rs.template.pool,
        )

    def _settle(self, load: GroupLoad, shed: float, db_slowdown: float,
                res: TickResult) -> tuple[int, float, float] | None:
        """Second pass: the database's share, wrong answers, users, business and latency.
        Returns the group's (answered, median, sigma) for the latency mix."""
        world, traffic = self.world, self.world.spec.traffic
        g, eff = load.group, load.effect
        shed_n = binom(world.rng, load.good, shed) if shed else 0
        good = load.good - shed_n
        inc = load.incident + shed_n
        deg = binom(world.rng, good, eff.degraded)
        lost, base, n = load.lost, load.baseline, load.requests
        fails = lost + inc + base
        res.failed += fails
        res.incident += lost + inc
        res.served += good
        res.degraded += deg
        # Losses hit the route's users alike; a fault's failures and wrong answers only its
        # cohort among them.
        world.users.add(lost + shed_n, g.cohort)
        world.users.add(load.incident + deg, min(g.cohort, eff.cohort))
        res.data_risk += (load.incident + deg) * eff.data_risk * traffic.write_share
        conv = traffic.conversion
        biz = good * conv * (1 - min(1.0, eff.business))
        res.business += biz
        res.expected += (n - base) * conv
        median, p99, clean = self._latency(load, db_slowdown)
        vs = _version_stats(res, load.version)
        vs.requests += n
        vs.failed += fails
        vs.incident += lost + inc
        vs.p99 = max(vs.p99, p99)
        vs.clean_p99 = max(vs.clean_p99, clean)
        vs.business += biz
        vs.expected += (n - base) * conv
        if not good:
            return None
        return good, median, math.log(max(p99, median * MIN_TAIL_RATIO) / median) / Z99

    def _latency(self, load: GroupLoad, db_slowdown: float) -> tuple[float, float, float]:
        """The group's median and p99, and the p99 the same pods would show with no faults
        and an unloaded database (the canary judge's baseline)."""
        eff, warm = load.effect, load.warmth
        queueing = _util_factor(load.util)
        cold = 1.0 + COLD_MEDIAN_SLOWDOWN * (1.0 - warm)
        cold_tail = 1.0 + COLD_TAIL_SLOWDOWN * (1.0 - warm)
        slow = queueing * db_slowdown * cold * eff.lat_factor
        median = self.p50 * slow + eff.added_p50
        clean = self.p99 * queueing * cold * cold_tail
        p99 = self.p99 * slow * cold_tail + eff.added_p99
        return median, p99, clean

    def _crashes(self, g: Group, t: int, per_pod: float) -> int:
        lost = 0
        for pod in g.alive:
            pod.crash_budget -= per_pod
            if pod.crash_budget <= 0 and not pod.crash_now:
                self.world.cluster.flag_crash(pod, t)
                lost += max(1, round(per_pod * IN_FLIGHT_SHARE))
        return lost
