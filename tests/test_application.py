"""The application layer without a UI: what both faces call."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trainer.application import Workspace
from trainer.application.runs import SimulationPlay, TabletopPlay
from trainer.bank import Bank, load_bank
from trainer.study import History
from trainer.study.calibration import answers_calibration, sheet_calibration
from trainer.study.progress_models import Calibration


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


@pytest.fixture
def workspace(bank: Bank, data_dir: Path) -> Workspace:
    ws = Workspace(bank, History.open())
    yield ws
    ws.close()


def test_practice_walks_a_chain_and_writes_the_review_with_the_self_rating(
        workspace: Workspace) -> None:
    qid = "deploy-error-spike-mid-rollout"
    session = workspace.practice(start_id=qid)
    item = session.next_item()
    assert item is not None and item.id == qid
    result = workspace.grade(item, "Roll back first, then compare with the baseline.")
    session.record("Roll back first, then compare with the baseline.", result, 30.0)
    session.self_rate(3)
    follow_up = session.next_item()
    assert follow_up is not None and follow_up.id == f"{qid}.f1"
    (attempt,) = workspace.history.attempts()
    assert attempt.self_rating == 3 and attempt.mode == "practice"
    assert [(r.item_id, r.self_rating) for r in workspace.history.reviews()] == [(qid, 3)]


def test_a_review_the_disk_refuses_stays_pending_and_is_written_later(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    history = workspace.history
    session = workspace.practice(start_id="deploy-error-spike-mid-rollout")
    item = session.next_item()
    assert item is not None
    session.record("roll back", workspace.grade(item, "roll back"), 5.0)
    session.self_rate(2)
    real_review = workspace.srs.review

    def full_disk(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(workspace.srs, "review", full_disk)
    with pytest.raises(sqlite3.OperationalError):
        session.flush()
    assert session.pending is not None and not history.reviews()
    assert history.attempts()[0].self_rating is None  # both or neither
    monkeypatch.setattr(workspace.srs, "review", real_review)
    session.flush()
    assert session.pending is None
    assert [r.self_rating for r in history.reviews()] == [2]
    assert history.attempts()[0].self_rating == 2


def test_scenario_runs_are_recorded_in_one_shape_per_mode(workspace: Workspace) -> None:
    bank = workspace.bank
    sim = bank.find_scenario("S-01")
    drill = next(s for s in bank.scenarios if s.simulation is None)
    assert sim is not None
    start = datetime(2026, 1, 1, tzinfo=UTC)
    result = workspace.grade(sim, "I rolled back at once, then checked the error rate.")
    workspace.record_simulation(sim, "I rolled back", result, SimulationPlay(
        seed=7, actions=("6:30 undo",), yours={"failed_requests": 10},
        recommended={"failed_requests": 5}), start)
    workspace.record_tabletop(drill, "look at the deploy log", result, TabletopPlay(
        investigated=[(5, drill.reveals[0].name)], clock_minutes=5), start, 60.0)
    runs = {r.scenario_id: r for r in workspace.history.scenario_runs()}
    attempts = {a.item_id: a for a in workspace.history.attempts()}
    s, t = runs[sim.id], runs[drill.id]
    assert s.outcome["mode"] == "simulation" and s.outcome["recommended"] == {
        "failed_requests": 5} and s.actions == ("6:30 undo",) and s.seed == 7
    assert t.outcome["mode"] == "tabletop" and t.outcome["clock_minutes"] == 5
    assert t.actions == ({"minute": 5, "investigate": drill.reveals[0].name},)
    assert s.outcome["attempt_id"] == attempts[sim.id].id
    assert attempts[drill.id].duration == 60.0 and attempts[drill.id].mode == "scenario"


def test_home_summary_follows_the_filters(workspace: Workspace) -> None:
    everything = workspace.home_summary()
    workspace.filters.topic = "dns"
    dns = workspace.home_summary()
    assert 0 < dns.new < everything.new
    assert everything.questions == len(workspace.bank.questions)


@pytest.mark.parametrize(("self_rating", "mean", "words"), [
    (3, 3.2, "in line with the interviewer's mean"),
    (4, 2.5, "1.5 above the interviewer's mean"),
    (2, 2.6, "0.6 below the interviewer's mean"),
    (None, 3.0, None),
])
def test_sheet_calibration_has_one_wording(self_rating: int | None, mean: float,
                                           words: str | None) -> None:
    assert sheet_calibration(self_rating, mean) == words


def test_answer_calibration_never_rounds_a_gap_to_zero() -> None:
    """The old Progress screen printed a +0.4 bias as "0 points above your scores"."""
    assert answers_calibration(Calibration((), 0, None)) == "not enough self-ratings yet"
    assert answers_calibration(Calibration((), 12, 0.4)) == (
        "your self-ratings are in line with your scores over 12 answers")
    assert answers_calibration(Calibration((), 12, 0.8)) == (
        "your self-ratings run 0.8 above your scores on the 1-4 scale over 12 answers")
