"""Per-tick metric records, event log lines, and the service alert (time to detect)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from .clock import elapsed


@dataclass(frozen=True, slots=True)
class TickMetrics:
    """What the dashboards show for one simulated second."""

    t: int
    requests: int
    served: int  # answered without a 5xx (degraded answers included)
    failed: int  # 5xx and dropped requests, baseline noise included
    incident_failed: int  # failures caused by the incident, not the healthy baseline
    degraded: int  # answered 200 but wrongly (broken page, skipped check, lost sale)
    error_rate: float
    p50_ms: float
    p99_ms: float
    new_share: float  # traffic share on the new version
    business: float  # business events (orders) this second
    business_expected: float
    users_affected: int  # distinct users who saw a failure or a wrong answer so far
    budget_burned: float  # percent of the 30-day error budget burned so far
    data_at_risk: float  # writes so far that may have stored bad data
    versions: tuple[tuple[str, int, int], ...]  # (version, requests, failed)
    pods: tuple[tuple[str, str, int], ...]  # (version, phase, count)


@dataclass(frozen=True, slots=True)
class Event:
    t: int
    text: str

    def __str__(self) -> str:
        return f"{elapsed(self.t)} {self.text}"


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """An action as applied: who asked, and whether the tool accepted it."""

    t: int
    text: str
    accepted: bool
    reason: str
    by: str  # "you", "script" (the scenario's timeline)


class Alert:
    """The service's own alert on aggregate metrics over a trailing window."""

    def __init__(self, window: int, base_error: float, base_p99: float) -> None:
        self.window = window
        self.base_error, self.base_p99 = base_error, base_p99
        self.points, self.p99_factor, self.business_drop = 1.0, 1.5, 0.05
        self._rows: deque[tuple[int, int, float, float, float]] = deque()
        self._sums = [0, 0, 0.0, 0.0, 0.0]
        self.firing = False

    def feed(self, m: TickMetrics) -> str | None:
        """Add a tick; returns the reason when the alert starts firing."""
        row = (m.requests, m.failed, m.p99_ms, m.business, m.business_expected)
        self._rows.append(row)
        s = self._sums
        for i, v in enumerate(row):
            s[i] += v
        if len(self._rows) > self.window:
            old = self._rows.popleft()
            for i, v in enumerate(old):
                s[i] -= v
        if len(self._rows) < self.window:
            return None
        reason = self._breach()
        was, self.firing = self.firing, reason is not None
        return reason if reason and not was else None

    def _breach(self) -> str | None:
        req, failed, p99, biz, expected = self._sums
        n = len(self._rows)
        if req and failed / req > self.base_error + self.points / 100:
            return f"error rate {100 * failed / req:.1f}% over {n}s (baseline " \
                   f"{100 * self.base_error:.1f}% + {self.points:g} points)"
        if p99 / n > self.p99_factor * self.base_p99:
            return f"p99 {p99 / n:.0f} ms over {n}s (> {self.p99_factor:g}x baseline)"
        if expected and biz / expected < 1 - self.business_drop:
            return f"business metric down {100 * (1 - biz / expected):.0f}% over {n}s"
        return None
