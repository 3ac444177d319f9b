"""The question catalog (statuses, scores, due dates) and the last-two-attempts diff."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from study_support import FakeClock, bank_at, graded

from trainer.study import History, SpacedRepetition, record_answer
from trainer.study.catalog import catalog, compare_last


@pytest.fixture
def setup(small_bank: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    clock = FakeClock()
    bank = bank_at(small_bank)
    history = History.open(tmp_path / "h.sqlite3", clock=clock)
    srs = SpacedRepetition.deterministic(history, bank, clock=clock)
    yield bank, history, srs, clock
    history.close()


def answer(bank, srs, item_id: str, text: str, self_rating: int | None = None) -> None:  # type: ignore[no-untyped-def]
    record_answer(srs, item_id, text, graded(bank, item_id, text), self_rating=self_rating)


def test_statuses_scores_and_codes(setup) -> None:  # type: ignore[no-untyped-def]
    bank, history, srs, clock = setup
    rows = {r.item_id: r for r in catalog(bank, history)}
    assert [r.status for r in rows.values()] == ["new", "new"]
    assert rows["canary-basics.f1"].parent == "canary-basics"
    answer(bank, srs, "canary-basics", "roll back", self_rating=1)
    clock.advance(minutes=1)
    answer(bank, srs, "canary-basics", "small slice, compare with the baseline, roll back",
           self_rating=4)
    row = catalog(bank, history)[0]
    assert row.status == "learning" and row.attempts == 2
    assert row.last_score > 0 and row.best_score == row.last_score
    assert row.due is not None and row.due > clock.now
    clock.advance(days=60)
    assert catalog(bank, history, status="due")[0].item_id == "canary-basics"
    for _ in range(3):
        answer(bank, srs, "canary-basics", "small slice, baseline, roll back", self_rating=4)
        clock.advance(days=400)
    clock.now = history.card("canary-basics").due - timedelta(days=1)
    assert catalog(bank, history)[0].status == "mastered"
    assert catalog(bank, history, status="new")[0].item_id == "canary-basics.f1"


def test_compare_last_names_the_concepts_gained_and_lost(setup) -> None:  # type: ignore[no-untyped-def]
    bank, history, srs, clock = setup
    assert compare_last(history, "canary-basics") is None
    answer(bank, srs, "canary-basics", "send a small slice of traffic and roll back")
    one = compare_last(history, "canary-basics")
    assert one is not None and one.previous is None and one.score_change is None
    clock.advance(minutes=5)
    answer(bank, srs, "canary-basics", "send a small slice and compare with the baseline")
    diff = compare_last(history, "canary-basics")
    assert diff is not None
    assert diff.gained == ("Compare with the baseline",)
    assert diff.lost == ("Roll back when worse",)
    assert diff.kept == ("Small slice of traffic",)
    assert diff.score_change == diff.last.score - diff.previous.score
