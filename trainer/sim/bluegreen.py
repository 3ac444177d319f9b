"""Argo Rollouts blue-green: preview, promotion, the switch, and the scale-down delay.

The new ReplicaSet comes up behind the preview service (smoke traffic keeps it warm), is
promoted after `autoPromotionSeconds` (or waits for `promote`), and the active selector
switches, spreading to the proxies over `switch_lag_s`. With post-promotion analysis the old
side keeps running until the analysis passes, and a failed analysis switches straight back
to it; then (or at once, without analysis) it keeps running for `scaleDownDelaySeconds`
(docs/features/bluegreen.md, sequence of events). An undo inside that window flips back at
once, though the old pods may have gone cold; after it, the old version must start from
scratch as a new preview.
"""

from __future__ import annotations

from .actions import Action
from .analysis import AnalysisRun, Measurer
from .kube import sync_rs
from .pods import ReplicaSet, Template
from .serve import TickResult
from .strategy import ArgoRollout, Result, Route
from .world import World

# Mirroring warms an idle side's caches and pools in proportion to what it is sent; about
# 2% of the real traffic already reaches the hot paths and keys, so more adds nothing.
WARM_SHARE = 0.02


class BlueGreen(ArgoRollout):
    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.active = self.running_fleet(self.template)
        self.preview: ReplicaSet | None = None
        self.ready_t: int | None = None
        self.switch_t = -1
        self.switch_from: ReplicaSet | None = None
        self.scale_downs: list[tuple[int, ReplicaSet]] = []
        self.mirror = 0.0
        self.phase = "Healthy"
        self.post: AnalysisRun | None = None
        self.post_old: ReplicaSet | None = None  # kept up until post-promotion passes
        self.measurer = Measurer(world.analysis, world.spec.traffic, world.rng)

    def start(self, t: int) -> None:
        self._set_template(self.template_for(self.template, self.fleet.new_version), t)

    def _set_template(self, tpl: Template, t: int) -> str:
        if tpl == self.active.template:
            return "already active"
        self.revision += 1
        rs = self.world.cluster.replica_set(tpl, self.revision, t, owner=self.name)
        self.template = tpl
        waiting = any(r is rs for _, r in self.scale_downs) or rs is self.post_old
        if waiting and rs.live():
            # Inside the scale-down delay the old side is still running: flip back at once.
            self.scale_downs = [(d, r) for d, r in self.scale_downs if r is not rs]
            self.post = self.post_old = None
            self.preview = rs
            self._switch(t, rs)
            return "old ReplicaSet still running: switched back at once"
        if self.preview is not None and self.preview is not rs:
            self.preview.spec = 0
        self.preview = rs
        rs.spec = self.replicas
        self.ready_t = None
        self.phase = "Progressing"
        self.world.log(t, f"rollout {self.name}: {tpl.version} starting behind the preview service")
        return f"{tpl.version} starts behind the preview service (pods must start: cold)"

    def _switch(self, t: int, new: ReplicaSet) -> None:
        """Make `new` (the preview) the active side."""
        old = self.active
        self.history.append(old.template)
        self.switch_from, self.switch_t = old, t
        self.active, self.preview = new, None
        self.phase = "Healthy"
        if self.world.spec.analysis is not None:
            self.post = AnalysisRun(self.measurer, t, self.world.analysis.count)
            self.post_old = old
            self.world.log(t, f"rollout {self.name}: active service switched to "
                           f"{new.template.version}; post-promotion analysis runs, and "
                           f"{old.template.version} stays up until it passes")
            return
        self.scale_downs.append((t + self.params.scale_down_delay_s, old))
        self.world.log(t, f"rollout {self.name}: active service switched to "
                       f"{new.template.version}; {old.template.version} scaled down in "
                       f"{self.params.scale_down_delay_s}s")

    def tick(self, t: int) -> None:
        due = [rs for d, rs in self.scale_downs if d <= t]
        if due:
            self.scale_downs = [(d, rs) for d, rs in self.scale_downs if d > t]
            for rs in due:
                if rs is not self.active and rs is not self.preview:
                    rs.spec = 0
                    rs.warmth = 0.0  # pods gone: a restart begins from cold
                    self.world.log(t, f"rollout {self.name}: {rs.template.version} scaled down")
        p = self.preview
        if p is not None and p.count_available(t) >= self.replicas:
            if self.ready_t is None:
                self.ready_t = t
                self.world.log(t, f"rollout {self.name}: preview {p.template.version} fully "
                               "available")
                if not self.params.auto_promotion:
                    self.phase = "Paused"
            if self.params.auto_promotion and t >= self.ready_t + self.params.auto_promotion_s:
                self._switch(t, p)
        for rs in self.world.cluster.sets:
            if rs.owner == self.name:
                sync_rs(self.world.cluster, rs, t)

    def routes(self, t: int) -> list[Route]:
        lag = self.params.switch_lag_s
        if self.switch_from is not None and lag and t - self.switch_t < lag:
            f = (t - self.switch_t) / lag
            return [(1.0 - f, [self.switch_from], 1.0), (f, [self.active], 1.0)]
        return [(1.0, [self.active], 1.0)]

    def warming(self, rs: ReplicaSet) -> float:
        if rs is self.preview:
            return 1.0  # smoke tests and pre-promotion checks hit the preview service
        if rs is self.switch_from and rs.live():
            return min(1.0, self.mirror / 100 / WARM_SHARE)
        return 0.0

    def settled(self, t: int) -> bool:
        return (self.preview is None and not self.scale_downs and self.post is None
                and t - self.switch_t >= self.params.switch_lag_s)

    def new_share(self, t: int) -> float:
        return self.world.version_share(self.fleet.new_version)

    def status(self) -> str:
        return f"{self.phase} active {self.active.template.version}"

    def observe(self, t: int, result: TickResult) -> None:
        if self.post is None:
            return
        stats = result.versions.get(self.active.template.version)
        phase = self.post.feed(t, stats, 0)
        old, delay = self.post_old, self.params.scale_down_delay_s
        if phase == "Successful":
            self.post = self.post_old = None
            if old is not None:
                self.scale_downs.append((t + delay, old))
            self.world.log(t, f"rollout {self.name}: post-promotion analysis Successful; "
                           f"{self.active.template.version} is stable, the old side scaled "
                           f"down in {delay}s")
        elif phase in ("Failed", "Error") and old is not None:
            self.world.log(t, f"rollout {self.name}: post-promotion analysis {phase} "
                           f"({self.post.last}); aborted, switching back to "
                           f"{old.template.version}, which is still running")
            self.post = self.post_old = None
            bad = self.active
            if self.history:
                self.history.pop()
            self.switch_from, self.switch_t, self.active = bad, t, old
            self.phase = "Degraded"
            self.scale_downs.append((t + self.params.abort_scale_down_delay_s, bad))
            self.world.detect(t)

    # --- actions ------------------------------------------------------------------------------
    def do_undo(self, a: Action, t: int) -> Result:
        if self.preview is not None:
            self.preview.spec = 0
            self.preview, self.template = None, self.active.template
            self.phase = "Healthy"
            return True, "preview abandoned; active side unchanged"
        if not self.history:
            return False, f'error: no rollout history found for rollout "{self.name}"'
        return True, self._set_template(self.history.pop(), t)

    def do_abort(self, a: Action, t: int) -> Result:
        if self.preview is None:
            return False, f'rollout "{self.name}" is Healthy: abort only stops an update in ' \
                          "progress; use undo to go back to the previous version"
        self.preview.spec = 0
        self.preview = None
        self.phase = "Degraded"
        return True, "rollout aborted: preview scaled down; template still new (Degraded)"

    def do_promote(self, a: Action, t: int) -> Result:
        p = self.preview
        if p is None:
            return False, f'error: rollout "{self.name}" is not paused'
        if p.count_available(t) < self.replicas:
            return False, f"preview {p.template.version} is not fully available yet " \
                          f"({p.count_available(t)}/{self.replicas})"
        self._switch(t, p)
        return True, f"rollout '{self.name}' promoted"

    def do_warm(self, a: Action, t: int) -> Result:
        self.mirror = float(a.args[0].rstrip("%"))
        return True, f"mirroring {self.mirror:g}% of real traffic to the idle side to keep " \
                     "it warm"

    def do_scale(self, a: Action, t: int) -> Result:
        self.replicas = int(float(a.args[0]))
        self.active.spec = self.replicas
        if self.preview is not None:
            self.preview.spec = self.replicas
        return True, f"rollout '{self.name}' scaled to {self.replicas}"

    def do_deploy(self, a: Action, t: int) -> Result:
        return True, self._set_template(self.template_for(self.template, a.args[0]), t)

    def do_patch(self, a: Action, t: int) -> Result:
        return True, self._set_template(self.patched(self.template, a), t)

    def do_pause(self, a: Action, t: int) -> Result:
        return False, "a blue-green rollout pauses only before promotion (autoPromotion " \
                      "off); there is nothing to pause after the switch"
