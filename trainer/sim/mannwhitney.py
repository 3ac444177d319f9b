"""Mann-Whitney U test, Hodges-Lehmann shift and a Kayenta-style canary judge, by hand.

Kayenta classifies each metric by a two-sided Mann-Whitney U test at 98% confidence: when
the canary's distribution differs significantly and the Hodges-Lehmann shift is larger than
the tolerance (a share of the baseline's level), the metric is High or Low; otherwise Pass.
The metric's direction filters the result: a latency metric that only fails on increase
passes when the canary is faster, which is why a canary that does less work sails through.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def ranks(values: list[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        avg = (i + j) / 2 + 1
        for k in range(i, j + 1):
            out[order[k]] = avg
        i = j + 1
    return out


def mann_whitney(x: list[float], y: list[float]) -> tuple[float, float]:
    """U statistic of x against y and the two-sided p-value (normal approximation with tie
    and continuity corrections)."""
    n1, n2 = len(x), len(y)
    if n1 == 0 or n2 == 0:
        raise ValueError("both samples need at least one value")
    r = ranks(list(x) + list(y))
    u1 = sum(r[:n1]) - n1 * (n1 + 1) / 2
    n = n1 + n2
    counts: dict[float, int] = {}
    for v in list(x) + list(y):
        counts[v] = counts.get(v, 0) + 1
    ties = sum(c ** 3 - c for c in counts.values())
    var = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1))) if n > 1 else 0.0
    if var <= 0:
        return u1, 1.0
    z = (abs(u1 - n1 * n2 / 2) - 0.5) / math.sqrt(var)
    return u1, min(1.0, math.erfc(max(0.0, z) / math.sqrt(2)))


def hodges_lehmann(x: list[float], y: list[float]) -> float:
    """Median of all pairwise differences x_i - y_j: the shift of x relative to y."""
    diffs = sorted(a - b for a in x for b in y)
    m = len(diffs)
    return diffs[m // 2] if m % 2 else (diffs[m // 2 - 1] + diffs[m // 2]) / 2


@dataclass(frozen=True, slots=True)
class MetricVerdict:
    name: str
    classification: str  # Pass, High, Low, NodataFail
    p_value: float
    shift: float


def classify(name: str, canary: list[float], baseline: list[float], direction: str,
             confidence: float = 0.98, tolerance: float = 0.25) -> MetricVerdict:
    if len(canary) < 3 or len(baseline) < 3:
        return MetricVerdict(name, "NodataFail", 1.0, 0.0)
    _, p = mann_whitney(canary, baseline)
    shift = hodges_lehmann(canary, baseline)
    level = abs(sorted(baseline)[len(baseline) // 2]) or 1e-9
    label = "Pass"
    if p < 1 - confidence and abs(shift) > tolerance * level:
        label = "High" if shift > 0 else "Low"
    if (direction == "increase" and label == "Low") or (direction == "decrease"
                                                         and label == "High"):
        label = "Pass"
    return MetricVerdict(name, label, p, shift)


def score(verdicts: list[MetricVerdict], critical: tuple[str, ...] = ()) -> float:
    """100 x Pass / all; a critical metric that is High or Low scores 0."""
    if not verdicts:
        return 0.0
    if any(v.name in critical and v.classification in ("High", "Low") for v in verdicts):
        return 0.0
    return 100.0 * sum(v.classification == "Pass" for v in verdicts) / len(verdicts)
