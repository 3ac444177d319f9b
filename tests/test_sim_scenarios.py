"""Every simulated bank scenario: valid, deterministic, golden, and its plan wins.

Golden files are small JSON summaries in tests/data/sim_golden/. After an intended change
to the simulator or a scenario, regenerate them and review the diff:

    TRAINER_REGEN_GOLDEN=1 python -m pytest tests/test_sim_scenarios.py -k golden
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from trainer.bank import load_bank
from trainer.sim import Simulation, plan_outcomes, validate_simulation

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "sim_golden"
BANK = load_bank()
SIMULATED = [s for s in BANK.scenarios if s.simulation is not None]
REQUIRED = {"S-01", "S-02", "S-04", "S-05", "S-06", "S-07", "S-09", "S-10", "S-11", "S-12",
            "S-15", "S-16"}
OPTIONAL = {"S-03", "S-08", "S-13", "S-14", "S-17", "S-18"}
IDS = [s.code for s in SIMULATED]


def test_required_scenarios_are_simulated():
    codes = {s.code for s in SIMULATED}
    assert codes >= REQUIRED
    assert len(codes & OPTIONAL) >= 3
    assert len(codes) >= 15


@pytest.mark.parametrize("scenario", SIMULATED, ids=IDS)
def test_simulation_block_validates(scenario):
    assert validate_simulation(scenario) == []


@pytest.mark.parametrize("scenario", SIMULATED, ids=IDS)
def test_recommended_plan_beats_nothing_and_every_wrong_plan(scenario):
    # Beaten on users affected, or (S-12: dropping the column ends the errors sooner) on
    # the writes it puts at risk, a trade-off the scenario's debrief spells out.
    outcomes = plan_outcomes(scenario)
    best = outcomes.pop("recommended")
    assert len(outcomes) == 1 + len(scenario.simulation.wrong)
    for label, out in outcomes.items():
        assert best.users_affected < out.users_affected or (
            best.data_at_risk < out.data_at_risk), f"{scenario.code}: '{label}' does as well"


@pytest.mark.parametrize("scenario", SIMULATED, ids=IDS)
def test_wrong_plans_are_distinct(scenario):
    # Two labels on one plan would teach nothing about the second (audit C3).
    plans = [tuple(w.actions) for w in scenario.simulation.wrong]
    assert len(plans) == len(set(plans))


def _summary(scenario) -> dict:
    sim = Simulation.from_scenario(scenario, actions=scenario.simulation.recommended).run()
    nothing = Simulation.from_scenario(scenario).run()
    sample = [[m.t, m.requests, m.failed, m.degraded, m.p99_ms, m.new_share]
              for m in sim.metrics[::300]]
    return {"scenario": scenario.id, "seed": sim.seed,
            "recommended": sim.outcome().as_dict(), "nothing": nothing.outcome().as_dict(),
            "sample_every_300s": sample, "events": len(sim.events)}


@pytest.mark.parametrize("scenario", SIMULATED, ids=IDS)
def test_golden(scenario):
    path = GOLDEN / f"{scenario.code}.json"
    got = json.loads(json.dumps(_summary(scenario)))
    if os.environ.get("TRAINER_REGEN_GOLDEN"):
        path.write_text(json.dumps(got, indent=1) + "\n", encoding="utf-8")
    assert path.is_file(), "missing golden file; see the module docstring"
    assert got == json.loads(path.read_text(encoding="utf-8"))


def test_s01_reproduces_the_seed_numbers():
    s = BANK.find_scenario("S-01")
    sim = Simulation.from_scenario(s)
    sim.step(s.simulation.timeline.page_at_s)  # 23:47, six minutes after the deploy started
    ready = {(v, ph): n for v, ph, n in sim.metrics[-1].pods}
    assert ready[("v2.14.0", "Ready")] == 6 and ready[("v2.13.0", "Ready")] == 4
    window = sim.metrics[-60:]
    rate = sum(m.failed for m in window) / sum(m.requests for m in window)
    assert 0.13 < rate < 0.23  # about 18%, against a 0.3% baseline
    sim.apply("undo")
    sim.run()
    done = next(e for e in sim.events if "successfully rolled out v2.13.0" in e.text)
    assert 180 <= done.t - s.simulation.timeline.page_at_s <= 330  # minutes, not seconds


def test_s02_is_halfway_when_the_on_call_is_paged():
    # Audit C3: the briefing says about half the fleet runs v2.
    s = BANK.find_scenario("S-02")
    sim = Simulation.from_scenario(s)
    sim.step(s.simulation.timeline.page_at_s)
    ready = {v: n for v, ph, n in sim.metrics[-1].pods if ph == "Ready"}
    assert 3 <= ready["v2"] <= 5 and 3 <= ready["v1"] <= 5


def test_s15_pods_are_sigkilled_with_exit_137():
    # Audit A3: the scenario describes an app that ignores SIGTERM until SIGKILL (137).
    sim = Simulation.from_scenario(BANK.find_scenario("S-15")).run()
    assert any("(exit 137)" in e.text for e in sim.events)
    assert not any("exit 143" in e.text for e in sim.events)

