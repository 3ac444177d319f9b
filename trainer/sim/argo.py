"""Argo Rollouts canary: steps, analysis, and abort / retry / undo / promote semantics.

With traffic routing the stable ReplicaSet stays at full size and the mesh weight moves
only once the canary pods for that weight are available (pods first, then weight). Without
it (basic canary) the canary replaces stable pods and traffic follows pod counts. Abort
sends the weight to 0 but leaves the new template in place (Degraded); only undo puts the
old template back, fast-tracked when that is the stable ReplicaSet of an unfinished update,
and so does setting the image back to the stable version (docs/features/rollback.md).
"""

from __future__ import annotations

import math

from .actions import Action
from .analysis import AnalysisRun, Measurer
from .kube import surge_and_unavailable, sync_rs
from .pods import ReplicaSet, Template
from .serve import TickResult, VersionStats
from .steps import parse_step
from .strategy import ArgoRollout, Result, Route
from .world import World


class ArgoCanary(ArgoRollout):
    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.stable = self.running_fleet(self.template)
        self.canary: ReplicaSet | None = None
        self.steps = [parse_step(s) for s in self.params.steps]
        self.index = 0
        self.weight = 0
        self.paused = False
        self.pause_reason = ""
        self._until: int | None = None
        self.aborted = False
        self.phase = "Healthy"
        self.measurer = Measurer(world.analysis, world.spec.traffic, world.rng)
        self.run: AnalysisRun | None = None
        self.background: AnalysisRun | None = None
        self.scale_downs: list[tuple[int, ReplicaSet]] = []
        self.restart_at: int | None = None

    @property
    def routed(self) -> bool:
        return self.params.traffic_routing

    # --- template changes -------------------------------------------------------------------
    def start(self, t: int) -> None:
        self._set_template(self.template_for(self.template, self.fleet.new_version), t)

    def _set_template(self, tpl: Template, t: int) -> None:
        if self.canary is not None and self.canary.template != tpl:
            self._later(t, self.canary, 0)
            # A new canary ReplicaSet starts with no available pods, and the router never
            # weights a canary without them (rollout/trafficrouting.go): step 0's weight.
            self.weight = 0
        self.template = tpl
        self.revision += 1
        self.canary = self.world.cluster.replica_set(tpl, self.revision, t, owner=self.name)
        self.scale_downs = [(d, rs) for d, rs in self.scale_downs if rs is not self.canary]
        self.index, self.paused, self.aborted, self._until = 0, False, False, None
        self.run = None
        self.phase = "Progressing"
        if self.world.analysis.background and self.steps:
            self.background = AnalysisRun(self.measurer, t, None)
        self.world.log(t, f"rollout {self.name}: revision {self.revision} ({tpl.version}) "
                       "created; step index reset to 0")

    def _later(self, t: int, rs: ReplicaSet, delay: int) -> None:
        self.scale_downs.append((t + delay, rs))

    # --- controller -----------------------------------------------------------------------------
    def tick(self, t: int) -> None:
        due = [rs for d, rs in self.scale_downs if d <= t]
        if due:
            self.scale_downs = [(d, rs) for d, rs in self.scale_downs if d > t]
            for rs in due:
                idle = rs is not self.stable and rs is not self.canary
                if idle or (rs is self.canary and self.aborted):
                    rs.spec = 0
        if self.canary is not None and not self.aborted and not self.paused:
            self._advance(t, self.canary)
        if self.restart_at is not None:
            self._restart_step(t)
        for rs in self.world.cluster.sets:
            if rs.owner == self.name:
                sync_rs(self.world.cluster, rs, t)

    def _canary_pods(self, weight: int) -> int:
        return min(self.replicas, math.ceil(weight * self.replicas / 100))

    def _advance(self, t: int, canary: ReplicaSet) -> None:
        if not self.steps:  # no steps (or a first deploy): straight to 100%
            self._finish(t, canary)
            return
        while self.index < len(self.steps) and not self.paused:
            step = self.steps[self.index]
            if step.kind == "setWeight":
                want = step.value or 0
                canary.spec = self._canary_pods(want)
                if not self.routed:
                    self._scale_stable(t, canary, want)
                if canary.count_available(t) < canary.spec:
                    return  # pods first, then weight
                if self.weight != want:
                    self.world.log(t, f"rollout {self.name}: setWeight {want}")
                self.weight = want
            elif step.kind == "pause":
                if step.value is None:
                    self._pause(t, "CanaryPauseStep")
                    return
                if self._until is None:
                    self._until = t + step.value
                if t < self._until:
                    return
                self._until = None
            elif step.kind == "analysis":
                if self.run is None:
                    self.run = AnalysisRun(self.measurer, t, self.world.analysis.count)
                    self.world.log(t, f"rollout {self.name}: analysis run started")
                if self.run.phase != "Successful":
                    return
                self.run = None
            self.index += 1
        if self.index >= len(self.steps):
            self._finish(t, canary)

    def _scale_stable(self, t: int, canary: ReplicaSet, want: int) -> None:
        """Basic canary: stable gives up pods only as far as maxUnavailable allows while
        the canary's pods are not yet available."""
        target = self.replicas - canary.spec if want < 100 else 0
        _, unavailable = surge_and_unavailable(self.params.max_surge,
                                               self.params.max_unavailable, self.replicas)
        floor = self.replicas - unavailable - canary.count_available(t)
        self.stable.spec = max(target, min(self.stable.spec, floor))

    def _finish(self, t: int, canary: ReplicaSet) -> None:
        canary.spec = self.replicas
        if canary.count_available(t) < self.replicas:
            return
        old = self.stable
        self.history.append(old.template)
        self.stable, self.canary = canary, None
        self.weight = 0
        self.phase = "Healthy"
        self.background = None
        self._later(t, old, self.params.scale_down_delay_s)
        self.world.log(t, f"rollout {self.name}: completed; {canary.template.version} is stable, "
                       f"old ReplicaSet scaled down in {self.params.scale_down_delay_s}s")

    def _pause(self, t: int, reason: str) -> None:
        self.paused, self.pause_reason = True, reason
        self.phase = "Paused"
        self.world.log(t, f"rollout {self.name}: paused ({reason})")

    def _abort(self, t: int, canary: ReplicaSet, why: str) -> None:
        self.aborted = True
        self.weight = 0
        self.index = 0
        self.run = self.background = None
        self.phase = "Degraded"
        if not self.routed:
            self.stable.spec = self.replicas
        if self.params.abort_scale_down_delay_s:
            self._later(t, canary, self.params.abort_scale_down_delay_s)
        self.world.log(t, f"rollout {self.name}: RolloutAborted: aborted update to revision "
                       f"{self.revision} ({why}); weight 0, template still {self.template.version}")
        self.world.detect(t)

    # --- traffic and analysis ----------------------------------------------------------------
    def routes(self, t: int) -> list[Route]:
        if not self.routed:
            # Basic canary: the Service selects every pod of the rollout.
            sets = [rs for rs in self.world.cluster.sets if rs.owner == self.name]
            return [(1.0, sets, 1.0)]
        if self.canary is None or not self.canary.count_available(t):
            return [(1.0, [self.stable], 1.0)]
        w = self.weight / 100
        return [(w, [self.canary], 1.0), (1.0 - w, [self.stable], 1.0)]

    def new_share(self, t: int) -> float:
        return self.world.version_share(self.fleet.new_version)

    def status(self) -> str:
        step = f" step {self.index}/{len(self.steps)}" if self.canary is not None else ""
        return f"{self.phase}{step} weight {self.weight}"

    def observe(self, t: int, result: TickResult) -> None:
        canary = self.canary
        if canary is None:
            return
        stats: VersionStats | _Aggregate | None
        if self.world.analysis.scope == "canary":
            stats = result.versions.get(canary.template.version)
        else:
            stats = _Aggregate(result)
        restarts = sum(p.restarts for p in canary.pods)
        for run, name in ((self.run, "analysis"), (self.background, "background analysis")):
            if run is None:
                continue
            phase = run.feed(t, stats, restarts)
            if phase in ("Failed", "Error"):
                self.world.log(t, f"rollout {self.name}: {name} {phase} ({run.last})")
                self._abort(t, canary, f"{name} {phase.lower()}")
                return
            if phase == "Inconclusive":
                self.world.log(t, f"rollout {self.name}: {name} Inconclusive ({run.last}); "
                               "an Inconclusive result pauses, it does not fail")
                self._pause(t, "InconclusiveAnalysis")

    # --- actions ---------------------------------------------------------------------------
    def do_abort(self, a: Action, t: int) -> Result:
        if self.canary is None:
            return False, f'error: rollout "{self.name}" has no update in progress to abort'
        if self.aborted:
            return False, f'error: rollout "{self.name}" is already aborted'
        self._abort(t, self.canary, "aborted by user")
        return True, "rollout aborted: canary weight 0; the template still holds the new " \
                     "version (Degraded) until you undo"

    def do_retry(self, a: Action, t: int) -> Result:
        if not self.aborted:
            return False, f'error: rollout "{self.name}" is not aborted; retry only restarts ' \
                          "an aborted update"
        self.aborted, self.phase, self.index = False, "Progressing", 0
        self.scale_downs = [(d, rs) for d, rs in self.scale_downs if rs is not self.canary]
        if self.world.analysis.background:
            self.background = AnalysisRun(self.measurer, t, None)
        return True, f"rollout retried: redeploying the same template ({self.template.version})"

    def do_undo(self, a: Action, t: int) -> Result:
        if self.canary is not None:
            return self._fast_track(t, "undo")
        if not self.history:
            return False, f'error: no rollout history found for rollout "{self.name}"'
        target = self.history.pop()
        self._set_template(target, t)
        return True, f"rollout '{self.name}' undo: a new update to {target.version} runs " \
                     "through the steps again"

    def _fast_track(self, t: int, how: str) -> Result:
        """Back to the stable ReplicaSet of an unfinished update: no steps, no analysis."""
        canary = self.canary
        assert canary is not None
        self.template = self.stable.template
        # The old canary is now just an old ReplicaSet: scaleDownDelaySeconds applies.
        self._later(t, canary, self.params.scale_down_delay_s)
        self.canary, self.weight, self.aborted, self.paused = None, 0, False, False
        self.run = self.background = None
        self.phase = "Healthy"
        self.world.log(t, f"rollout {self.name}: {how} fast-tracked to stable "
                       f"{self.template.version} (no steps, no analysis); "
                       f"{canary.template.version} scaled down")
        return True, f"rollout '{self.name}' {how}: back on stable {self.template.version}"

    def do_promote(self, a: Action, t: int) -> Result:
        if self.canary is None:
            return False, f'error: rollout "{self.name}" is not paused or progressing'
        if self.aborted:
            return False, f'error: rollout "{self.name}" is aborted; retry or undo it'
        if a.args:
            self.index = len(self.steps)
            self.paused, self.run, self.background = False, None, None
            self.phase = "Progressing"
            return True, f"rollout '{self.name}' fully promoted: steps and analysis skipped"
        self.index += 1
        self.paused, self._until, self.run = False, None, None
        self.phase = "Progressing"
        return True, f"rollout '{self.name}' promoted"

    def do_pause(self, a: Action, t: int) -> Result:
        if self.paused:
            return False, f'error: rollout "{self.name}" is already paused'
        self._pause(t, "manual pause")
        return True, f"rollout '{self.name}' paused"

    def do_resume(self, a: Action, t: int) -> Result:
        return False, 'error: unknown command "resume" for "kubectl-argo-rollouts"; use ' \
                      "promote to continue a paused rollout"

    def do_set_weight(self, a: Action, t: int) -> Result:
        return False, "kubectl argo rollouts has no command to set the canary weight; the " \
                      "weight comes from the steps (promote, abort or undo instead)"

    def do_scale(self, a: Action, t: int) -> Result:
        self.replicas = int(float(a.args[0]))
        if self.routed or self.canary is None:  # mid-update, a basic canary's steps size it
            self.stable.spec = self.replicas
        return True, f"rollout '{self.name}' scaled to {self.replicas}"

    def do_deploy(self, a: Action, t: int) -> Result:
        if self.canary is not None and a.args[0] == self.stable.template.version:
            return self._fast_track(t, f"image set back to {a.args[0]}")
        self._set_template(self.template_for(self.template, a.args[0]), t)
        return True, f"rollout '{self.name}' image updated to {a.args[0]}"

    def do_patch(self, a: Action, t: int) -> Result:
        self._set_template(self.patched(self.template, a), t)
        return True, f"rollout '{self.name}' template patched: a new revision starts"

    def do_restart(self, a: Action, t: int) -> Result:
        sets = [rs for rs in self.world.cluster.sets if rs.owner == self.name and rs.live()]
        if not any(rs.template.version == a.args[0] for rs in sets):
            return False, f'error: no running pods of version "{a.args[0]}"'
        self.restart_at = t
        return True, (f"rollout '{self.name}' restarting: every pod older than now is "
                      "evicted and recreated, at most maxUnavailable at a time "
                      "(docs/features/restart)")

    def _restart_step(self, t: int) -> None:
        at = self.restart_at
        assert at is not None
        pods = [p for rs in self.world.cluster.sets if rs.owner == self.name
                for p in rs.live()]
        old = sorted((p for p in pods if p.created <= at), key=lambda p: p.created)
        if not old:
            self.restart_at = None
            self.world.log(t, f"rollout {self.name}: restart complete")
            return
        _, most = surge_and_unavailable(self.params.max_surge, self.params.max_unavailable,
                                        self.replicas)
        busy = sum(1 for p in pods if not p.available(t))
        for pod in old[:max(0, max(1, most) - busy)]:
            self.world.cluster.delete_pod(pod, t)

    def settled(self, t: int) -> bool:
        if self.scale_downs or self.restart_at is not None or self.run or self.background:
            return False
        return self.canary is None or (self.aborted and not self.canary.pods)


class _Aggregate:
    """The whole service's numbers, for analysis queries scoped to the aggregate."""

    __slots__ = ("requests", "failed", "p99", "clean_p99", "business", "expected")

    def __init__(self, res: TickResult) -> None:
        self.requests, self.failed, self.p99 = res.offered, res.failed, res.p99
        self.clean_p99 = max((v.clean_p99 for v in res.versions.values()), default=res.p99)
        self.business, self.expected = res.business, res.expected
