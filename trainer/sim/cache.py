"""A read-through cache in front of the shared database, and what a flush does to it.

* Every request reads through the cache: a hit costs the database nothing, a miss makes
  `queries_per_request` queries. So database load is `rps x (1 - hit) x queries`, and a hit
  rate falling from 95% to 0% multiplies it twenty-fold: the stampede.
* A miss that the database answers writes its key back (cache-aside), so the hit rate
  climbs back towards its steady value with time constant `refill_s`, but only as fast as
  misses are answered: while the database sheds most queries, the misses that fail fill
  nothing, and "it will recover on its own" takes many times longer (the feedback loop of
  a cache stampede, Nishtala et al., "Scaling Memcache at Facebook", NSDI 2013, sec. 3.2.1).
* Reads follow a Zipf-like popularity (Breslau et al., "Web Caching and Zipf-like
  Distributions", INFOCOM 1999): the hottest k of N keys draw about ln(1 + kN)/ln(1 + N)
  of the reads, so `warm-cache 5` (the hottest 5% of keys, loaded by a script at a rate the
  database can take) wins back most of the hit rate in a fraction of the time a full
  refill takes. Warming the whole keyspace takes `warm_s`.
* `flush-cache` deletes the keyspace again: the stampede starts over.

Deterministic: the hit rate follows from the served traffic, with no draw of its own.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from trainer.bank.simulation import Fault

Result = tuple[bool, str]


class CacheState:
    def __init__(self, fault: Fault) -> None:
        self.steady = fault.hit_rate
        self.hit = fault.hit_rate
        self.flush_at = fault.at_s
        self.per_miss = fault.queries_per_request
        self.refill_s = max(1, fault.refill_s)
        self.warm_s = max(1, fault.warm_s)
        self.log_keys = math.log1p(fault.keys)
        self.keys = fault.keys
        self.warming = 0.0  # share of keys the warming job has loaded
        self.warm_target = 0.0  # share of keys it was asked to load

    @classmethod
    def of(cls, faults: Iterable[Fault]) -> CacheState | None:
        return next((cls(f) for f in faults if f.kind == "cache_flush"), None)

    def queries(self) -> float:
        """Database queries per request at the current hit rate."""
        return (1.0 - self.hit) * self.per_miss

    def covered(self, keys_share: float) -> float:
        """Share of reads that the hottest `keys_share` of the keys serve."""
        return math.log1p(keys_share * self.keys) / self.log_keys

    def tick(self, t: int, shed: float) -> None:
        """After a tick's serving: the flush, the refill by answered misses, the warmer."""
        if t == self.flush_at:
            self.hit = 0.0
        self.hit += (self.steady - self.hit) * (1.0 - shed) / self.refill_s
        if self.warming < self.warm_target:
            self.warming = min(self.warm_target, self.warming + 1.0 / self.warm_s)
            self.hit = max(self.hit, self.steady * self.covered(self.warming))

    def quiet(self, t: int) -> bool:
        """Nothing left to change: past the flush, refilled and no warmer running."""
        return t > self.flush_at and self.steady - self.hit < 1e-3 and (
            self.warming >= self.warm_target)

    def flush(self, t: int) -> Result:
        self.hit = 0.0
        self.warming = self.warm_target = 0.0  # the warmed keys are deleted too
        return True, "cache keyspace deleted: every read misses until the keys are refilled"

    def warm(self, pct: float, t: int) -> Result:
        self.warm_target = max(self.warm_target, pct / 100)
        secs = round((self.warm_target - self.warming) * self.warm_s)
        return True, (f"warming the hottest {pct:g}% of keys ({secs}s at the loader's "
                      f"rate); they serve about {100 * self.covered(pct / 100):.0f}% of reads")
