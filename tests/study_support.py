"""Helpers shared by the study and export tests: a clock to move by hand, a small bank."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from trainer.bank import Bank, load_bank
from trainer.scoring import Grader, ScoreResult

START = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)  # a Monday


class FakeClock:
    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def bank_at(path: Path) -> Bank:
    return load_bank([path], builtin=False)


def graded(bank: Bank, item_id: str, answer: str) -> ScoreResult:
    entry = bank.get(item_id)
    assert entry is not None
    return Grader(bank).grade(entry.item, answer, item_id)  # type: ignore[arg-type]
