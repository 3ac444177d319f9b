"""What an incident cost: detection, mitigation and recovery times, and the damage.

The times are defined from what users saw, against the SLO, never from the alert rule:

- "bad" = requests the incident failed plus wrong answers (both reach users); the SLO
  allows a bad share of 1 - slo/100 (0.1% for 99.9).
- onset: the first bad request of the first minute whose bad share exceeds that
  allowance (a stray failed request is no incident);
- mitigated: from then on, every following minute stays within the allowance;
- recovered: every following minute is back near the healthy state: a bad share under a
  tenth of the allowance and a p99 within 20% of the healthy p99 (the declared p99 at the
  utilisation that minute's load gives the full fleet, so a busier hour is no incident);
- detected: the first tick at or after onset when someone is looking: the alert has fired
  and the on-call has acknowledged the page (the alert's `for:` plus the reaction time),
  or the tooling aborted on its own. An alert that was already firing when the incident
  began counts from the onset.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from .serve import util_factor

if TYPE_CHECKING:  # the engine imports this module, so only the type checker goes back
    from .engine import Simulation

WINDOW = 60
RECOVERED_SHARE = 0.1  # of the SLO's allowance
RECOVERED_P99 = 1.2  # times the healthy p99


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
    slo_bad_share: float = 0.001  # the bad share the SLO allows

    @property
    def bad_requests(self) -> int:
        return self.failed_requests + self.degraded_requests

    @property
    def exceeded_slo(self) -> bool:
        """False when the incident never took a minute past the SLO's allowance."""
        return self.onset_t is not None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _forward(values: list[float], req: list[int]) -> list[float]:
    """Per tick, the ratio of `values` to requests over that tick and the next WINDOW - 1;
    the last minute's ticks take the run's last full minute, so a trickle within the SLO
    never looks like a breach because a window near the end holds only a few requests."""
    n = len(values)
    sv = [0.0] * (n + 1)
    sr = [0] * (n + 1)
    for i in range(n):
        sv[i + 1] = sv[i] + values[i]
        sr[i + 1] = sr[i] + req[i]
    out = []
    for i in range(n):
        i0 = max(0, min(i, n - WINDOW))
        j = min(n, i0 + WINDOW)
        r = sr[j] - sr[i0]
        out.append((sv[j] - sv[i0]) / r if r else 0.0)
    return out


def _settled_after(breaks: list[bool], bad: list[bool], start: int) -> int | None:
    """The tick after the last bad one inside the last minute (from `start`) that breaks
    the limit; None unless a whole clean minute follows it before the run ends (the last
    minutes' windows are cut short, so they could not show a breach)."""
    last = next((i for i in range(len(breaks) - 1, start - 1, -1) if breaks[i]), None)
    if last is None:
        return start
    end = min(len(bad), last + WINDOW)
    done = next((j for j in range(end - 1, last - 1, -1) if bad[j]), last) + 1
    return None if done + WINDOW > len(breaks) else done


def healthy_p99(sim: Simulation, requests: float) -> float:
    """The p99 the full, warm fleet shows at this load with no incident."""
    tr, fleet = sim.spec.traffic, sim.spec.fleet
    return tr.p99_ms * util_factor(requests / max(1e-9, fleet.replicas * fleet.pod_capacity_rps))


def outcome_of(sim: Simulation) -> Outcome:
    ms = sim.metrics
    tr = sim.spec.traffic
    allowed = round(1 - tr.slo / 100, 9)
    bad = [float(m.incident_failed + m.degraded) for m in ms]
    req = [m.requests for m in ms]
    rate = _forward(bad, req)
    onset = next((i for i, r in enumerate(rate) if r > allowed), None)
    if onset is not None:
        onset = next(j for j in range(onset, len(bad)) if bad[j] > 0)
    mitigate = recover = detect = None
    if onset is not None:
        mitigate = _settled_after([r > allowed for r in rate], [b > 0 for b in bad], onset)
        # p99 over the healthy p99 of each tick's load, weighted by requests.
        ratio = [m.p99_ms / healthy_p99(sim, m.requests) for m in ms]
        slow = _forward([x * m.requests for x, m in zip(ratio, ms, strict=True)], req)
        recover = _settled_after(
            [r > allowed * RECOVERED_SHARE or p > RECOVERED_P99
             for r, p in zip(rate, slow, strict=True)],
            [b > 0 or x > RECOVERED_P99 for b, x in zip(bad, ratio, strict=True)], onset)
        if recover is not None and mitigate is not None:
            recover = max(recover, mitigate)
        looks = [max(start, onset) for start, end in sim.watch if max(start, onset) <= end]
        detect = min(looks, default=None)
        if detect is not None and detect >= len(ms):
            detect = None

    def since(x: int | None) -> int | None:
        return None if x is None or onset is None else max(0, x - onset)

    tail = ms[-WINDOW:]
    tail_req = sum(m.requests for m in tail)
    peak, sf, sr = 0.0, 0, 0
    for i, m in enumerate(ms):
        sf += m.failed
        sr += m.requests
        if i >= WINDOW:
            sf -= ms[i - WINDOW].failed
            sr -= ms[i - WINDOW].requests
        if sr and sf / sr > peak:
            peak = sf / sr
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
        orders_lost=round(sum(m.orders_lost for m in ms)),
        peak_error_rate=round(peak, 4),
        final_error_rate=round(sum(m.failed for m in tail) / tail_req, 4) if tail_req else 0.0,
        refused_actions=sum(1 for r in sim.actions if not r.accepted),
        slo_bad_share=allowed,
    )
