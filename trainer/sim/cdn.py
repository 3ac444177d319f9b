"""Edge and browser caches of static assets whose URLs do not change between versions.

Each cache layer holds, for each version, the share of caches whose copy came from that
version. Copies refresh at their max-age from whatever the origin serves now, so after a
cutover a page from the new version can arrive with the old version's CSS and JS (a
"Frankenstein" page) until the copies expire. A purge empties the edge over its
propagation time; it never reaches browser caches. Rolling the code back purges nothing.
"""

from __future__ import annotations

from trainer.bank.simulation import Cdn


class CacheLayer:
    def __init__(self, version: str, max_age: int) -> None:
        self.share: dict[str, float] = {version: 1.0}
        self.rate = 1.0 / max_age

    def refresh(self, serving: dict[str, float], rate: float) -> None:
        for v in set(self.share) | set(serving):
            cur = self.share.get(v, 0.0)
            self.share[v] = cur + rate * (serving.get(v, 0.0) - cur)


class CdnState:
    def __init__(self, spec: Cdn, version: str) -> None:
        self.spec = spec
        self.edge = CacheLayer(version, spec.edge_max_age_s)
        self.browser = CacheLayer(version, spec.browser_max_age_s)
        self.purge_until = -1

    def purge(self, t: int) -> None:
        self.purge_until = t + self.spec.purge_s

    def tick(self, t: int, serving: dict[str, float]) -> None:
        """`serving` is each version's share of page loads this tick."""
        if not serving:
            return
        rate = self.edge.rate
        if t < self.purge_until:
            rate = max(rate, 1.0 / (self.purge_until - t + 1))
        self.edge.refresh(serving, rate)
        self.browser.refresh(serving, self.browser.rate)

    def mismatch(self, version: str) -> float:
        """Share of page loads of `version` that get another version's assets."""
        b = self.spec.browser_share
        return (1 - b) * (1 - self.edge.share.get(version, 0.0)) + b * (
            1 - self.browser.share.get(version, 0.0))
