"""A feature-flag rollout: the code is already deployed everywhere, the steps move the flag
rule's percentage, and turning the flag off is the kill switch: the steps go on editing
the rule underneath, but an off flag serves nobody until it is turned on again."""

from __future__ import annotations

from .actions import Action
from .kube import Deployment
from .steps import WeightSteps
from .strategy import Result, Route, Strategy
from .world import World


class FlagRollout(Strategy):
    tool = "flags"

    def __init__(self, world: World) -> None:
        super().__init__(world)
        fleet, params = self.fleet, self.params
        self.dep = Deployment(world.cluster, fleet.service, world.initial_template(),
                              fleet.replicas, params.max_surge, params.max_unavailable,
                              params.progress_deadline_s, params.revision_history_limit,
                              world.log)
        self.flag = world.flags[params.flag]
        self.steps = WeightSteps(params.steps, self._set)

    def _set(self, t: int, pct: int) -> None:
        self.flag.set_rule(t, pct)
        off = "" if self.flag.on else " (the flag is off: still served to nobody)"
        self.world.log(t, f"flag {self.flag.key} rollout step: rule {pct}%{off}")

    def tick(self, t: int) -> None:
        self.steps.tick(t)
        self.dep.reconcile(t)

    def routes(self, t: int) -> list[Route]:
        return [(1.0, self.dep.sets, 1.0)]

    def new_share(self, t: int) -> float:
        return self.flag.effective(t) / 100

    def status(self) -> str:
        state = "halted" if self.steps.halted else ("paused" if self.steps.paused else "rolling")
        toggle = "on" if self.flag.on else "off"
        return f"flag {self.flag.key} {toggle}, rule {self.flag.rule:g}% ({state})"

    def settled(self, t: int) -> bool:
        return (self.steps.done or self.steps.halted) and self.dep.settled()

    def do_undo(self, a: Action, t: int) -> Result:
        self.steps.halted = True
        self.flag.switch(t, False)
        return True, f"flag {self.flag.key} off for everyone (kill switch); rollout halted"

    def do_pause(self, a: Action, t: int) -> Result:
        self.steps.paused = True
        return True, "flag rollout paused at its current percentage"

    def do_resume(self, a: Action, t: int) -> Result:
        self.steps.paused = False
        return True, "flag rollout resumed"

    def do_promote(self, a: Action, t: int) -> Result:
        self.steps.promote(bool(a.args), t)
        return True, "flag rollout advanced"

    def do_deploy(self, a: Action, t: int) -> Result:
        tpl = self.template_for(self.dep.template, a.args[0])
        self.dep.set_template(tpl, t)
        return True, f"deployment updated to {a.args[0]}"

    def do_scale(self, a: Action, t: int) -> Result:
        return self.dep.scale(int(float(a.args[0])), t)

    def do_abort(self, a: Action, t: int) -> Result:
        return False, f"a flag rollout has no abort; turn it off (flag {self.flag.key} off) " \
                      "or undo"
