"""Flagger canary: checks every interval, failed checks that never reset, promotion by
copying the canary spec to the primary (which then does its own rolling update).

Each interval: roll back once failed checks have reached the threshold; otherwise measure
the canary (request success rate, p99; no traffic = "no values found" = a failed check)
and, if it passed, add stepWeight (which can overshoot maxWeight) or promote at maxWeight.
"""

from __future__ import annotations

from .actions import Action
from .analysis import Window
from .kube import Deployment
from .pods import Template
from .serve import TickResult
from .strategy import Result, Route, Strategy
from .world import World


class Flagger(Strategy):
    tool = "flagger"

    def __init__(self, world: World) -> None:
        super().__init__(world)
        fleet, params = self.fleet, self.params
        tpl = world.initial_template()
        args = (params.max_surge, params.max_unavailable, params.progress_deadline_s,
                params.revision_history_limit, world.log)
        self.primary = Deployment(world.cluster, f"{fleet.service}-primary", tpl,
                                  fleet.replicas, *args)
        self.canary = Deployment(world.cluster, fleet.service, tpl, 0, *args)
        self.phase = "Initialized"
        self.weight = 0
        self.failed = 0
        self.next_check = 0
        self.started = 0
        self.gate_closed = False
        self.rollback_requested = False
        self.skip_analysis = False
        self.window = Window()

    @property
    def ref(self) -> str:
        return f"canary {self.fleet.service}"

    def start(self, t: int) -> None:
        self._new_revision(self.template_for(self.canary.template, self.fleet.new_version), t)

    def _new_revision(self, tpl: Template, t: int) -> None:
        self.canary.set_template(tpl, t)
        self.canary.scale(self.fleet.replicas, t)
        self.phase, self.weight, self.failed = "Progressing", 0, 0
        self.started, self.next_check = t, t + self.params.interval_s
        self.rollback_requested = self.skip_analysis = False
        self.window = Window()
        self.world.log(t, f"{self.ref}: new revision {tpl.version} detected, starting analysis")

    def tick(self, t: int) -> None:
        self.primary.reconcile(t)
        self.canary.reconcile(t)
        if self.phase == "Promoting" and self.primary.complete:
            self.weight = 0
            self.canary.scale(0, t)
            self.phase = "Succeeded"
            self.world.log(t, f"{self.ref}: promotion completed; primary runs "
                           f"{self.primary.template.version}, canary scaled to zero")
        if self.phase == "Progressing" and t >= self.next_check:
            self.next_check = t + self.params.interval_s
            self._check(t)

    def _check(self, t: int) -> None:
        params, a = self.params, self.world.analysis
        window, self.window = self.window, Window()
        if self.rollback_requested or self.failed >= params.threshold:
            why = "rollback gate opened" if self.rollback_requested else \
                f"failed checks threshold reached {self.failed}"
            self._rollback(t, why)
            return
        canary = self.canary.new_rs()
        if canary.count_available(t) < self.canary.replicas:
            if t - self.started > params.progress_deadline_s:
                self._rollback(t, "canary deployment not ready within the progress deadline")
            return
        if self.skip_analysis:
            self._promote(t)
            return
        if self.weight == 0:
            # The first iteration only opens traffic: there is nothing to measure yet.
            self.weight = min(100, params.step_weight)
            self.world.log(t, f"{self.ref}: advance canary weight {self.weight}")
            return
        ok, why = True, ""
        if window.requests < max(1, a.min_requests):  # no samples: the query finds nothing
            ok, why = False, "no values found for metric request-success-rate (no traffic)"
        else:
            rate = 100 * (1 - window.failed / window.requests)
            p99 = sum(window.p99_series) / len(window.p99_series) if window.p99_series else 0.0
            if rate < a.min_success_rate:
                ok, why = False, f"request-success-rate {rate:.2f}% < {a.min_success_rate:g}%"
            elif p99 > a.max_p99_ms:
                ok, why = False, f"request-duration {p99:.0f}ms > {a.max_p99_ms:g}ms"
        if not ok:
            self.failed += 1
            self.world.log(t, f"{self.ref}: halt advancement, {why} (failed checks {self.failed}"
                           f"/{params.threshold}, never reset)")
            return
        if self.gate_closed:
            self.world.log(t, f"{self.ref}: confirm-traffic-increase gate closed, holding")
            return
        if self.weight < params.max_weight:
            self.weight = min(100, self.weight + params.step_weight)
            self.world.log(t, f"{self.ref}: advance canary weight {self.weight}")
        else:
            self._promote(t)

    def _promote(self, t: int) -> None:
        self.primary.set_template(self.canary.template, t)
        self.phase = "Promoting"
        self.world.log(t, f"{self.ref}: copying canary spec to primary; primary rolling update "
                       "starts")

    def _rollback(self, t: int, why: str) -> None:
        self.weight = 0
        self.canary.scale(0, t)
        self.phase = "Failed"
        self.world.log(t, f"{self.ref}: rolling back ({why}); canary failed, scaling to zero")
        self.world.detect(t)

    def settled(self, t: int) -> bool:
        return self.phase in ("Succeeded", "Failed") and self.primary.settled() \
            and self.canary.settled()

    def routes(self, t: int) -> list[Route]:
        w = self.weight / 100
        return [(w, self.canary.sets, 1.0), (1.0 - w, self.primary.sets, 1.0)]

    def new_share(self, t: int) -> float:
        return self.world.version_share(self.fleet.new_version)

    def status(self) -> str:
        return f"{self.phase} weight {self.weight} failed checks {self.failed}"

    def observe(self, t: int, result: TickResult) -> None:
        if self.phase != "Progressing":
            return
        stats = result.versions.get(self.canary.template.version)
        if stats is None or self.weight == 0:
            return
        w = self.window
        w.requests += stats.requests
        w.failed += stats.failed
        if stats.requests:
            w.p99_series.append(stats.p99)

    # --- actions: Flagger is driven by gates and by new revisions ----------------------------
    def do_undo(self, a: Action, t: int) -> Result:
        if self.phase == "Succeeded":
            return False, "flagger: the canary Succeeded, so there is no rollback; deploy the " \
                          "previous version as a new revision"
        if self.phase != "Progressing":
            return False, f"flagger: nothing to roll back (phase {self.phase})"
        self.rollback_requested = True
        return True, "rollback gate opened; Flagger rolls back at its next check"

    def do_promote(self, a: Action, t: int) -> Result:
        if self.phase != "Progressing":
            return False, f"flagger: no analysis in progress (phase {self.phase})"
        if a.args:
            self.skip_analysis = True
            return True, "skipAnalysis set: Flagger promotes at its next check"
        if not self.gate_closed:
            return False, ("flagger: no gate is holding the analysis (pause closes the "
                           "confirm-traffic-increase gate); use promote --full to skip it")
        self.gate_closed = False
        return True, "confirm-traffic-increase gate opened"

    def do_pause(self, a: Action, t: int) -> Result:
        self.gate_closed = True
        return True, "confirm-traffic-increase gate closed: the weight holds (checks go on)"

    def do_resume(self, a: Action, t: int) -> Result:
        self.gate_closed = False
        return True, "confirm-traffic-increase gate opened"

    def do_abort(self, a: Action, t: int) -> Result:
        return False, "flagger has no abort command; open the rollback gate (undo) or revert " \
                      "the deployment spec"

    def do_deploy(self, a: Action, t: int) -> Result:
        self._new_revision(self.template_for(self.canary.template, a.args[0]), t)
        return True, "new revision: weight reset to 0, analysis restarts"

    def do_scale(self, a: Action, t: int) -> Result:
        n = int(float(a.args[0]))
        self.primary.scale(n, t)
        if self.canary.replicas:
            self.canary.scale(n, t)
        return True, f"primary scaled to {n}"
