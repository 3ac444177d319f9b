"""Scenario runs into history: one attempt plus one `ScenarioRun`, both or neither.

The simulator and the tabletop drill record different things about a run; the shape of
each (`outcome` keys, `actions` entries) is written here once, so the history, the
progress views and any later replay read one format per mode.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trainer.bank import Scenario
from trainer.scoring import ScoreResult
from trainer.study import Attempt, History, ScenarioRun, attempt_from_result


@dataclass(frozen=True, slots=True)
class SimulationPlay:
    """What a candidate did in the simulator, and how it compared."""

    seed: int
    actions: tuple[str, ...]
    yours: Mapping[str, Any]
    recommended: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class TabletopPlay:
    """What a candidate looked at in a tabletop drill, and when (scenario minutes)."""

    investigated: Sequence[tuple[int, str]]
    clock_minutes: int


def record_simulation(history: History, scenario: Scenario, answer: str,
                      result: ScoreResult, play: SimulationPlay, *,
                      started_at: datetime) -> ScenarioRun:
    outcome = {"mode": "simulation", **play.yours, "recommended": dict(play.recommended),
               "score": result.score}
    return _record(history, scenario, answer, result, None, ScenarioRun(
        scenario_id=scenario.id, seed=play.seed, started_at=started_at,
        actions=play.actions, outcome=outcome))


def record_tabletop(history: History, scenario: Scenario, answer: str, result: ScoreResult,
                    play: TabletopPlay, *, started_at: datetime,
                    duration: float | None = None) -> ScenarioRun:
    steps = tuple({"minute": minute, "investigate": name} for minute, name in play.investigated)
    outcome = {"mode": "tabletop", "clock_minutes": play.clock_minutes,
               "score": result.score, "verdict": result.verdict}
    return _record(history, scenario, answer, result, duration, ScenarioRun(
        scenario_id=scenario.id, seed=0, started_at=started_at, actions=steps,
        outcome=outcome))


def _record(history: History, scenario: Scenario, answer: str, result: ScoreResult,
            duration: float | None, run: ScenarioRun) -> ScenarioRun:
    with history.transaction():
        attempt: Attempt = history.add_attempt(attempt_from_result(
            scenario.id, answer, result, at=history.clock(), mode="scenario",
            duration=duration))
        return history.save_scenario_run(ScenarioRun(
            scenario_id=run.scenario_id, seed=run.seed, started_at=run.started_at,
            actions=run.actions, outcome={**run.outcome, "attempt_id": attempt.id},
            finished_at=history.clock()))
