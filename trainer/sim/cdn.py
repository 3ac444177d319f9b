"""Edge and browser caches of static assets whose URLs do not change between versions.

A cached copy is fresh until its age passes max-age (RFC 9111, section 4.2), and caches
refill at moments spread evenly over time, so each layer holds what the origin served over
its last max-age seconds: after a cutover the stale share falls linearly and is gone one
max-age later (never sooner, never later). Until then a page of the new version can arrive
with the old version's CSS and JS (a "Frankenstein" page). A purge empties the edges over
its propagation time, and each purged edge refills from what the origin serves then; it
never reaches browser caches. Rolling the code back purges nothing.
"""

from __future__ import annotations

from trainer.bank.simulation import Cdn

PURGE_COHORTS = 4  # edges purged at evenly spread moments of the propagation time


class CacheLayer:
    """The origin's serving mix since tick 0, averaged over windows of max-age seconds."""

    def __init__(self, version: str, max_age: int) -> None:
        self.initial = version  # what every cache held before tick 0
        self.max_age = max_age
        self.sums: dict[str, list[float]] = {}  # version -> prefix sums of its share
        self.ticks = 0

    def record(self, serving: dict[str, float]) -> None:
        for v in serving:
            if v not in self.sums:
                self.sums[v] = [0.0] * (self.ticks + 1)
        for v, sums in self.sums.items():
            sums.append(sums[-1] + serving.get(v, 0.0))
        self.ticks += 1

    def _total(self, version: str, start: int) -> float:
        """Share-seconds of `version` over ticks [start, now); before tick 0 the initial
        version served everything."""
        sums = self.sums.get(version)
        inside = 0.0 if sums is None else sums[-1] - sums[max(0, start)]
        return inside + (float(-start) if start < 0 and version == self.initial else 0.0)

    def share(self, version: str, since: int | None = None) -> float:
        """Share of caches holding `version`; `since` = copies made before it were purged."""
        start = self.ticks - self.max_age
        if since is not None and since > start:
            # An emptied cache refills on its next request from what the origin serves.
            start = min(since, self.ticks - 1)
        span = self.ticks - start
        return self._total(version, start) / span


class CdnState:
    def __init__(self, spec: Cdn, version: str) -> None:
        self.spec = spec
        self.edge = CacheLayer(version, spec.edge_max_age_s)
        self.browser = CacheLayer(version, spec.browser_max_age_s)
        self.purge_at: int | None = None
        self._cache: dict[str, float] = {}

    def purge(self, t: int) -> None:
        self.purge_at = t

    def tick(self, t: int, serving: dict[str, float]) -> None:
        """`serving` is each version's share of page loads this tick."""
        if not serving:
            return
        self.edge.record(serving)
        self.browser.record(serving)
        self._cache = {}

    def _edge_share(self, version: str) -> float:
        p = self.purge_at
        now = self.edge.ticks
        if p is None:
            return self.edge.share(version)
        total = 0.0
        for k in range(PURGE_COHORTS):
            at = p + round((k + 0.5) * self.spec.purge_s / PURGE_COHORTS)
            total += self.edge.share(version, at if at < now else None)
        return total / PURGE_COHORTS

    def mismatch(self, version: str) -> float:
        """Share of page loads of `version` that get another version's assets."""
        got = self._cache.get(version)
        if got is None:
            b = self.spec.browser_share
            got = (1 - b) * (1 - self._edge_share(version)) + b * (
                1 - self.browser.share(version))
            self._cache[version] = got
        return got

    def converged(self, versions: set[str]) -> bool:
        return all(self.mismatch(v) == 0.0 for v in versions)
