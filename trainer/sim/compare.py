"""Your plan against the recommended one on the same seed, and what each difference cost.

Every counterfactual sentence is a replay: your plan with one recommended action moved to
its recommended time, added, or one of your own actions taken out, run on your seed. The
sentence names that action and states only the difference that replay showed; the
largest differences come first. Times are wall-clock minutes, or seconds where two times
in a sentence share a minute.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.bank.models import Scenario
from trainer.bank.simulation import Simulation as SimSpec

from .actions import Action, parse_plan
from .clock import wall
from .curve import Curve, cost_of_waiting
from .engine import Simulation
from .outcome import Outcome
from .replay import Damage, damage, variants

MAX_SENTENCES = 3


@dataclass(frozen=True, slots=True)
class Comparison:
    yours: Outcome
    recommended: Outcome
    your_plan: tuple[str, ...]
    recommended_plan: tuple[str, ...]
    sentences: tuple[str, ...]
    curve: Curve | None = None


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


def gerund(a: Action) -> str:
    """What the action does, as a phrase that can start a sentence's subject."""
    arg = a.args[0] if a.args else ""
    last = a.args[-1] if a.args else ""
    phrases = {
        "undo": f"rolling back to revision {arg}" if arg else "rolling back",
        "abort": "aborting", "retry": "retrying", "pause": "pausing", "resume": "resuming",
        "promote": "promoting fully" if arg else "promoting one step",
        "set-weight": f"setting the DNS weight to {arg.rstrip('%')}%",
        "purge": "purging the CDN", "deploy": f"deploying {arg}",
        "ttl": f"setting the DNS TTL to {arg}s", "scale": f"scaling to {arg} replicas",
        "drain": f"draining {arg}", "restart": f"restarting {arg}",
        "warm": f"mirroring {arg.rstrip('%')}% of traffic to the idle side",
        "migrate-down": "running the down-migration",
        "relax-constraint": "giving the new column a default",
        "patch": f"patching {arg} to {last}",
        "threshold": f"changing the {arg} alert threshold to {last}",
        "rotate-cert": "rotating the certificate", "reload": "reloading the proxies",
        "warm-cache": f"warming the hottest {arg.rstrip('%')}% of cache keys",
        "flush-cache": "flushing the cache",
        "commit": f"committing {arg} to Git" if arg else "committing to Git",
        "sync": "syncing from Git", "auto-sync": f"turning auto-sync {arg}",
        "admission": f"limiting admission to {arg} handshakes a second per gateway",
        "jitter": f"turning reconnect jitter {arg}", "restart-gateway": "restarting the gateways",
        "add-gateway": "adding gateways", "disconnect": f"disconnecting {arg.rstrip('%')}%",
        "release-lock": "releasing the lock", "retries": f"setting client retries to {arg}",
        "shed": f"shedding {arg.rstrip('%')}% of requests", "rate-limit": f"rate-limiting to {arg}",
        "admit": f"admitting {arg.rstrip('%')}%", "failback": "failing back",
        "region-weight": f"setting the new region's weight to {arg.rstrip('%')}%",
        "promote-replica": "promoting the replica", "pause-batch": "pausing the batch job",
        "parallel-apply": f"applying with {arg} workers",
    }
    if a.name == "flag":
        key, value = a.args
        return f"turning flag {key} {value}" if value in ("on", "off") else \
            f"setting flag {key} to {value.rstrip('%')}%"
    return phrases[a.name]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]  # str.capitalize() would lowercase "CDN" and "DNS"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _effect(saved: Damage) -> str:
    """`saved` = your damage minus the variant's: positive numbers were spared."""
    spared: list[str] = []
    cost: list[str] = []
    for n, what in ((saved.failed, "failed requests"), (saved.wrong, "wrong answers"),
                    (saved.writes, "writes at risk")):
        if n:
            (spared if n > 0 else cost).append(f"{abs(n):,} {what}")
    if not spared and not cost:
        return "made no difference to failed requests or wrong answers"
    verbs = ([f"spared {_and(spared)}"] if spared else []) + (
        [f"cost {_and(cost)}"] if cost else [])
    users = saved.users
    tail = f" ({abs(users):,} {'fewer' if users > 0 else 'more'} users affected)" if users \
        else ""
    return f"would have {' and '.join(verbs)}{tail}"


def _key(a: Action) -> tuple[str, tuple[str, ...]]:
    return a.name, a.args


def _pair(mine: list[Action], rec: list[Action]
          ) -> tuple[list[tuple[Action, Action]], list[Action], list[Action]]:
    """Match actions by name and arguments in time order: (pairs, only mine, only rec)."""
    left, pairs, only_mine = list(rec), [], []
    for m in mine:
        r = next((r for r in left if _key(r) == _key(m)), None)
        if r is None:
            only_mine.append(m)
        else:
            left.remove(r)
            pairs.append((m, r))
    return pairs, only_mine, left


def counterfactuals(spec: SimSpec, seed: int | None, mine: list[Action],
                    rec: list[Action], start_of_day: int, base: Damage) -> list[str]:
    """One replayed sentence per difference between the plans, largest effect first."""
    pairs, only_mine, only_rec = _pair(mine, rec)
    # Minutes holding more than one distinct time of either plan.
    seen: dict[str, set[int]] = {}
    for a in (*mine, *rec):
        seen.setdefault(wall(start_of_day, a.t), set()).add(a.t)
    crowded = {m for m, ts in seen.items() if len(ts) > 1}

    def at(t: int, other: int | None = None) -> str:
        """Minutes, or seconds when another time of either plan (or the other time in the
        sentence) shares the minute of either time in the sentence."""
        times = [t] if other is None else [t, other]
        shown = [wall(start_of_day, x) for x in times]
        collide = (len(set(shown)) < len(shown) and len(set(times)) > 1) or any(
            m in crowded for m in shown)
        return wall(start_of_day, t, seconds=collide)

    plans: list[list[Action]] = []
    texts: list[str] = []
    tried: list[Action | None] = []  # the recommended action each variant puts in
    for m, r in pairs:
        if m.t != r.t:
            plans.append(sorted([a for a in mine if a is not m] + [Action(r.t, m.name, m.args)],
                                key=lambda a: a.t))
            texts.append(f"{_upper_first(gerund(r))} at {at(r.t, m.t)} instead of "
                         f"{at(m.t, r.t)} {{}}.")
            tried.append(r)
    for r in only_rec:
        plans.append(sorted([*mine, r], key=lambda a: a.t))
        texts.append(f"{_upper_first(gerund(r))} at {at(r.t)}, which your plan never did, {{}}.")
        tried.append(r)
    for m in only_mine:
        plans.append([a for a in mine if a is not m])
        texts.append(f"Leaving out your '{m.text}' at {at(m.t)} {{}}.")
        tried.append(None)
    if not plans:
        return []
    found = variants(spec, seed, mine, plans)
    ranked = sorted(zip(found, texts, tried, strict=True),
                    key=lambda x: (-abs(base.bad - x[0].bad), -abs(base.users - x[0].users)))
    out = []
    for d, text, move in ranked:
        saved = base.minus(d)
        why = d.refused.get(f"{move.t} {move.text}") if move is not None else None
        if why is not None:
            # The replay itself shows why the move changed nothing: the tool said no.
            out.append(text.format(f"{_effect(saved)}: the tool refused it then ({why})"))
        elif saved != Damage(0, 0, 0, 0):
            out.append(text.format(_effect(saved)))
    if not out:
        out.append("No single difference from the recommended plan, replayed alone on your "
                   "seed, changes the outcome; only together do they.")
    return out[:MAX_SENTENCES]


def _totals(yours: Outcome, rec: Outcome) -> list[str]:
    out = [f"Users affected: yours {yours.users_affected:,}, recommended "
           f"{rec.users_affected:,}."]
    if yours.data_at_risk or rec.data_at_risk:
        out.append(f"Writes at risk: yours {yours.data_at_risk:,}, recommended "
                   f"{rec.data_at_risk:,}.")
    if yours.refused_actions:
        n = yours.refused_actions
        out.append(f"{n} of your actions {'was' if n == 1 else 'were'} refused by the tool; "
                   "the event log says why.")
    return out


def compare(scenario: Scenario, actions: list[str] | tuple[str, ...],
            seed: int | None = None, curve_points: int = 30) -> Comparison:
    """Your plan and the recommended plan on the same seed, with replayed counterfactuals
    and the cost-of-waiting curve (`curve_points` 0 leaves it out)."""
    spec = _spec(scenario)
    mine_sim = replay(scenario, actions, seed)
    rec_sim = replay(scenario, spec.recommended, seed)
    yours, rec = mine_sim.outcome(), rec_sim.outcome()
    mine_plan, rec_plan = parse_plan(list(actions)), parse_plan(list(spec.recommended))
    if [_key(a) + (a.t,) for a in mine_plan] == [_key(a) + (a.t,) for a in rec_plan]:
        sentences = ["You played the recommended plan."]
    else:
        sentences = counterfactuals(spec, mine_sim.seed, mine_plan, rec_plan,
                                    mine_sim.start_of_day, damage(mine_sim))
    curve = cost_of_waiting(spec, mine_sim.seed, mine_plan, curve_points) \
        if curve_points else None
    return Comparison(yours, rec, tuple(actions), spec.recommended,
                      tuple(sentences + _totals(yours, rec)), curve)
