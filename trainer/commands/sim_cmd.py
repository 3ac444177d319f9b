"""`trainer sim ...`: list simulated scenarios, run one, compare a plan with the recommended.

Wiring: `add_parser(subparsers)` adds the `sim` command; `run(args)` executes it.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .common import EXIT_BAD_INPUT, add_bank_options, bank_from_args

if TYPE_CHECKING:
    from trainer.bank import Scenario
    from trainer.sim import Simulation
    from trainer.sim.outcome import Outcome

TABLE_EVERY = 60  # the table prints one row per simulated minute, aggregated over it


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    sim: argparse.ArgumentParser = subparsers.add_parser(
        "sim", help="run the deployment simulator on a scenario")
    sim.set_defaults(handler=__name__)
    sub = sim.add_subparsers(dest="sim_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="scenarios that have a simulation")
    listing.add_argument("--json", action="store_true", help="print JSON")
    run_p = sub.add_parser("run", help="run a scenario and print the timeline and outcome",
                           description="Actions are 'T ACTION [ARGS]', T = seconds, M:SS or "
                           "H:MM:SS since the start, e.g. --action '6:30 undo'.")
    run_p.add_argument("scenario", metavar="SCENARIO", help="scenario id or code (S-01)")
    run_p.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    run_p.add_argument("--action", action="append", default=[], metavar="T ACTION [ARGS]")
    run_p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    cmp_p = sub.add_parser("compare", help="your plan beside the recommended plan")
    cmp_p.add_argument("scenario", metavar="SCENARIO")
    cmp_p.add_argument("--seed", type=int)
    cmp_p.add_argument("--action", action="append", default=[], metavar="T ACTION [ARGS]")
    cmp_p.add_argument("--json", action="store_true", help="print JSON")
    cmp_p.add_argument("--points", type=int, default=30, metavar="N",
                       help="points of the cost-of-waiting curve (0 leaves it out; default 30)")
    for p in (sim, listing, run_p, cmp_p):
        add_bank_options(p)
    return sim


def run(args: argparse.Namespace) -> int:
    command: Callable[[argparse.Namespace], int] = {
        "list": _list, "run": _run, "compare": _compare}[args.sim_command]
    return command(args)


def _err(msg: str) -> int:
    print(f"trainer: {msg}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _scenario(args: argparse.Namespace) -> tuple[Scenario | None, int]:
    bank = bank_from_args(args)
    if bank is None:
        return None, EXIT_BAD_INPUT
    scenario = bank.find_scenario(args.scenario)
    if scenario is None:
        return None, _err(f"no scenario '{args.scenario}' (try: trainer sim list)")
    if scenario.simulation is None:
        return None, _err(f"scenario {scenario.code or scenario.id} is a tabletop drill with "
                          "no simulation")
    return scenario, 0


def _check_actions(actions: list[str], duration_s: int | None = None) -> str | None:
    from trainer.sim import ActionError, parse_action
    from trainer.sim.actions import quoted

    for text in actions:
        try:
            action = parse_action(text)
        except ActionError as exc:
            return f"bad --action: {exc}"
        # The last tick is duration - 1: an action at the duration itself would never run.
        if duration_s is not None and action.t >= duration_s:
            end = f"{duration_s // 60}:{duration_s % 60:02d}"
            return (f"bad --action: '{quoted(text)}' is not before the end of the run ({end}); "
                    "times count from the start of the scenario (see the time column of sim "
                    "run)")
    return None


def _list(args: argparse.Namespace) -> int:
    bank = bank_from_args(args)
    if bank is None:
        return EXIT_BAD_INPUT
    rows = [{"code": s.code, "id": s.id, "title": s.title,
             "strategy": s.simulation.strategy.kind}
            for s in bank.scenarios if s.simulation is not None]
    if args.json:
        json.dump(rows, sys.stdout, indent=2)
        print()
        return 0
    for r in rows:
        print(f"{r['code']:<6} {r['strategy']:<12} {r['id']:<40} {r['title']}")
    return 0


def _run(args: argparse.Namespace) -> int:
    from trainer.sim import Simulation

    scenario, code = _scenario(args)
    if scenario is None:
        return code
    assert scenario.simulation is not None  # _scenario() returns simulated ones only
    problem = _check_actions(args.action, scenario.simulation.timeline.duration_s)
    if problem:
        return _err(problem)
    sim = Simulation.from_scenario(scenario, args.seed, args.action).run()
    out = sim.outcome()
    if args.format == "json":
        from dataclasses import asdict

        json.dump({"scenario": scenario.id, "seed": sim.seed,
                   "actions": [asdict(a) for a in sim.actions],
                   "events": [str(e) for e in sim.events], "outcome": out.as_dict(),
                   "metrics": [asdict(m) for m in sim.metrics]}, sys.stdout)
        print()
        return 0
    if args.format == "csv":
        _csv(sim)
        return 0
    _table(sim, scenario)
    print()
    _print_outcome("Outcome", out)
    return 0


def _csv(sim: Simulation) -> None:
    w = csv.writer(sys.stdout)
    w.writerow(["t", "requests", "served", "failed", "incident_failed", "degraded",
                "error_rate", "p50_ms", "p99_ms", "new_share", "business", "users_affected",
                "budget_burned", "data_at_risk", "pods"])
    for m in sim.metrics:
        pods = ";".join(f"{v}:{ph}={n}" for v, ph, n in m.pods)
        w.writerow([m.t, m.requests, m.served, m.failed, m.incident_failed, m.degraded,
                    f"{m.error_rate:.5f}", m.p50_ms, m.p99_ms, m.new_share,
                    f"{m.business:.3f}", m.users_affected, f"{m.budget_burned:.4f}",
                    f"{m.data_at_risk:.1f}", pods])


def _table(sim: Simulation, scenario: Scenario) -> None:
    from trainer.sim.clock import elapsed, wall

    assert scenario.simulation is not None  # _scenario() returns simulated ones only
    tl = scenario.simulation.timeline
    print(f"{scenario.code} {scenario.title}  (seed {sim.seed}, strategy "
          f"{scenario.simulation.strategy.kind}, page at {wall(sim.start_of_day, tl.page_at_s)})")
    print("Each row sums its minute: mean req/s, error rate and p99 over the minute, users and "
          "pods at its end.")
    print(f"{'time':>7} {'clock':>5} {'req/s':>6} {'err%':>6} {'p99ms':>7} {'new%':>5} "
          f"{'users':>7}  pods")
    ms = sim.metrics
    for start in range(0, len(ms), TABLE_EVERY):
        minute = ms[start:start + TABLE_EVERY]
        req = sum(m.requests for m in minute)
        err = 100 * sum(m.failed for m in minute) / req if req else 0.0
        p99 = sum(m.p99_ms * m.requests for m in minute) / req if req else 0.0
        new = 100 * sum(m.new_share for m in minute) / len(minute)
        last = minute[-1]
        pods = " ".join(f"{v}:{ph[:5]}={n}" for v, ph, n in last.pods)
        print(f"{elapsed(start):>7} {wall(sim.start_of_day, start):>5} "
              f"{req / len(minute):>6.0f} {err:>6.2f} {p99:>7.0f} {new:>5.0f} "
              f"{last.users_affected:>7}  {pods}")
    print("\nEvents:")
    for e in sim.events:
        print(f"  {e}")


def _print_outcome(title: str, out: Outcome) -> None:
    def secs(x: int | None, never: str = "not by the end") -> str:
        return never if x is None else f"{x // 60}m{x % 60:02d}s"

    if not out.exceeded_slo:
        print(f"{title}: no minute exceeded the SLO's {100 * out.slo_bad_share:g}% bad "
              "requests (nothing to detect or mitigate)")
    else:
        print(f"{title}: detect {secs(out.time_to_detect, 'never')}, mitigate "
              f"{secs(out.time_to_mitigate)}, recover {secs(out.time_to_recover)} "
              "(from the first minute over the SLO)")
    print(f"  failed requests {out.failed_requests:,}; wrong answers {out.degraded_requests:,}; "
          f"users affected {out.users_affected:,}; error budget burned "
          f"{out.budget_burned:.2f}%; writes at risk {out.data_at_risk:,}")


def _compare(args: argparse.Namespace) -> int:
    from trainer.sim import compare

    scenario, code = _scenario(args)
    if scenario is None:
        return code
    assert scenario.simulation is not None  # _scenario() returns simulated ones only
    problem = _check_actions(args.action, scenario.simulation.timeline.duration_s)
    if problem:
        return _err(problem)
    if not 0 <= args.points <= 200:
        return _err("--points must be 0-200")
    from trainer.sim.clock import parse_clock
    from trainer.sim.curve import chart

    c = compare(scenario, args.action, args.seed, curve_points=args.points)
    start = parse_clock(scenario.simulation.timeline.start_clock)
    if args.json:
        json.dump({"scenario": scenario.id, "yours": c.yours.as_dict(),
                   "recommended": c.recommended.as_dict(), "your_plan": list(c.your_plan),
                   "recommended_plan": list(c.recommended_plan),
                   "sentences": list(c.sentences),
                   "curve": c.curve.as_dict(start) if c.curve else None},
                  sys.stdout, indent=2)
        print()
        return 0
    print(f"{scenario.code} {scenario.title}")
    print(f"Your plan: {', '.join(c.your_plan) or '(nothing)'}")
    print(f"Recommended: {', '.join(c.recommended_plan)}")
    _print_outcome("Yours", c.yours)
    _print_outcome("Recommended", c.recommended)
    print()
    for s in c.sentences:
        print(s)
    if c.curve is not None:
        print()
        for line in chart(c.curve, start):
            print(line)
    return 0
