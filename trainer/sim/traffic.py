"""Offered load over the day, and the distinct users behind the requests.

Load is the day curve times a slow drift (busier or quieter minutes, an AR(1) walk drawn
once a minute) times per-second noise.

Users are counted in aggregate: the population is split into 100 buckets along the hash
used by flags and DNS cohorts, and each bucket keeps the expected number of bad responses
per user. Users are not equally active: a user's share of the requests follows a gamma
law of shape k (drawn per seed), so one with `x` expected bad responses on average has
seen at least one with probability 1 - (1 + x/k)^-k, never needing per-user state.

Orders are counted, not expected: independent buyers make a Poisson process, so a window
with `n` expected orders counts n +- sqrt(n) (at 12 orders a second a minute's count
varies by about 3.7%), and a small drop hides in that noise until enough time has passed.
"""

from __future__ import annotations

import math
import random

from trainer.bank.simulation import Traffic

BUCKETS = 100
DRIFT_KEEP = 0.9  # the drift keeps 90% of last minute's offset...
DRIFT_SIGMA = 0.02  # ...and takes a fresh 2% step: about 5% spread, minutes long
DRIFT_MAX = 0.1
ACTIVITY_SHAPES = (0.7, 2.0)  # heavy-tailed to fairly even user activity
POISSON_NORMAL = 30.0  # from this mean on, a Poisson draw is taken from its normal limit
# Business checks are anomaly bands: a shortfall counts once it passes both the threshold
# and three standard deviations (sqrt of the expected count) of the window's own noise.
BUSINESS_Z = 3.0


def orders_short(counted: float, expected: float, threshold: float) -> bool:
    """Whether `counted` orders fall short of `expected` by more than the threshold (a
    share) and by more than the count's own noise."""
    return expected > 0 and expected - counted > max(threshold * expected,
                                                     BUSINESS_Z * math.sqrt(expected))


def poisson(rng: random.Random, mean: float) -> float:
    """A Poisson count with this mean, from one draw: inverse transform below
    POISSON_NORMAL, the normal approximation (mean, sqrt(mean)) above it."""
    if mean <= 0.0:
        return 0.0
    if mean >= POISSON_NORMAL:
        return float(max(0, round(mean + math.sqrt(mean) * rng.gauss(0.0, 1.0))))
    u = rng.random()
    k, p = 0, math.exp(-mean)
    cdf = p
    while u > cdf and p > 0.0:
        k += 1
        p *= mean / k
        cdf += p
    return float(k)


def day_curve(hour: float) -> float:
    """Relative load by hour of day: trough about 04:00, peak about 15:00 (range 0.25-1)."""
    return 0.625 - 0.375 * math.cos(2 * math.pi * (hour - 3.5) / 24)


class Load:
    def __init__(self, spec: Traffic, start_of_day: int) -> None:
        self.spec = spec
        self.start = start_of_day
        self._norm = day_curve(start_of_day / 3600)
        self._cache: tuple[int, float] = (-1, 0.0)
        self.drift = 0.0

    def curve(self, minute: int) -> float:
        if self.spec.curve == "flat":
            return self.spec.rps
        hour = ((self.start + minute * 60) % 86400) / 3600
        return self.spec.rps * day_curve(hour) / self._norm

    def rate(self, t: int, rng: random.Random) -> float:
        minute = t // 60  # the curve and the drift move slowly; once a minute is plenty
        if self._cache[0] != minute:
            if self.spec.noise:
                step = DRIFT_KEEP * self.drift + DRIFT_SIGMA * rng.gauss(0.0, 1.0)
                self.drift = min(DRIFT_MAX, max(-DRIFT_MAX, step))
            self._cache = (minute, self.curve(minute) * (1 + self.drift))
        return self._cache[1]

    def peak(self, t: int, end: int) -> float:
        """The highest rate the remaining run can offer before noise (drift included)."""
        top = max((self.curve(m) for m in range(t // 60, end // 60 + 1)), default=0.0)
        return top * (1 + DRIFT_MAX)

    def offered(self, t: int, rng: random.Random) -> int:
        rate = self.rate(t, rng)
        noisy = rate * (1 + self.spec.noise * rng.gauss(0.0, 1.0))
        return max(0, round(noisy))


class Users:
    """Distinct users who got a bad response, by cohort bucket."""

    def __init__(self, population: int, shape: float = 1e9) -> None:
        self.population = population
        self.shape = shape
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
            self._affected = self.population * self._hit(self.uniform)
        else:
            u, hit = self.uniform, self._hit
            self._affected = self.size * sum(hit(u + x) for x in self.by_bucket)
        return self._affected

    def _hit(self, x: float) -> float:
        """Share of users with `x` expected bad responses who saw at least one."""
        k = self.shape
        return -math.expm1(-k * math.log1p(x / k))
