"""The interface every rollout strategy implements, and Kubernetes RollingUpdate.

A strategy owns its controllers and decides where traffic goes: `routes()` returns
(share, ReplicaSets, cohort) triples, and the engine spreads each share over the routable
pods of those ReplicaSets. Actions the real tool would refuse come back as
(False, the tool's message).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from .actions import Action
from .kube import Deployment
from .pods import ReplicaSet, Template
from .serve import TickResult
from .world import World

Route = tuple[float, list[ReplicaSet], float]
Result = tuple[bool, str]


class Strategy:
    tool = "kubectl"

    def __init__(self, world: World) -> None:
        self.world = world
        self.fleet = world.spec.fleet
        self.params = world.spec.strategy  # the scenario's `strategy:` block
        # Every image version's code as first deployed: going back to a version runs its
        # own code again, fixes and all, not the fixes of what runs now.
        self.code: dict[str, frozenset[str]] = {self.fleet.old_version: frozenset()}

    def running_fleet(self, tpl: Template) -> ReplicaSet:
        """The fleet already serving the old version when the scenario starts (revision 1,
        every pod Ready), as the Argo strategies begin."""
        fleet = self.fleet
        rs = self.world.cluster.replica_set(tpl, 1, 0, owner=fleet.service)
        rs.spec = fleet.replicas
        rs.warmth = fleet.old_warmth if fleet.warmup_s else 1.0
        for _ in range(fleet.replicas):
            self.world.cluster.create_pod(rs, 0, ready_now=True)
        return rs

    # --- what every strategy provides --------------------------------------------------
    def start(self, t: int) -> None:
        """Begin rolling out the fleet's new version at tick t."""

    def tick(self, t: int) -> None:
        """Run the controllers for tick t."""

    def routes(self, t: int) -> list[Route]:
        raise NotImplementedError

    def status(self) -> str:
        return ""

    def observe(self, t: int, result: TickResult) -> None:
        """See this tick's served traffic (automated analysis lives here)."""

    def new_share(self, t: int) -> float:
        """Traffic share on the new version, for the metrics."""
        return 0.0

    def warming(self, rs: ReplicaSet) -> float:
        """How much warm-up traffic no user sees an idle side gets, 0 (none) to 1 (as much
        as serving would give): smoke tests, mirroring."""
        return 0.0

    def settled(self, t: int) -> bool:
        """True when the controllers have nothing left to do unless someone acts."""
        return False

    def apply(self, action: Action, t: int) -> Result:
        handler: Callable[[Action, int], Result] | None = getattr(
            self, "do_" + action.name.replace("-", "_"), None)
        if handler is None:
            return False, self.unsupported(action)
        return handler(action, t)

    def unsupported(self, action: Action) -> str:
        return f'{self.tool}: "{action.name}" is not something this rollout tool can do'

    # --- helpers -------------------------------------------------------------------------
    def template_for(self, current: Template, version: str | None = None) -> Template:
        """The template a deploy of `version` produces. A new version is built from the
        code that runs now, so fixes carry forward; a version deployed before brings back
        its own code. The manifest settings stay, unless the build's release sets them."""
        version = version or current.version
        fixes = self.code.get(version)
        if fixes is None:
            fixes = current.fixes | self.world.faults.fixes_for(version)
            self.code[version] = fixes
        tpl = dataclasses.replace(current, version=version, fixes=fixes)
        build = self.world.build(version)
        if build is not None and build.prestop_s >= 0:
            tpl = dataclasses.replace(tpl, prestop_s=build.prestop_s)
        if build is not None and build.grace_s >= 0:
            tpl = dataclasses.replace(tpl, grace_s=build.grace_s)
        return tpl

    def patched(self, current: Template, action: Action) -> Template:
        field, value = action.args[0], int(float(action.args[1]))
        if field == "grace":
            return dataclasses.replace(current, grace_s=value)
        if field == "memory":
            return dataclasses.replace(current, memory_mib=value)
        if field == "pool":
            return dataclasses.replace(current, pool=value)
        return dataclasses.replace(current, prestop_s=value)


class Rolling(Strategy):
    """A Deployment with strategy RollingUpdate, driven with kubectl."""

    tool = "kubectl rollout"

    def __init__(self, world: World) -> None:
        super().__init__(world)
        params = self.params
        self.dep = Deployment(world.cluster, self.fleet.service, world.initial_template(),
                              self.fleet.replicas, params.max_surge, params.max_unavailable,
                              params.progress_deadline_s, params.revision_history_limit,
                              world.log)

    def start(self, t: int) -> None:
        self.dep.set_template(self.template_for(self.dep.template, self.fleet.new_version), t)

    def tick(self, t: int) -> None:
        self.dep.reconcile(t)

    def routes(self, t: int) -> list[Route]:
        return [(1.0, self.dep.sets, 1.0)]

    def status(self) -> str:
        d = self.dep
        if d.paused:
            return "Paused"
        return "Complete" if d.complete else f"Progressing to revision {d.revision}"

    def new_share(self, t: int) -> float:
        return self.world.version_share(self.fleet.new_version)

    def unsupported(self, action: Action) -> str:
        return (f'error: unknown command "{action.name}" for "kubectl rollout"; a Deployment '
                "has pause, resume, undo, restart and status (abort and promote belong to "
                "Argo Rollouts)")

    def do_undo(self, a: Action, t: int) -> Result:
        return self.dep.undo(t, int(float(a.args[0])) if a.args else None)

    def do_pause(self, a: Action, t: int) -> Result:
        return self.dep.pause()

    def do_resume(self, a: Action, t: int) -> Result:
        return self.dep.resume()

    def do_scale(self, a: Action, t: int) -> Result:
        return self.dep.scale(int(float(a.args[0])), t)

    def do_deploy(self, a: Action, t: int) -> Result:
        self.dep.set_template(self.template_for(self.dep.template, a.args[0]), t)
        note = " (paused: it will not roll out until resumed)" if self.dep.paused else ""
        return True, f"{self.dep.ref} image updated to {a.args[0]}{note}"

    def do_patch(self, a: Action, t: int) -> Result:
        self.dep.set_template(self.patched(self.dep.template, a), t)
        return True, f"{self.dep.ref} patched: the template changed, so a rollout starts"

    def settled(self, t: int) -> bool:
        return self.dep.settled()

    def do_restart(self, a: Action, t: int) -> Result:
        return self.dep.restart(a.args[0], t)


class ArgoRollout(Strategy):
    """What the Argo Rollouts strategies share: one Rollout object with a revision
    history, starting from a fleet already serving the old version."""

    tool = "kubectl argo rollouts"

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.name = self.fleet.service
        self.replicas = self.fleet.replicas  # the Rollout's spec.replicas; `scale` changes it
        self.template = world.initial_template()
        self.revision = 1
        self.history: list[Template] = []
