"""A Kubernetes Deployment with the RollingUpdate strategy, pass for pass.

Follows the deployment controller: surge rounds up, unavailable rounds down (1 if both are
0); a pass scales the new ReplicaSet up, or else cleans up unhealthy old pods and scales
old ReplicaSets down oldest first. The progress deadline only reports, and only until the
rollout completes. `undo` copies an old template back, which is an ordinary rolling
update, and is refused while paused; `restart` stamps the template (restartedAt), which
is one too.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

from .pods import Cluster, ReplicaSet, Template


def resolve(value: str, replicas: int, round_up: bool) -> int:
    if value.endswith("%"):
        raw = int(value[:-1]) * replicas / 100
        return math.ceil(raw) if round_up else math.floor(raw)
    return int(value)


def surge_and_unavailable(surge: str, unavailable: str, replicas: int) -> tuple[int, int]:
    s = resolve(surge, replicas, True)
    u = resolve(unavailable, replicas, False)
    if s == 0 and u == 0:
        u = 1
    return s, u


def sync_rs(cluster: Cluster, rs: ReplicaSet, t: int) -> None:
    """The ReplicaSet controller: create or delete pods until they match the spec."""
    live = rs.live()
    if len(live) < rs.spec:
        for _ in range(rs.spec - len(live)):
            cluster.create_pod(rs, t)
    elif len(live) > rs.spec:
        # Delete unready pods first, then the youngest.
        order = sorted(live, key=lambda p: (p.ready, -p.container_start))
        for pod in order[: len(live) - rs.spec]:
            cluster.delete_pod(pod, t)


class Deployment:
    def __init__(self, cluster: Cluster, name: str, template: Template, replicas: int,
                 surge: str, unavailable: str, deadline: int, history: int,
                 log: Callable[[int, str], None], t: int = 0, pods: int | None = None) -> None:
        self.cluster, self.name, self.log = cluster, name, log
        self.replicas, self.surge_s, self.unavail_s = replicas, surge, unavailable
        self.deadline, self.history = deadline, history
        self.paused = False
        self.sets: list[ReplicaSet] = []
        self.template = template
        rs = self._rs(template, 1, t)
        rs.spec = replicas if pods is None else pods
        for _ in range(rs.spec):
            cluster.create_pod(rs, t, ready_now=True)
        self.complete = True
        self._seen = -1
        self._progress_t = t
        self._reported = False
        self._best = 0

    @property
    def ref(self) -> str:
        return f"deployment.apps/{self.name}"

    def _rs(self, template: Template, revision: int, t: int) -> ReplicaSet:
        rs = self.cluster.replica_set(template, revision, t, owner=self.name)
        if rs not in self.sets:
            self.sets.append(rs)
        return rs

    @property
    def revision(self) -> int:
        return max(rs.revision for rs in self.sets)

    def new_rs(self) -> ReplicaSet:
        return next(rs for rs in self.sets if rs.template == self.template)

    # --- user-facing operations ------------------------------------------------------
    def set_template(self, template: Template, t: int) -> None:
        if template == self.template:
            return
        self.template = template
        self._rs(template, self.revision + 1, t)
        self.complete = False
        self._progress_t, self._reported, self._best = t, False, 0
        self._seen = -1

    def undo(self, t: int, to_revision: int | None = None) -> tuple[bool, str]:
        if self.paused:
            return False, (f"error: you cannot rollback a paused deployment; resume it first "
                           f"with 'kubectl rollout resume {self.ref}' and try again")
        current = self.new_rs()
        older = sorted((rs for rs in self.sets if rs is not current), key=lambda r: r.revision)
        if to_revision is not None:
            target = next((rs for rs in older if rs.revision == to_revision), None)
            if target is None:
                return False, f"error: unable to find specified revision {to_revision} in history"
        elif not older:
            return False, f"error: no rollout history found for {self.ref}"
        else:
            target = older[-1]
        self.set_template(target.template, t)
        return True, f"{self.ref} rolled back"

    def pause(self) -> tuple[bool, str]:
        if self.paused:
            return False, f'error: deployments.apps "{self.name}" is already paused'
        self.paused = True
        return True, f"{self.ref} paused"

    def resume(self) -> tuple[bool, str]:
        if not self.paused:
            return False, f'error: deployments.apps "{self.name}" is not paused'
        self.paused = False
        self._seen = -1
        self._progress_t = -1  # resuming restarts the progress clock
        return True, f"{self.ref} resumed"

    def scale(self, replicas: int, t: int) -> tuple[bool, str]:
        """Proportional scaling: during a rollout the controller may run up to
        replicas + maxSurge pods, and spreads what that allows over the active sets in
        proportion to their size, the rest to the largest (deployment controller `scale`)."""
        self.replicas = replicas
        self._seen = -1
        active = [rs for rs in self.sets if rs.spec > 0]
        if len(active) <= 1:
            (active or [self.new_rs()])[0].spec = replicas
            return True, f"{self.ref} scaled"
        surge, _ = surge_and_unavailable(self.surge_s, self.unavail_s, replicas)
        total = sum(rs.spec for rs in active)
        add = replicas + surge - total
        given = 0
        for rs in sorted(active, key=lambda r: -r.spec):
            part = int(add * rs.spec / total)
            rs.spec = max(0, rs.spec + part)
            given += part
        largest = max(active, key=lambda r: (r.spec, r.revision))
        largest.spec = max(0, largest.spec + add - given)
        return True, f"{self.ref} scaled"

    # --- the controllers ---------------------------------------------------------------
    def reconcile(self, t: int) -> None:
        """ReplicaSet controllers and one deployment controller pass."""
        if self._seen == self.cluster.version:
            # Nothing moved since the last pass; only the deadline clock can change.
            if not (self.complete or self.paused or self._reported):
                self._check_deadline(t)
            return
        for _ in range(3):  # a pass may scale, and the RS controller acts on it at once
            self._seen = self.cluster.version
            if not self.paused:
                self._rolling_pass(t)
            for rs in self.sets:
                self._sync_rs(rs, t)
            if self._seen == self.cluster.version:
                break
        self._track_progress(t)
        self._cleanup_history()

    def _sync_rs(self, rs: ReplicaSet, t: int) -> None:
        sync_rs(self.cluster, rs, t)

    def _rolling_pass(self, t: int) -> None:
        new = self.new_rs()
        old = sorted((rs for rs in self.sets if rs is not new), key=lambda r: r.created_t)
        surge, unavail = surge_and_unavailable(self.surge_s, self.unavail_s, self.replicas)
        if new.spec < self.replicas:
            total = sum(rs.spec for rs in self.sets)
            up = min(self.replicas + surge - total, self.replicas - new.spec)
            if up > 0:
                new.spec += up
                return
        elif new.spec > self.replicas:
            new.spec = self.replicas
            return
        min_available = self.replicas - unavail
        all_pods = sum(len(rs.live()) for rs in self.sets)
        new_unavailable = new.spec - new.count_available(t)
        budget = all_pods - min_available - new_unavailable
        if budget <= 0:
            return
        for rs in old:  # clean up unhealthy old pods first
            unhealthy = rs.spec - rs.count_available(t)
            take = min(budget, unhealthy)
            if take > 0:
                rs.spec -= take
                budget -= take
        available = sum(rs.count_available(t) for rs in self.sets)
        down = available - min_available
        for rs in old:
            if down <= 0:
                break
            take = min(rs.spec, down)
            rs.spec -= take
            down -= take

    def _track_progress(self, t: int) -> None:
        new = self.new_rs()
        avail = new.count_available(t)
        if self._progress_t < 0 or avail > self._best:
            self._best, self._progress_t = avail, t
        done = (avail == self.replicas and new.spec == self.replicas
                and all(rs.spec == 0 and not rs.pods for rs in self.sets if rs is not new))
        if done and not self.complete:
            self.complete = True
            self.log(t, f"{self.ref} successfully rolled out "
                     f"{new.template.version} (revision {new.revision})")
        # A complete Deployment keeps Progressing=True until a new rollout starts; pods
        # that crash later change only its Available condition.
        if not self.complete:
            self._check_deadline(t)

    def _check_deadline(self, t: int) -> None:
        if not self.paused and not self._reported and t - self._progress_t > self.deadline:
            self._reported = True
            self.log(t, f"{self.ref} Progressing=False reason=ProgressDeadlineExceeded "
                     "(Kubernetes reports it; nothing rolls back)")

    def _cleanup_history(self) -> None:
        current = self.new_rs()
        idle = sorted((rs for rs in self.sets if rs is not current and rs.spec == 0
                       and not rs.pods), key=lambda r: r.revision)
        while len(idle) > self.history:
            gone = idle.pop(0)
            self.sets.remove(gone)
            self.cluster.sets.remove(gone)

    def restart(self, version: str, t: int) -> tuple[bool, str]:
        """`kubectl rollout restart`: a restartedAt stamp on the template, so a new
        ReplicaSet replaces the pods under maxSurge and maxUnavailable."""
        if self.template.version != version:
            return False, (f"error: kubectl rollout restart replaces the pods of "
                           f"{self.ref}, whose template runs {self.template.version}, not "
                           f"{version}")
        if self.paused:
            return False, "error: can't restart paused deployment (run rollout resume first)"
        self.set_template(dataclasses.replace(self.template, restarted=t), t)
        return True, (f"{self.ref} restarted: a rolling update replaces every pod under "
                      "its maxSurge and maxUnavailable")

    def settled(self) -> bool:
        """Complete, not paused, and no old ReplicaSet left with pods."""
        new = self.new_rs()
        return self.complete and not self.paused and all(
            not rs.pods for rs in self.sets if rs is not new)
