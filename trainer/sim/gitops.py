"""Argo CD in front of the Deployment: Git is the desired state, the cluster follows it.

Semantics (argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/ and .../faq/, checked
against the rollout reference: "GitOps revert = git revert + sync, 3-10 min"):

* Argo CD polls the repo every `sync_s` (timeout.reconciliation, 180 s by default). With
  automated sync on, a new commit is applied at the first poll after it merges, and a sync
  applies the whole desired state, so it overwrites any hand-made change (a `kubectl
  edit`, here a `deploy` by you) that Git does not hold.
* Without selfHeal, "changes made to the live cluster will not trigger automated sync":
  the drift survives (OutOfSync) until the next commit, by anyone, is synced: the
  four-hours-later revert. With selfHeal the drift is reverted within seconds (5 s).
* `auto-sync off` (argocd app set --sync-policy none) stops both; `sync` (argocd app
  sync) applies Git now; `commit VERSION` merges a PR after `commit_s` of review and CI.

Deterministic: polls land on multiples of `sync_s` from tick 0, merges after fixed delays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trainer.bank.simulation import GitOps

from .actions import Action
from .clock import elapsed

if TYPE_CHECKING:  # the engine imports this module through ops
    from .engine import Simulation

Result = tuple[bool, str]
SELF_HEAL_S = 5  # Argo CD's self-heal timeout before it re-syncs drift


class GitOpsState:
    def __init__(self, spec: GitOps, desired: str) -> None:
        self.spec = spec
        self.desired = desired  # the version Git holds
        self.auto = spec.auto_sync
        self.merges: list[tuple[int, str]] = []  # (merge tick, version or "" = unrelated)
        self.polls: set[int] = set()  # polls already queued: one sync per poll

    def _merged(self, t: int) -> None:
        due = [m for m in self.merges if m[0] <= t]
        for _, version in due:
            self.desired = version or self.desired
        self.merges = [m for m in self.merges if m[0] > t]

    def _poll(self, sim: Simulation, at: int) -> None:
        """Queue Argo CD's sync for the first poll after tick `at`."""
        every = self.spec.sync_s
        poll = (at // every + 1) * every
        if poll not in self.polls:
            self.polls.add(poll)
            sim.schedule(Action(poll, "sync", ()), by="argocd")

    def commit(self, sim: Simulation, version: str, t: int, by: str) -> Result:
        # Others' commits in the script are already reviewed: they merge at once.
        merge = t if by == "script" else t + self.spec.commit_s
        self.merges.append((merge, version))
        self._poll(sim, merge)
        what = f"Git then holds {version}" if version else "an unrelated change"
        return True, (f"PR merges at {elapsed(merge)} ({what}); Argo CD polls every "
                      f"{self.spec.sync_s}s")

    def sync(self, sim: Simulation, t: int, by: str) -> Result:
        self._merged(t)
        if by == "argocd" and not self.auto:
            return True, "auto-sync is off: the app stays OutOfSync until someone syncs"
        # Applying Git's whole desired state overwrites whatever was edited by hand.
        ok, note = sim.strategy.apply(Action(t, "deploy", (self.desired,)), t)
        return ok, f"argocd sync applied Git ({self.desired}): {note}"

    def drifted(self, sim: Simulation, t: int) -> None:
        """A hand-made change to the live Deployment: selfHeal reverts it soon."""
        if self.auto and self.spec.self_heal:
            sim.schedule(Action(t + SELF_HEAL_S, "sync", ()), by="argocd")

    def set_auto(self, sim: Simulation, on: bool, t: int) -> Result:
        if on and not self.auto:  # re-enabled: the next poll applies Git again
            self._poll(sim, t)
        self.auto = on
        return True, ("automated sync on: the next poll applies Git" if on else
                      "automated sync off: Argo CD only reports drift now")


def act(sim: Simulation, a: Action, t: int, by: str) -> Result:
    g = sim.gitops
    if g is None:
        return False, "this service is not deployed by Argo CD"
    if a.name == "commit":
        result = g.commit(sim, a.args[0] if a.args else "", t, by)
        if g.auto:
            return result
        return result[0], result[1] + " (auto-sync is off: run sync to apply it)"
    if a.name == "sync":
        return g.sync(sim, t, by)
    return g.set_auto(sim, a.args[0] == "on", t)
