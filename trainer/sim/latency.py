"""Latency of a mix of groups, each log-normal: the quantiles the dashboards show."""

from __future__ import annotations

import math

Z99 = 2.326  # standard normal 0.99 quantile: a log-normal's p99 is median * exp(Z99 * sigma)
MIN_TAIL_RATIO = 1.01  # p99 kept above the median, so a log-normal spread stays positive

# The latency mix's quantile is found to 1e-10 in log space, far below the 0.01 ms the
# metrics keep; Newton needs a handful of steps, the bisection fallback at most ~40.
TOLERANCE = 1e-10
MAX_STEPS = 60
SQRT2 = math.sqrt(2.0)
SQRT_PI = math.sqrt(math.pi)


def quantile(parts: list[tuple[int, float, float]], q: float, z: float) -> float:
    """Latency quantile of a mix of log-normal groups (count, median, sigma).

    The mix's quantile lies between its groups' own quantiles (every group's CDF is at
    most q below the lowest and at least q above the highest), so Newton's method on
    the mix's CDF in log space, kept inside that bracket by bisection, converges in a
    few steps."""
    if len(parts) == 1:
        return parts[0][1] * math.exp(z * parts[0][2])
    total = sum(p[0] for p in parts)
    # Each group as (weight, log median, sigma, 1 / (sigma * sqrt 2)).
    terms = [(n / total, math.log(med), sig, 1.0 / (sig * SQRT2)) for n, med, sig in parts]
    own = [m + z * sig for _, m, sig, _ in terms]
    lo, hi = min(own), max(own)
    if hi - lo < TOLERANCE:
        return math.exp(lo)
    x = sum(w * o for (w, *_), o in zip(terms, own, strict=True))
    erfc, exp = math.erfc, math.exp
    for _ in range(MAX_STEPS):
        cdf = dens = 0.0
        for w, m, _, k in terms:
            u = (x - m) * k
            cdf += w * 0.5 * erfc(-u)
            dens += w * exp(-u * u) * k / SQRT_PI
        if cdf < q:
            lo = x
        else:
            hi = x
        nxt = x - (cdf - q) / dens if dens > 0 else lo - 1.0
        if not lo < nxt < hi:
            nxt = (lo + hi) / 2
        if abs(nxt - x) < TOLERANCE:
            return exp(nxt)
        x = nxt
    return exp(x)
