"""Progress stats over a hand-made history, with a pinned clock and time zone."""

from __future__ import annotations

import json
from datetime import UTC, date, timedelta, timezone
from pathlib import Path

import pytest
from study_support import START, FakeClock, bank_at, graded

from trainer.study import (
    ConceptTick,
    DimensionRating,
    FeedbackSheet,
    History,
    SpacedRepetition,
    record_answer,
    stats,
)

GOOD = "Send a small slice of traffic, compare with the baseline and roll back if worse."
WEAK = "Compare it with the baseline."


@pytest.fixture
def world(small_bank: Path):  # type: ignore[no-untyped-def]
    clock = FakeClock()
    history = History.open(clock=clock)
    bank = bank_at(small_bank)
    srs = SpacedRepetition.deterministic(history, bank, clock=clock)

    def answer(item_id: str, text: str, **kw: object) -> int:
        result = graded(bank, item_id, text)
        record_answer(srs, item_id, text, result, **kw)  # type: ignore[arg-type]
        return result.score

    yield history, bank, clock, answer
    history.close()


def test_empty_history(world) -> None:  # type: ignore[no-untyped-def]
    history, bank, _, _ = world
    p = stats(history, bank, tz=UTC)
    assert p.totals.attempts == 0 and p.streak.current == 0 and p.streak.last_day is None
    assert p.mastery_by_topic[0].mastery == 0 and p.mastery_by_topic[0].mean_score is None
    assert p.most_missed == () and p.calibration.n == 0 and p.calibration.bias is None
    assert len(p.per_day) == 30 and all(d.attempts == 0 for d in p.per_day)
    json.dumps(p.to_dict())


def test_mastery_streak_missed_and_per_day(world) -> None:  # type: ignore[no-untyped-def]
    history, bank, clock, answer = world
    weak = answer("canary-basics", WEAK)               # day 1 (Mon)
    clock.advance(days=1)
    strong = answer("canary-basics", GOOD)             # day 2: latest score counts
    answer("canary-basics.f1", "no idea at all")       # day 2
    clock.advance(days=2)
    answer("canary-basics.f1", "about 1% first")       # day 4
    clock.advance(days=1)                              # day 5: nothing yet today
    p = stats(history, bank, tz=UTC, days=7)

    assert (p.totals.attempts, p.totals.reviews, p.totals.items_attempted) == (4, 4, 2)
    topic = p.mastery_by_topic[0]
    assert topic.key == "canary" and (topic.items, topic.attempted) == (2, 2)
    assert topic.mastery == (strong + 100) / 2 and weak < strong
    assert [m.key for m in p.mastery_by_level] == ["mid"]

    assert (p.streak.current, p.streak.longest, p.streak.study_days) == (1, 2, 3)
    assert p.streak.last_day == date(2024, 3, 7)
    assert [(d.day.day, d.attempts) for d in p.per_day][-5:] == [
        (4, 1), (5, 2), (6, 0), (7, 1), (8, 0)]

    missed = {m.concept: m for m in p.most_missed}
    assert missed["Small slice of traffic"].misses == 1
    assert missed["Small slice of traffic"].asked == 2
    assert missed["One to five percent"].item_ids == ("canary-basics.f1",)
    assert p.most_missed[0].misses >= p.most_missed[-1].misses


def test_days_follow_the_time_zone(world) -> None:  # type: ignore[no-untyped-def]
    history, bank, clock, answer = world
    clock.now = START.replace(hour=23, minute=30)  # 23:30 UTC is 01:30 next day at UTC+2
    answer("canary-basics", GOOD)
    assert stats(history, bank, tz=UTC).streak.last_day == date(2024, 3, 4)
    plus2 = timezone(timedelta(hours=2))
    assert stats(history, bank, tz=plus2).streak.last_day == date(2024, 3, 5)


def test_leeches_and_due_now(world) -> None:  # type: ignore[no-untyped-def]
    history, bank, clock, answer = world
    for _ in range(4):
        answer("canary-basics.f1", "no idea")
        clock.advance(days=1)
    p = stats(history, bank, tz=UTC)
    assert [(lch.item_id, lch.lapses) for lch in p.leeches] == [("canary-basics.f1", 4)]
    assert p.due_now == 1


def test_calibration_from_self_ratings_and_sheets(world) -> None:  # type: ignore[no-untyped-def]
    history, bank, clock, answer = world
    answer("canary-basics", WEAK, self_rating=4)   # thinks Easy, score band Again/Hard
    answer("canary-basics", GOOD, self_rating=4)   # thinks Easy, is Easy
    answer("canary-basics", GOOD)                  # no self-rating: not in calibration
    clock.advance(days=7)
    history.save_sheet(FeedbackSheet(
        item_ids=("canary-basics",), created_at=clock.now, self_rating=1,
        ratings=(DimensionRating("communication", 3), DimensionRating("depth", 4)),
        ticks=(ConceptTick("canary-basics", "Small slice of traffic", True),)))
    p = stats(history, bank, tz=UTC)
    week1, week2 = p.calibration.points
    weak_band = 1 if graded(bank, "canary-basics", WEAK).score < 40 else 2
    assert week1.week == date(2024, 3, 4) and week1.n == 2
    assert week1.mean_self == 4 and week1.mean_measured == (weak_band + 4) / 2
    assert week1.bias > 0  # over-confident
    assert week2.week == date(2024, 3, 11) and week2.bias == 1 - 3.5
    assert p.calibration.n == 3
    assert p.calibration.bias == round(((4 - weak_band) + 0 + (1 - 3.5)) / 3, 2)
    assert p.totals.sheets == 1


def test_to_dict_is_plain_json(world) -> None:  # type: ignore[no-untyped-def]
    history, bank, _, answer = world
    answer("canary-basics", WEAK, self_rating=2, duration=30)
    data = json.loads(json.dumps(stats(history, bank, tz=UTC).to_dict()))
    assert set(data) >= {"totals", "mastery_by_topic", "mastery_by_level", "streak",
                         "per_day", "most_missed", "leeches", "calibration", "due_now"}
    assert data["most_missed"][0]["miss_rate"] == 1.0
