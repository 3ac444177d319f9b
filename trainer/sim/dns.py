"""Weighted DNS with resolver caches and keep-alive connections.

A record change reaches each client when its resolver cache expires (uniform over the TTL)
and then when its open connection is recycled (uniform over the keep-alive lifetime), so
the share that has moved is the distribution of the sum of those two waits: a DNS change
fades in over TTL + keep-alive and is never instant.

Some clients ignore the TTL altogether: a JVM caches lookups for its lifetime when
`networkaddress.cache.ttl` is unset under a security manager ("never refresh DNS entries
until the JVM is restarted", AWS SDK for Java docs), HTTP/2 and gRPC clients keep one
connection for hours, and some resolvers clamp short TTLs up. Such a straggler re-resolves
only when its process or connection is replaced, at an even rate over `straggler_s`, so a
small share of traffic keeps following the old answer for hours; only the far side's load
balancer (draining or closing it) ends that tail.
"""

from __future__ import annotations


def moved(age: float, ttl: float, keepalive: float) -> float:
    """Share of clients using a record change `age` seconds after it was made."""
    if age <= 0:
        return 0.0
    a, b = (ttl, keepalive) if ttl >= keepalive else (keepalive, ttl)
    if age >= a + b:
        return 1.0
    if b == 0:
        return age / a
    # CDF of U(0, a) + U(0, b) with a >= b: quadratic ramp, line, quadratic finish.
    if age <= b:
        return age * age / (2 * a * b)
    if age <= a:
        return (age - b / 2) / a
    rest = a + b - age
    return 1.0 - rest * rest / (2 * a * b)


class DnsState:
    """The new side's share as clients see it, given the record's weight history."""

    def __init__(self, ttl: int, keepalive: int, weight: float = 0.0,
                 stragglers: float = 0.0, straggler_s: int = 0) -> None:
        self.ttl = ttl
        self.keepalive = keepalive
        self.stragglers = stragglers if straggler_s > 0 else 0.0
        self.straggler_s = straggler_s
        self.weight = weight
        self._settled = weight
        self._changes: list[tuple[int, float, int]] = []  # (tick, delta, TTL in force)
        self._ttl_changes: list[tuple[int, int]] = []  # (tick, old TTL)

    def set_weight(self, t: int, percent: float) -> None:
        delta = percent / 100 - self.weight
        if delta:
            self._changes.append((t, delta, self._ttl_in_force(t)))
            self.weight = percent / 100

    def set_ttl(self, t: int, ttl: int) -> None:
        self._ttl_changes.append((t, self.ttl))
        self.ttl = ttl

    def _ttl_in_force(self, t: int) -> int:
        """Caches filled before a TTL change keep the TTL they were given."""
        worst = self.ttl
        for t0, old in self._ttl_changes:
            if t - t0 < old:
                worst = max(worst, old)
        return worst

    @property
    def settled(self) -> bool:
        return not self._changes

    def share(self, t: int) -> float:
        share = self._settled
        keep: list[tuple[int, float, int]] = []
        s = self.stragglers
        for t0, delta, ttl in self._changes:
            f = moved(t - t0, ttl, self.keepalive)
            if s:
                f = (1.0 - s) * f + s * min(1.0, max(0.0, (t - t0) / self.straggler_s))
            if f >= 1.0 and not keep:
                self._settled += delta
                share = self._settled
                continue
            share += delta * f
            keep.append((t0, delta, ttl))
        self._changes = keep
        return min(1.0, max(0.0, share))
