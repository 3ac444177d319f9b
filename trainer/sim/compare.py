"""Replays and counterfactuals: your plan against the recommended one, same seed.

Because the engine is deterministic, the only difference between two runs with one seed
is the plan, so the difference in outcomes is what the decisions cost.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.bank.models import Scenario
from trainer.bank.simulation import Simulation as SimSpec

from .actions import Action, parse_plan
from .clock import wall
from .engine import Simulation
from .outcome import Outcome

GERUNDS = {
    "undo": "rolling back", "abort": "aborting", "retry": "retrying", "pause": "pausing",
    "resume": "resuming", "promote": "promoting", "set-weight": "setting the DNS weight",
    "flag": "changing flag", "purge": "purging the CDN", "deploy": "deploying",
    "ttl": "lowering the TTL", "scale": "scaling", "drain": "draining",
    "restart": "restarting", "warm": "keeping the idle side warm",
    "migrate-down": "migrating down", "patch": "patching", "threshold": "changing the alert",
}


@dataclass(frozen=True, slots=True)
class Comparison:
    yours: Outcome
    recommended: Outcome
    your_plan: tuple[str, ...]
    recommended_plan: tuple[str, ...]
    sentences: tuple[str, ...]


def replay(scenario: Scenario, actions: list[str] | tuple[str, ...] = (),
           seed: int | None = None) -> Simulation:
    """Run a scenario to the end with a plan."""
    return Simulation.from_scenario(scenario, seed, actions).run()


def _spec(scenario: Scenario) -> SimSpec:
    if scenario.simulation is None:  # the same refusal as Simulation.from_scenario
        raise ValueError(f"scenario {scenario.id} has no simulation block")
    return scenario.simulation


def plan_outcomes(scenario: Scenario, seed: int | None = None) -> dict[str, Outcome]:
    """Outcomes of doing nothing, of the recommended plan and of every wrong plan."""
    spec = _spec(scenario)
    out = {"nothing": replay(scenario, (), seed).outcome(),
           "recommended": replay(scenario, spec.recommended, seed).outcome()}
    for wrong in spec.wrong:
        out[wrong.label] = replay(scenario, wrong.actions, seed).outcome()
    return out


def _gerund(a: Action) -> str:
    g = GERUNDS[a.name]
    if a.name == "flag":
        return f"turning flag {a.args[0]} {a.args[1]}"
    if a.name in ("deploy", "drain", "restart", "scale"):
        return f"{g} {a.args[0]}"
    if a.name == "promote" and a.args:
        return "promoting fully"
    return g


def _spared(mine: Outcome, rec: Outcome) -> str:
    fails = mine.failed_requests - rec.failed_requests
    wrong = mine.degraded_requests - rec.degraded_requests
    users = mine.users_affected - rec.users_affected
    parts = []
    if fails:
        parts.append(f"{abs(fails):,} failed requests")
    if wrong:
        parts.append(f"{abs(wrong):,} wrong answers")
    if not parts:
        return "made no difference"
    verb = "spared" if fails + wrong > 0 else "cost"
    tail = f" ({abs(users):,} {'fewer' if users > 0 else 'more'} users affected)" if users else ""
    return f"would have {verb} {' and '.join(parts)}{tail}"


def counterfactuals(start_of_day: int, mine: list[Action], rec: list[Action],
                    yours: Outcome, recommended: Outcome) -> list[str]:
    def at(t: int) -> str:
        return wall(start_of_day, t)

    out = []
    key = next((a for a in rec if a.name not in ("pause", "threshold")), rec[0] if rec else None)
    if key is not None:
        same = next((a for a in mine if a.name == key.name), None)
        effect = _spared(yours, recommended)
        if same is None:
            out.append(f"{_gerund(key).capitalize()} at {at(key.t)}, which your plan never "
                       f"did, {effect}.")
        elif same.t != key.t:
            out.append(f"{_gerund(key).capitalize()} at {at(key.t)} instead of {at(same.t)} "
                       f"{effect}.")
        else:
            out.append(f"You did the key move ({_gerund(key)}) at the recommended time; "
                       f"the rest of the plan {effect}.")
    out.append(f"Users affected: yours {yours.users_affected:,}, recommended "
               f"{recommended.users_affected:,}.")
    if yours.data_at_risk or recommended.data_at_risk:
        out.append(f"Writes at risk: yours {yours.data_at_risk:,}, recommended "
                   f"{recommended.data_at_risk:,}.")
    if yours.refused_actions:
        out.append(f"{yours.refused_actions} of your actions were refused by the tool; "
                   "the event log says why.")
    return out


def compare(scenario: Scenario, actions: list[str] | tuple[str, ...],
            seed: int | None = None) -> Comparison:
    """Your plan and the recommended plan on the same seed, with debrief sentences."""
    spec = _spec(scenario)
    mine_sim = replay(scenario, actions, seed)
    rec_sim = replay(scenario, spec.recommended, seed)
    yours, rec = mine_sim.outcome(), rec_sim.outcome()
    sentences = counterfactuals(mine_sim.start_of_day, parse_plan(list(actions)),
                                parse_plan(list(spec.recommended)), yours, rec)
    return Comparison(yours, rec, tuple(actions), spec.recommended, tuple(sentences))
