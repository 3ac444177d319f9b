"""Per-tick metric records, event log lines, and the service alert (time to detect)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from .clock import elapsed
from .traffic import orders_short


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
    business: float  # business events (orders) counted this second: Poisson, so noisy
    business_expected: float
    users_affected: int  # distinct users who saw a failure or a wrong answer so far
    budget_burned: float  # percent of the 30-day error budget burned so far
    data_at_risk: float  # writes so far that may have stored bad data
    versions: tuple[tuple[str, int, int], ...]  # (version, requests, failed)
    pods: tuple[tuple[str, str, int], ...]  # (version, phase, count)
    orders_lost: float = 0.0  # orders the incident cost this second (expected, noise-free)

    def __deepcopy__(self, memo: dict[int, object]) -> TickMetrics:
        return self  # immutable: a forked simulation shares its past


@dataclass(frozen=True, slots=True)
class Event:
    t: int
    text: str

    def __str__(self) -> str:
        return f"{elapsed(self.t)} {self.text}"

    def __deepcopy__(self, memo: dict[int, object]) -> Event:
        return self


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """An action as applied: who asked, and whether the tool accepted it."""

    t: int
    text: str
    accepted: bool
    reason: str
    by: str  # "you", "script" (the scenario's timeline), "pipeline" (a build landing)

    def __deepcopy__(self, memo: dict[int, object]) -> ActionRecord:
        return self


class Alert:
    """The service's own alert, evaluated like a Prometheus rule.

    Every `eval_s` seconds the rule checks its rates over the trailing `window` seconds;
    a breach makes it pending, and it fires once the breach has held at every evaluation
    for `for_s` (`for:`, Grafana's pending period). It resolves at the first evaluation
    without a breach. Its business rule is an anomaly band, as such rules are written
    against a Poisson count: below the expected orders by the threshold and by three
    standard deviations, so noise alone does not page.
    """

    def __init__(self, window: int, for_s: int, eval_s: int, base_error: float,
                 base_p99: float) -> None:
        self.window, self.for_s, self.eval_s = window, for_s, eval_s
        self.base_error, self.base_p99 = base_error, base_p99
        self.points, self.p99_factor, self.business_drop = 1.0, 1.5, 0.05
        self._rows: deque[tuple[int, int, float, float, float]] = deque()
        self._sums = [0, 0, 0.0, 0.0, 0.0]
        self.firing = False
        self.pending_since: int | None = None

    def feed(self, m: TickMetrics) -> tuple[bool, str] | None:
        """Add a tick; returns (True, reason) when the alert fires, (False, "") when it
        resolves, None otherwise."""
        row = (m.requests, m.failed, m.p99_ms, m.business, m.business_expected)
        self._rows.append(row)
        s = self._sums
        for i, v in enumerate(row):
            s[i] += v
        if len(self._rows) > self.window:
            old = self._rows.popleft()
            for i, v in enumerate(old):
                s[i] -= v
        if m.t % self.eval_s or len(self._rows) < self.window:
            return None
        reason = self._breach()
        if reason is None:
            self.pending_since = None
            if self.firing:
                self.firing = False
                return False, ""
            return None
        if self.pending_since is None:
            self.pending_since = m.t
        if not self.firing and m.t - self.pending_since >= self.for_s:
            self.firing = True
            return True, reason
        return None

    def _breach(self) -> str | None:
        req, failed, p99, biz, expected = self._sums
        n = len(self._rows)
        if req and failed / req > self.base_error + self.points / 100:
            return f"error rate {100 * failed / req:.1f}% over {n}s (baseline " \
                   f"{100 * self.base_error:.1f}% + {self.points:g} points)"
        if p99 / n > self.p99_factor * self.base_p99:
            return f"p99 {p99 / n:.0f} ms over {n}s (> {self.p99_factor:g}x baseline)"
        if orders_short(biz, expected, self.business_drop):
            return f"business metric down {100 * (1 - biz / expected):.0f}% over {n}s"
        return None
