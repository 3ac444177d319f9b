"""Replays from snapshots: the damage of a plan's variant, without rerunning from tick 0.

Because the engine is deterministic, a variant of a plan that first differs at tick `t`
runs exactly like the plan itself until `t`. So one run of the plan is stepped forward,
forked at each `t` where a variant begins, and only the fork runs on, in lean mode (no
dashboard records) and only until nothing can fail any more (`Simulation.run_to_rest`).
Every number this module returns is what such a replay showed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from trainer.bank.simulation import Simulation as SimSpec

from .actions import Action
from .engine import Simulation


@dataclass(frozen=True, slots=True)
class Damage:
    """What a run cost users: the totals a debrief compares."""

    failed: int
    wrong: int
    users: int
    writes: int  # writes at risk
    # Your actions the tool refused in this run, as "T ACTION" -> the tool's words.
    refused: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def bad(self) -> int:
        return self.failed + self.wrong

    def minus(self, other: Damage) -> Damage:
        return Damage(self.failed - other.failed, self.wrong - other.wrong,
                      self.users - other.users, self.writes - other.writes)


def damage(sim: Simulation) -> Damage:
    tot = sim.totals
    refused = {f"{r.t} {r.text}": r.reason for r in sim.actions
               if r.by == "you" and not r.accepted}
    return Damage(tot.incident_failed, tot.degraded, round(sim.users.affected()),
                  round(tot.data_at_risk), refused)


def lean(sim: Simulation) -> Simulation:
    sim.lean = sim.server.lean = True
    return sim


def plan_damage(spec: SimSpec, plan: Iterable[Action], seed: int | None) -> Damage:
    return damage(lean(Simulation(spec, seed, plan)).run_to_rest())


def variants(spec: SimSpec, seed: int | None, plan: Sequence[Action],
             others: Sequence[Sequence[Action]]) -> list[Damage]:
    """The damage of each plan in `others`, each replayed from a snapshot of `plan` taken
    where it first differs from `plan` (plans are sorted by time)."""
    starts = [_first_difference(plan, other) for other in others]
    base = lean(Simulation(spec, seed, plan))
    out: list[Damage | None] = [None] * len(others)
    for i in sorted(range(len(others)), key=lambda k: starts[k]):
        base.step(max(0, starts[i] - base.t))
        twin = lean(base.fork())
        twin.replan(others[i])
        out[i] = damage(twin.run_to_rest())
    return [d for d in out if d is not None]


def _first_difference(a: Sequence[Action], b: Sequence[Action]) -> int:
    """The first tick at which two plans (sorted by time) ask for different things."""
    for x, y in zip(a, b, strict=False):
        if x != y:
            return min(x.t, y.t)
    longer = a if len(a) > len(b) else b
    rest = longer[min(len(a), len(b)):]
    return rest[0].t if rest else 1 << 60
