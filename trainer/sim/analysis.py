"""Automated analysis: measurement windows, threshold checks, the canary judge and Argo's
AnalysisRun bookkeeping.

An AnalysisRun takes one measurement per interval. A measurement is Successful, Failed,
Inconclusive or Error; the run fails when failures exceed failureLimit (strictly: limit 3
fails on the 4th), goes Inconclusive when inconclusives exceed inconclusiveLimit, errors
when consecutive Errors exceed consecutiveErrorLimit, and succeeds after `count`
measurements. A query that returns no data (an empty Prometheus vector: nothing to index)
is an Error, not Inconclusive (argoproj/argo-rollouts#1466).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Protocol

from trainer.bank.simulation import Analysis, Traffic

from .mannwhitney import classify, score
from .serve import binom
from .traffic import orders_short


@dataclass(slots=True)
class Window:
    """One interval of the canary's traffic, and of a same-age baseline."""

    requests: int = 0
    failed: int = 0
    business: float = 0.0
    expected: float = 0.0
    err_series: list[float] = field(default_factory=list)
    p99_series: list[float] = field(default_factory=list)
    base_err: list[float] = field(default_factory=list)
    base_p99: list[float] = field(default_factory=list)
    restarts_at_start: int = 0


class Stats(Protocol):
    """One tick's numbers for what an analysis watches: a version, or the whole service."""

    @property
    def requests(self) -> int: ...

    @property
    def failed(self) -> int: ...

    @property
    def p99(self) -> float: ...

    @property
    def clean_p99(self) -> float:
        """The p99 the same pods would show with no faults (the judge's baseline)."""

    @property
    def business(self) -> float: ...

    @property
    def expected(self) -> float: ...


class Measurer:
    def __init__(self, cfg: Analysis, traffic: Traffic, rng: random.Random) -> None:
        self.cfg, self.traffic, self.rng = cfg, traffic, rng

    def feed(self, w: Window, requests: int, failed: int, p99: float, clean_p99: float,
             business: float, expected: float) -> None:
        w.requests += requests
        w.failed += failed
        w.business += business
        w.expected += expected
        if self.cfg.judge != "mann_whitney" or requests == 0:
            return
        # Per-second series as a metrics store would give them; the baseline is a freshly
        # started copy of the old version under the same load, not warm production.
        noise = math.exp(0.08 * self.rng.gauss(0.0, 1.0))
        w.err_series.append(failed / requests)
        w.p99_series.append(p99 * noise)
        w.base_err.append(binom(self.rng, requests, self.traffic.baseline_error_rate) / requests)
        w.base_p99.append(clean_p99 * math.exp(0.08 * self.rng.gauss(0.0, 1.0)))

    def measure(self, w: Window, restarts: int = 0) -> tuple[str, str]:
        """(Successful | Failed | Inconclusive | Error, why)."""
        c, tr = self.cfg, self.traffic
        if 0 <= c.max_restarts < restarts - w.restarts_at_start:
            return "Failed", f"{restarts - w.restarts_at_start} restarts > {c.max_restarts}"
        if w.requests < max(1, c.min_requests):
            return "Error", f"the query returned no data ({w.requests} requests)"
        if c.judge == "mann_whitney":
            return self._judge(w)
        rate = w.failed / w.requests
        if rate > tr.baseline_error_rate + c.error_points / 100:
            return "Failed", f"error rate {100 * rate:.2f}%"
        if w.p99_series and sum(w.p99_series) / len(w.p99_series) > c.p99_factor * tr.p99_ms:
            return "Failed", "p99 above threshold"
        # Orders are a Poisson count: a check that failed on every dip inside the window's
        # own noise would fail healthy canaries (a canary's window holds few orders).
        if orders_short(w.business, w.expected, c.business_drop):
            return "Failed", f"business metric down {100 * (1 - w.business / w.expected):.0f}%"
        return "Successful", f"error rate {100 * rate:.2f}%"

    def _judge(self, w: Window) -> tuple[str, str]:
        verdicts = [
            classify("error-rate", w.err_series, w.base_err, "increase"),
            classify("p99-latency", w.p99_series, w.base_p99, "increase"),
        ]
        s = score(verdicts, critical=("error-rate",))
        detail = ", ".join(f"{v.name} {v.classification}" for v in verdicts)
        if s >= self.cfg.pass_score:
            return "Successful", f"score {s:.0f} ({detail})"
        if s >= self.cfg.marginal_score:
            return "Inconclusive", f"score {s:.0f} ({detail})"
        return "Failed", f"score {s:.0f} ({detail})"


class AnalysisRun:
    """Argo Rollouts' AnalysisRun for one metric set; `count=None` runs until stopped."""

    def __init__(self, measurer: Measurer, start: int, count: int | None) -> None:
        cfg = measurer.cfg
        self.measurer = measurer
        self.interval = cfg.interval_s
        self.count = count
        self.failure_limit = cfg.failure_limit
        self.inconclusive_limit = cfg.inconclusive_limit
        self.error_limit = cfg.consecutive_error_limit
        self.next_t = start + self.interval
        self.window = Window()
        self.failed = self.inconclusive = self.successful = self.errors = 0
        self.consecutive_errors = 0
        self.phase = "Running"
        self.last = ""

    def feed(self, t: int, stats: Stats | None, restarts: int) -> str | None:
        """Add a tick; returns the new phase when it changes."""
        if self.phase != "Running":
            return None
        if stats is not None:
            self.measurer.feed(self.window, stats.requests, stats.failed, stats.p99,
                               stats.clean_p99, stats.business, stats.expected)
        if t < self.next_t:
            return None
        status, why = self.measurer.measure(self.window, restarts)
        self.last = f"{status}: {why}"
        self.window = Window(restarts_at_start=restarts)
        self.next_t = t + self.interval
        self.consecutive_errors = self.consecutive_errors + 1 if status == "Error" else 0
        if status == "Failed":
            self.failed += 1
        elif status == "Inconclusive":
            self.inconclusive += 1
        elif status == "Error":
            self.errors += 1
        else:
            self.successful += 1
        if self.failure_limit >= 0 and self.failed > self.failure_limit:
            self.phase = "Failed"
        elif self.consecutive_errors > self.error_limit:
            self.phase = "Error"
        elif self.inconclusive > self.inconclusive_limit:
            self.phase = "Inconclusive"
        # An Error is not a measurement for `count` (analysis/analysis.go counts only
        # Successful, Failed and Inconclusive ones).
        elif self.count is not None and self.failed + self.inconclusive + \
                self.successful >= self.count:
            self.phase = "Successful"
        return self.phase if self.phase != "Running" else None
