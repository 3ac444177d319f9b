"""One second of traffic, served in aggregate per group of pods.

A group is the routable pods of one ReplicaSet behind one route (a mesh subset, a
Service, a DNS region). Requests are counted, never simulated one by one: a group receives
its share of the offered load, loses what lands on pods that are still in the endpoints but
no longer answer (the endpoint-removal lag), loses what exceeds its capacity (queued until
the ingress times it out, so it fails slowly and drives the p99 to the timeout), and then
fails or degrades the rest according to the faults, the database and the baseline. Orders
are drawn as a Poisson count from a stream of their own, so the business metric is noisy.

Serving takes two passes because the database is shared: the first pass admits each
group's requests and adds up the queries they make, the second applies what the loaded
database sheds and slows. Random draws happen in that order, group by group, which is part
of what keeps a seed's timeline fixed. Every running pod holds its connection pool,
serving or idle, so a standby side counts against the database's connection limit too.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from trainer.bank.simulation import Database

from .faults import Effect
from .latency import MIN_TAIL_RATIO, Z99, quantile
from .pods import Pod, ReplicaSet
from .traffic import poisson
from .world import ServingWorld

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
# A request beyond capacity waits in the queue until the ingress gives up with a 504:
# ingress-nginx's proxy-read-timeout and an AWS ALB's idle timeout both default to 60 s,
# so the overloaded share shows in the latency quantiles at the timeout.
INGRESS_TIMEOUT_MS = 60_000.0
TIMEOUT_SIGMA = 0.02  # they all end at about the same moment
IN_FLIGHT_SHARE = 0.5  # a pod that panics takes about half a second's requests with it



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
    business: float = 0.0  # orders counted (Poisson around what the users would buy)
    expected: float = 0.0
    orders_lost: float = 0.0  # expected orders the incident cost, without the count's noise
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
    over: int  # of those, beyond capacity: queued until the ingress timed them out
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


def util_factor(util: float) -> float:
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
        self.lean = False  # skip the latency mix, which only the dashboards and alert read
        a = world.spec.analysis
        self.need_p99 = a is not None and a.scope == "aggregate"  # the analysis reads it
        # Only automated analysis reads a version's latency (Argo, Flagger, blue-green).
        self.need_latency = world.spec.strategy.kind in ("argo_canary", "flagger",
                                                          "blue_green")
        self._conns_at = -1
        self._conns = 0
        self.shed = 0.0
        self.orders = random.Random(f"orders:{world.seed}")  # its own stream: see poisson

    def connections(self) -> int:
        """Database connections every running pod holds, serving or not."""
        cluster = self.world.cluster
        if self._conns_at != cluster.version:
            self._conns_at = cluster.version
            self._conns = sum(rs.template.pool * sum(
                1 for p in rs.pods if p.phase in ("Running", "Terminating"))
                for rs in cluster.sets)
        return self._conns

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
        db = world.spec.database
        conns = self.connections() if db is not None and db.max_connections else 0
        shed, slowdown = _database(sum((load.queries for load in loads), 0.0), conns, db)
        self.shed = shed  # a read-through cache refills only from the answered misses
        parts = []
        for load in loads:
            part = self._settle(load, shed, slowdown, res)
            if part is not None:
                parts.append(part)
        timed_out = sum(load.over for load in loads)
        if timed_out:
            parts.append((timed_out, INGRESS_TIMEOUT_MS, TIMEOUT_SIGMA))
        if parts and not self.lean:
            res.p50 = quantile(parts, 0.5, 0.0)
            res.p99 = quantile(parts, 0.99, Z99)
        elif parts and self.need_p99:
            res.p99 = quantile(parts, 0.99, Z99)
        if world.cluster.pending_cut:
            self._cut(res)
        return res

    def _cut(self, res: TickResult) -> None:
        """Long requests a SIGKILL cut fail now, taken from this tick's answered ones."""
        cluster = self.world.cluster
        n = min(res.served, round(cluster.pending_cut))
        cluster.pending_cut = 0.0
        if n > 0:
            res.served -= n
            res.failed += n
            res.incident += n
            self.world.users.add(n)

    def headroom(self, groups: list[Group], peak: float) -> bool:
        """Whether every routed group and the database keep up with `peak` requests per
        second plus a six-sigma noise burst, so no request can be shed before the end."""
        world, fleet = self.world, self.world.spec.fleet
        burst = peak * (1 + 6 * world.spec.traffic.noise)
        db = world.spec.database
        queries = 0.0
        for g in groups:
            if g.rs is None:
                return False
            warm = g.rs.warmth if fleet.warmup_s else 1.0
            cap = len(g.alive) * fleet.pod_capacity_rps * (COLD_CAPACITY
                                                           + WARM_CAPACITY_GAIN * warm)
            if g.share * burst > cap * QUEUE_KNEE or len(g.alive) < g.routable:
                return False
            if db is not None:
                # Called only when no fault acts on what runs, so the old query rate holds.
                per = db.queries_per_request if world.cache is None else world.cache.queries()
                queries += g.share * burst * per
        if db is None:
            return True
        return queries <= db.capacity_qps and not (
            db.max_connections and self.connections() > db.max_connections)

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
        err = eff.error if world.certs is None else world.certs.failing(g.alive, t, eff.error)
        inc = tried if locked else (binom(world.rng, tried, err) if err else 0)
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
        elif world.cache is not None:
            per_request = world.cache.queries()
        return GroupLoad(
            group=g, version=rs.template.version, effect=eff, requests=n, lost=dead + over,
            over=over,
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
        deg = binom(world.rng, good, eff.degraded) if eff.degraded else 0
        lost, base, n = load.lost, load.baseline, load.requests
        fails = lost + inc + base
        res.failed += fails
        res.incident += lost + inc
        res.served += good
        res.degraded += deg
        # Losses hit the route's users alike; a fault's failures and wrong answers only its
        # cohort among them.
        world.users.add(lost + shed_n, g.cohort)
        conv = traffic.conversion
        if eff.business > 0:
            # A let-down user is one lost order, not every request of their visit.
            abandoned = binom(world.rng, good - deg, conv * min(1.0, eff.business))
            deg += abandoned
            res.degraded += abandoned
        world.users.add(load.incident + deg, min(g.cohort, eff.cohort))
        res.data_risk += (load.incident + deg) * eff.data_risk * traffic.write_share
        mean = good * conv * (1 - min(1.0, eff.business))
        biz = poisson(self.orders, mean) if conv else 0.0
        res.business += biz
        res.expected += (n - base) * conv
        res.orders_lost += (n - base) * conv - mean
        vs = _version_stats(res, load.version)
        vs.requests += n
        vs.failed += fails
        vs.incident += lost + inc
        vs.business += biz
        vs.expected += (n - base) * conv
        if self.lean and not self.need_latency:
            return None
        median, p99, clean = self._latency(load, db_slowdown)
        vs.p99 = max(vs.p99, p99)
        vs.clean_p99 = max(vs.clean_p99, clean)
        if not good:
            return None
        return good, median, math.log(max(p99, median * MIN_TAIL_RATIO) / median) / Z99

    def _latency(self, load: GroupLoad, db_slowdown: float) -> tuple[float, float, float]:
        """The group's median and p99, and the p99 the same pods would show with no faults
        and an unloaded database (the canary judge's baseline)."""
        eff, warm = load.effect, load.warmth
        queueing = util_factor(load.util)
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
