"""Offered load over the day, and the distinct users behind the requests.

Users are counted in aggregate: the population is split into 100 buckets along the hash
used by flags and DNS cohorts, and each bucket keeps the expected number of bad responses
per user. A user who has had `x` expected bad responses has seen at least one with
probability 1 - exp(-x), so distinct users affected never needs per-user state.
"""

from __future__ import annotations

import math
import random

from trainer.bank.simulation import Traffic

BUCKETS = 100


def day_curve(hour: float) -> float:
    """Relative load by hour of day: trough about 04:00, peak about 15:00 (range 0.25-1)."""
    return 0.625 - 0.375 * math.cos(2 * math.pi * (hour - 3.5) / 24)


class Load:
    def __init__(self, spec: Traffic, start_of_day: int) -> None:
        self.spec = spec
        self.start = start_of_day
        self._norm = day_curve(start_of_day / 3600)
        self._cache: tuple[int, float] = (-1, 0.0)

    def rate(self, t: int) -> float:
        if self.spec.curve == "flat":
            return self.spec.rps
        minute = t // 60  # the curve moves slowly; once a minute is plenty
        if self._cache[0] != minute:
            hour = ((self.start + minute * 60) % 86400) / 3600
            self._cache = (minute, self.spec.rps * day_curve(hour) / self._norm)
        return self._cache[1]

    def offered(self, t: int, rng: random.Random) -> int:
        rate = self.rate(t)
        noisy = rate * (1 + self.spec.noise * rng.gauss(0.0, 1.0))
        return max(0, round(noisy))


class Users:
    """Distinct users who got a bad response, by cohort bucket."""

    def __init__(self, population: int) -> None:
        self.population = population
        self.size = population / BUCKETS
        self.uniform = 0.0  # expected bad responses per user, spread over everyone
        self.by_bucket = [0.0] * BUCKETS
        self._dirty = False
        self._affected = 0.0
        self.cohort_used = False

    def add(self, bad: float, cohort: float = 1.0) -> None:
        """Attribute `bad` responses to users in the cohort [0, cohort) of the hash."""
        if bad <= 0:
            return
        self._dirty = True
        if cohort >= 0.999:
            self.uniform += bad / self.population
            return
        self.cohort_used = True
        span = max(cohort * BUCKETS, 1e-6)
        full = int(span)
        per_user = bad / (span * self.size)
        for b in range(min(full, BUCKETS)):
            self.by_bucket[b] += per_user
        if full < BUCKETS and span > full:
            # The part-covered bucket: only that fraction of its users is exposed.
            self.by_bucket[full] += per_user * (span - full)

    def affected(self) -> float:
        if not self._dirty:
            return self._affected
        self._dirty = False
        if not self.cohort_used:
            self._affected = self.population * -math.expm1(-self.uniform)
        else:
            u = self.uniform
            self._affected = self.size * sum(-math.expm1(-(u + x)) for x in self.by_bucket)
        return self._affected
