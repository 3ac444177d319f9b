"""The deployment simulator: real rollout semantics, faults, actions, outcomes.

Pure Python (no textual, no numpy): the app drives it, the CLI prints it.

Public API::

    from trainer.sim import Simulation, compare, validate_simulation

    sim = Simulation.from_scenario(scenario, seed=7, actions=["6:30 undo"])
    sim.step(360)                     # advance 360 simulated seconds (1 tick = 1 s)
    rec = sim.apply("undo")           # act now; rec.accepted, rec.reason (the tool's words)
    sim.run()                         # to the end of the scenario's duration
    sim.metrics                       # list[TickMetrics], one per tick
    sim.events                        # list[Event]; str(e) -> "06:12 pod web-7f9c OOMKilled..."
    sim.actions                       # list[ActionRecord]: every action, accepted or refused
    sim.strategy.status()             # the rollout's phase in the tool's terms
    out = sim.outcome()               # Outcome: time to detect/mitigate/recover, failed
                                      # requests, users affected, budget burned, data at risk
    cmp = compare(scenario, ["23:55 undo"], seed=7)
    cmp.sentences                     # replayed: "Rolling back at 23:49 instead of 23:55..."
    cmp.curve                         # cost of waiting: the recommended response, later
    plan_outcomes(scenario)           # nothing / recommended / each wrong plan -> Outcome
    validate_simulation(scenario)     # list[str] of problems (the bank loader's check)
    twin = sim.fork()                 # an independent copy to replay a variant from now

Actions are "T ACTION [ARGS]" with T = seconds, M:SS or H:MM:SS since the start
(`sim.apply` also takes them without T, meaning now). `parse_action` raises `ActionError`
with a readable message for malformed strings. Same scenario + seed + actions gives the
same metrics, bit for bit.

The grammar of a simulation block (times, actions, steps) and its validation live in
`trainer.bank.simgrammar` and `trainer.bank.simcheck`, so the bank never imports this
package; `actions`, `clock`, `steps` and `validate` here re-export them.
"""

from .actions import SPECS, Action, ActionError, parse_action, parse_plan
from .compare import Comparison, compare, plan_outcomes, replay
from .engine import Simulation
from .metrics import ActionRecord, Event, TickMetrics
from .outcome import Outcome
from .validate import validate_simulation

__all__ = [
    "SPECS", "Action", "ActionError", "ActionRecord", "Comparison", "Event", "Outcome",
    "Simulation", "TickMetrics", "compare", "parse_action", "parse_plan", "plan_outcomes",
    "replay", "validate_simulation",
]
