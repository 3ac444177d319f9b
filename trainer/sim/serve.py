"""One second of traffic, served in aggregate per group of pods.

A group is the routable pods of one ReplicaSet behind one route (a mesh subset, a
Service, a DNS region). Requests are counted, never simulated one by one: a group receives
its share of the offered load, loses what lands on pods that are still in the endpoints but
no longer answer (the endpoint-removal lag), loses what exceeds its capacity, and then
fails or degrades the rest according to the faults, the database and the baseline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .pods import Pod, ReplicaSet

Z99 = 2.326


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


def binom(rng, n: int, p: float) -> int:
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
    lo = math.log(min(p[1] for p in parts)) - 4 * max(p[2] for p in parts) - 0.1
    hi = math.log(max(p[1] for p in parts)) + 4 * max(p[2] for p in parts) + 0.1
    for _ in range(22):
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
    """Queueing: latency starts to climb past 70% utilisation, ~4x at saturation."""
    return 1.0 if util <= 0.7 else 1.0 + 3.0 * min(1.0, (util - 0.7) / 0.3)


class Server:
    def __init__(self, world) -> None:
        self.w = world
        tr = world.spec.traffic
        self.p50, self.p99 = tr.p50_ms, max(tr.p99_ms, tr.p50_ms * 1.01)
        self.base_err = tr.baseline_error_rate

    def serve(self, t: int, groups: list[Group], offered: int) -> TickResult:
        w, rng = self.w, self.w.rng
        fleet, res = w.spec.fleet, TickResult(offered=offered)
        counts = split(offered, [g.share for g in groups])
        rows = []
        queries = conns = 0.0
        db = w.spec.database
        locked = t < w.faults.lock_until
        cdn = w.cdn.mismatch if w.cdn is not None else None
        for g, n in zip(groups, counts, strict=True):
            if g.rs is None or not g.routable:
                if n:
                    res.failed += n
                    res.incident += n
                    w.users.add(n, g.cohort)
                    self._version("(none)", res).requests += n
                continue
            rs, alive = g.rs, len(g.alive)
            dead = n if alive == 0 else round(n * (g.routable - alive) / g.routable)
            attempted = n - dead
            warm = rs.warmth if fleet.warmup_s else 1.0
            cap = alive * fleet.pod_capacity_rps * (0.35 + 0.65 * warm)
            over = max(0, attempted - math.floor(cap)) if alive else 0
            ok_try = attempted - over
            eff = w.faults.effect(rs.template, t, cdn)
            inc = ok_try if locked else binom(rng, ok_try, eff.error)
            base = binom(rng, ok_try - inc, self.base_err * eff.base_factor)
            good = ok_try - inc - base
            if alive and good and w.cluster.crash_every.get(rs.template.version):
                crashed = min(good, self._crashes(g, t, (good + inc) / alive))
                good -= crashed
                dead += crashed
            q = db.queries_per_request if db else 0.0
            if eff.db_queries >= 0:
                q = eff.db_queries
            queries += ok_try * q
            conns += alive * rs.template.pool
            util = attempted / cap if cap else 1.0
            rows.append([g, eff, n, dead + over, inc, base, good, util, warm])
        shed = self._database(queries, conns, db)
        parts50, parts99 = [], []
        for g, eff, n, lost, inc, base, good, util, warm in rows:
            extra = binom(rng, good, shed) if shed else 0
            good -= extra
            inc += extra
            deg = binom(rng, good, eff.degraded)
            fails = lost + inc + base
            res.failed += fails
            res.incident += lost + inc
            res.served += good
            res.degraded += deg
            cohort = min(g.cohort, eff.cohort)
            w.users.add(lost + extra, g.cohort)
            w.users.add(inc - extra + deg, cohort)
            res.data_risk += (inc - extra + deg) * eff.data_risk * w.spec.traffic.write_share
            conv = w.spec.traffic.conversion
            biz = good * conv * (1 - min(1.0, eff.business))
            res.business += biz
            res.expected += (n - base) * conv
            cold = 1.0 + 2.0 * (1.0 - warm)
            slow = _util_factor(util) * self._db_slow * cold * eff.lat_factor
            m = self.p50 * slow + eff.added_p50
            clean = self.p99 * _util_factor(util) * cold * (1.0 + 1.5 * (1.0 - warm))
            p99 = self.p99 * slow * (1.0 + 1.5 * (1.0 - warm)) + eff.added_p99
            if good:
                sig = math.log(max(p99, m * 1.01) / m) / Z99
                parts50.append((good, m, sig))
            vs = self._version(g.rs.template.version, res)
            vs.requests += n
            vs.failed += fails
            vs.incident += lost + inc
            vs.p99 = max(vs.p99, p99)
            vs.clean_p99 = max(vs.clean_p99, clean)
            vs.business += biz
            vs.expected += (n - base) * conv
        parts99 = parts50
        if parts50:
            res.p50 = _quantile(parts50, 0.5, 0.0)
            res.p99 = _quantile(parts99, 0.99, Z99)
        return res

    _db_slow = 1.0

    def _database(self, queries: float, conns: float, db) -> float:
        """Share of otherwise good requests the database sheds, and its slowdown."""
        self._db_slow = 1.0
        if db is None:
            return 0.0
        shed = 0.0
        if queries > db.capacity_qps:
            load = queries / db.capacity_qps
            shed = 1.0 - 1.0 / load
            self._db_slow = 1.0 + 6.0 * min(1.0, load - 1.0)
        if db.max_connections and conns > db.max_connections:
            shed = 1.0 - (1.0 - shed) * db.max_connections / conns
        return shed

    def _crashes(self, g: Group, t: int, per_pod: float) -> int:
        lost = 0
        for pod in g.alive:
            pod.crash_budget -= per_pod
            if pod.crash_budget <= 0 and not pod.crash_now:
                self.w.cluster.flag_crash(pod, t)
                lost += max(1, round(per_pod * 0.5))  # requests in flight when it panics
        return lost

    @staticmethod
    def _version(version: str, res: TickResult) -> VersionStats:
        vs = res.versions.get(version)
        if vs is None:
            vs = res.versions[version] = VersionStats()
        return vs
