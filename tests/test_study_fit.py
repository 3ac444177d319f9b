"""`trainer scheduler fit` and `trainer due`: fitting FSRS to the user's own reviews."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from study_support import FakeClock

from trainer.cli import main
from trainer.commands.due_cmd import parse_time
from trainer.study import History, SpacedRepetition
from trainer.study.fit import MIN_TRAINING_ITEMS, fit, save
from trainer.study.srs import scheduler_for


def review_log(history: History, clock: FakeClock, cards: int, rounds: int) -> None:
    """`cards` cards learnt as a user would: Good on the first day, back the next day,
    then a few days apart; recall mostly works. (FSRS's optimizer sets aside first
    rating and delay pairs shared by few cards, so a log of random ones teaches it
    nothing.)"""
    srs = SpacedRepetition(history, clock=clock)
    rng = random.Random(7)
    start = clock.now
    for n in range(cards):
        at = start + timedelta(minutes=n)
        rating = 3
        for r in range(rounds):
            srs.review(f"card-{n}", self_rating=rating, at=at)
            at += timedelta(days=1 if r == 0 else rng.choice([2, 3, 4, 6]))
            rating = rng.choice([1, 2, 3, 3, 3, 3, 4])


def test_below_the_minimum_nothing_changes(tmp_path: Path) -> None:
    clock = FakeClock()
    history = History.open(tmp_path / "h.sqlite3", clock=clock)
    review_log(history, clock, cards=5, rounds=3)
    result = fit(history, current=scheduler_for(history).parameters, tz=UTC)
    assert not result.enough and result.items == 10 and result.needed == MIN_TRAINING_ITEMS
    with pytest.raises(ValueError):
        save(history, result)
    assert history.fitted_parameters() is None


def test_a_fit_is_compared_stored_and_used(tmp_path: Path) -> None:
    clock = FakeClock()
    history = History.open(tmp_path / "h.sqlite3", clock=clock)
    review_log(history, clock, cards=60, rounds=4)
    default = scheduler_for(history).parameters
    result = fit(history, current=default, tz=UTC)
    assert result.enough and result.items == 180 >= MIN_TRAINING_ITEMS
    assert result.old is not None and result.new is not None and result.actual is not None
    assert 0 < result.new.predicted < 1 and 0 < result.old.predicted < 1
    assert len(result.parameters) == 21 and result.parameters != tuple(default)
    # The fit should describe this log no worse than the defaults do.
    assert result.new.log_loss <= result.old.log_loss + 1e-6
    stored = save(history, result)
    assert history.fitted_parameters() == stored
    assert scheduler_for(history).parameters == stored.parameters
    assert SpacedRepetition(history).scheduler.parameters == stored.parameters


def test_the_commands(small_bank: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bank = ["--no-builtin", "--bank", str(small_bank)]
    assert main(["scheduler", "fit", *bank]) == 0
    assert "not enough reviews (0 of 64)" in capsys.readouterr().out
    with History.open() as history:
        srs = SpacedRepetition(history)
        srs.review("canary-basics", self_rating=1, at=datetime.now(UTC) - timedelta(hours=1))
        review_log(history, FakeClock(datetime.now(UTC) - timedelta(days=60)), 60, 4)
    assert main(["due", *bank]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 card due by now:") and "canary-basics" in out
    assert "overdue" in out
    assert main(["due", "--json", "--at", "+1d", *bank]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in data["cards"]] == ["canary-basics"]
    assert main(["scheduler", "fit", "--dry-run", *bank]) == 0
    out = capsys.readouterr().out
    assert "predicted recall" in out and "Dry run" in out
    with History.open() as history:
        assert history.fitted_parameters() is None
    assert main(["scheduler", "fit", "--json", *bank]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["enough"] and data["saved"] and len(data["parameters"]) == 21
    with History.open() as history:
        assert history.fitted_parameters() is not None


def test_due_times() -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert parse_time("now", now) == now
    assert parse_time("+1d", now) == now + timedelta(days=1)
    assert parse_time("+30m", now) == now + timedelta(minutes=30)
    assert parse_time("+2w", now) == now + timedelta(weeks=2)
    assert parse_time("2026-12-03T09:00+00:00", now) == datetime(2026, 12, 3, 9, tzinfo=UTC)
    end = parse_time("2026-12-03", now).astimezone()
    assert (end.date().isoformat(), end.hour, end.minute) == ("2026-12-03", 23, 59)


def test_a_log_the_optimizer_sets_aside_changes_nothing(tmp_path: Path) -> None:
    clock = FakeClock()
    history = History.open(tmp_path / "h.sqlite3", clock=clock)
    srs = SpacedRepetition(history, clock=clock)
    rng = random.Random(3)
    for n in range(40):  # every card starts differently: no pair shared by six cards
        at = clock.now + timedelta(minutes=n)
        for _ in range(3):
            srs.review(f"c{n}", self_rating=rng.choice([1, 2, 3, 4]), at=at)
            at += timedelta(days=rng.randint(1, 40))
    result = fit(history, current=scheduler_for(history).parameters, tz=UTC)
    assert result.items >= MIN_TRAINING_ITEMS and result.set_aside and not result.enough
