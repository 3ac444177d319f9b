"""What an incident cost: detection, mitigation and recovery times, and the damage."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the engine imports this module, so only the type checker goes back
    from .engine import Simulation

WINDOW = 60


@dataclass(frozen=True, slots=True)
class Outcome:
    """The debrief numbers of one run. Times are ticks; durations count from onset."""

    onset_t: int | None
    detect_t: int | None
    mitigate_t: int | None
    recover_t: int | None
    time_to_detect: int | None
    time_to_mitigate: int | None
    time_to_recover: int | None
    failed_requests: int
    degraded_requests: int
    users_affected: int
    budget_burned: float
    data_at_risk: int
    orders_lost: int
    peak_error_rate: float
    final_error_rate: float
    refused_actions: int

    @property
    def bad_requests(self) -> int:
        return self.failed_requests + self.degraded_requests

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _last_above(bad: list[int], req: list[int], p99: list[float], rate: float,
                p99_limit: float) -> int | None:
    """Last tick whose trailing window breaks the limits, or None if none ever does."""
    sb = sr = 0
    sp = 0.0
    last = None
    for i in range(len(bad)):
        sb += bad[i]
        sr += req[i]
        sp += p99[i]
        if i >= WINDOW:
            sb -= bad[i - WINDOW]
            sr -= req[i - WINDOW]
            sp -= p99[i - WINDOW]
        n = min(i + 1, WINDOW)
        if (sr and sb / sr > rate) or sp / n > p99_limit:
            last = i
    return last


def outcome_of(sim: Simulation) -> Outcome:
    ms = sim.metrics
    a, tr = sim.analysis, sim.spec.traffic
    bad = [m.incident_failed + m.degraded for m in ms]
    req = [m.requests for m in ms]
    p99 = [m.p99_ms for m in ms]
    onset = sim.onset
    end = len(ms)

    def settled(rate: float, p99_limit: float) -> int | None:
        if onset is None:
            return None
        last = _last_above(bad, req, p99, rate, p99_limit)
        if last is None:
            return onset
        return None if last >= end - 1 else last + 1

    mitigate = settled(a.error_points / 100, a.p99_factor * tr.p99_ms)
    recover = settled(a.error_points / 1000, 1.2 * tr.p99_ms)
    detect = sim.detected_at

    def since(x: int | None) -> int | None:
        return None if x is None or onset is None else max(0, x - onset)

    tail = ms[-WINDOW:]
    tail_req = sum(m.requests for m in tail)
    rates = []
    sf = sr = 0
    for i, m in enumerate(ms):
        sf += m.failed
        sr += m.requests
        if i >= WINDOW:
            sf -= ms[i - WINDOW].failed
            sr -= ms[i - WINDOW].requests
        rates.append(sf / sr if sr else 0.0)
    last = ms[-1] if ms else None
    return Outcome(
        onset_t=onset, detect_t=detect, mitigate_t=mitigate, recover_t=recover,
        time_to_detect=since(detect), time_to_mitigate=since(mitigate),
        time_to_recover=since(recover),
        failed_requests=sum(m.incident_failed for m in ms),
        degraded_requests=sum(m.degraded for m in ms),
        users_affected=last.users_affected if last else 0,
        budget_burned=round(last.budget_burned, 3) if last else 0.0,
        data_at_risk=round(last.data_at_risk) if last else 0,
        orders_lost=round(sum(m.business_expected - m.business for m in ms)),
        peak_error_rate=round(max(rates, default=0.0), 4),
        final_error_rate=round(sum(m.failed for m in tail) / tail_req, 4) if tail_req else 0.0,
        refused_actions=sum(1 for r in sim.actions if not r.accepted),
    )
