"""Spaced repetition: the score->rating mapping, deterministic scheduling, the due queue,
leeches."""

from __future__ import annotations

import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from fsrs import Rating
from study_support import START, FakeClock, bank_at

from trainer.study import (
    LEECH_LAPSES,
    History,
    SpacedRepetition,
    card_items,
    rating_for,
    rating_for_score,
)
from trainer.study.srs import fsrs_card_id

TWO_TOPICS = textwrap.dedent("""\
    questions:
      - id: dns-ttl
        level: senior
        topics: [dns]
        prompt: Why does a DNS change take time to reach everyone?
        model_answer: Caches keep the old record until its TTL runs out.
        follow_ups:
          - id: dns-ttl.f1
            prompt: What do you do before the change?
            model_answer: Lower the TTL a day ahead.
          - id: dns-ttl.f2
            level: staff
            prompt: How do you know every resolver has the new record?
            model_answer: You cannot; watch traffic drain from the old address.
      - id: canary-size
        level: mid
        topics: [canary, rolling]
        prompt: How big is a first canary step?
        model_answer: One to five percent.
    scenarios:
      - id: scn-one
        title: A scenario
        briefing: Errors rise.
        first_action: Stop the rollout.
        debrief: Stop first.
    """)


@pytest.fixture
def bank_path(tmp_path: Path) -> Path:
    path = tmp_path / "two.yaml"
    path.write_text(TWO_TOPICS, encoding="utf-8")
    return path


@pytest.fixture
def setup(bank_path: Path):  # type: ignore[no-untyped-def]
    clock = FakeClock()
    history = History.open(clock=clock)
    srs = SpacedRepetition.deterministic(history, bank_at(bank_path), clock=clock)
    yield srs, clock
    history.close()


@pytest.mark.parametrize(("score", "rating"), [
    (0, Rating.Again), (39, Rating.Again), (40, Rating.Hard), (64, Rating.Hard),
    (65, Rating.Good), (84, Rating.Good), (85, Rating.Easy), (100, Rating.Easy)])
def test_score_bands(score: int, rating: Rating) -> None:
    assert rating_for_score(score) == rating == rating_for(score)


def test_self_rating_overrides_the_score() -> None:
    assert rating_for(95, self_rating=1) == Rating.Again
    assert rating_for(10, self_rating=4) == Rating.Easy
    assert rating_for(None, self_rating=3) == Rating.Good
    with pytest.raises(ValueError):
        rating_for(None)
    with pytest.raises(ValueError):
        rating_for(50, self_rating=7)


def test_follow_ups_inherit_topics_and_level(bank_path: Path) -> None:
    items = card_items(bank_at(bank_path))
    assert list(items) == ["dns-ttl", "dns-ttl.f1", "dns-ttl.f2", "canary-size"]
    assert items["dns-ttl.f1"].topics == ("dns",) and items["dns-ttl.f1"].level == "senior"
    assert items["dns-ttl.f2"].level == "staff"  # its own level wins
    assert items["dns-ttl.f1"].parent == "dns-ttl"


def test_review_is_deterministic_and_keyed_by_bank_id(setup) -> None:  # type: ignore[no-untyped-def]
    srs, clock = setup
    card = srs.review("dns-ttl", score=90)
    assert card.item_id == "dns-ttl" and card.reps == 1
    assert card.card["card_id"] == fsrs_card_id("dns-ttl")
    assert card.due == START + timedelta(days=8)  # FSRS-6 default: first Easy -> 8.3 days
    good = srs.review("canary-size", score=70)
    assert good.due == START + timedelta(minutes=10)  # Good on a new card: learning step 2
    review = srs.history.reviews("dns-ttl")[0]
    assert (review.rating, review.score, review.at) == (4, 90, START)


def test_only_questions_and_follow_ups_have_cards(setup) -> None:  # type: ignore[no-untyped-def]
    srs, _ = setup
    assert srs.has_card("dns-ttl.f2") and not srs.has_card("scn-one")
    with pytest.raises(ValueError, match="not a question"):
        srs.review("scn-one", score=50)


def test_due_queue_filters_by_topic_and_level(setup) -> None:  # type: ignore[no-untyped-def]
    srs, clock = setup
    for item in ("dns-ttl", "dns-ttl.f1", "dns-ttl.f2", "canary-size"):
        srs.review(item, score=20)  # Again: due again in a minute
    clock.advance(minutes=2)
    ids = lambda cards: [c.item.item_id for c in cards]  # noqa: E731
    assert ids(srs.due()) == ["canary-size", "dns-ttl", "dns-ttl.f1", "dns-ttl.f2"]
    assert ids(srs.due(["dns"])) == ["dns-ttl", "dns-ttl.f1", "dns-ttl.f2"]
    assert ids(srs.due(["rolling", "dns"], level="senior")) == ["dns-ttl", "dns-ttl.f1"]
    assert ids(srs.due(level="staff")) == ["dns-ttl.f2"]
    assert ids(srs.due(limit=1)) == ["canary-size"]
    assert srs.due(now=START) == []  # nothing due before the minute is up


def test_due_queue_can_add_new_items(setup) -> None:  # type: ignore[no-untyped-def]
    srs, clock = setup
    srs.review("dns-ttl", score=20)
    clock.advance(minutes=5)
    queue = srs.due(include_new=True)
    assert [c.item.item_id for c in queue] == ["dns-ttl", "dns-ttl.f1", "dns-ttl.f2",
                                               "canary-size"]
    assert [c.reps for c in queue] == [1, 0, 0, 0]


def test_editing_an_item_keeps_its_card(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    srs, clock = setup
    srs.review("canary-size", score=10)
    edited = tmp_path / "edited.yaml"
    edited.write_text(TWO_TOPICS.replace("How big is a first canary step?",
                                         "What share of traffic does a canary get first?"))
    again = SpacedRepetition.deterministic(srs.history, bank_at(edited), clock=clock)
    clock.advance(minutes=5)
    due = again.due()
    assert [c.item.item_id for c in due] == ["canary-size"]
    assert due[0].item.title.startswith("What share") and due[0].reps == 1


def test_items_gone_from_the_bank_leave_the_queue(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    srs, clock = setup
    srs.review("canary-size", score=10)
    smaller = tmp_path / "smaller.yaml"
    smaller.write_text(TWO_TOPICS.split("  - id: canary-size")[0])
    clock.advance(minutes=5)
    assert SpacedRepetition.deterministic(srs.history, bank_at(smaller), clock=clock).due() == []


def test_leech_after_repeated_failures_on_separate_days(setup) -> None:  # type: ignore[no-untyped-def]
    srs, clock = setup
    for _ in range(LEECH_LAPSES - 1):
        srs.review("dns-ttl", score=5)
        srs.review("dns-ttl", score=5)  # a retry the same day counts once
        clock.advance(days=1)
    assert srs.history.card("dns-ttl").lapses == LEECH_LAPSES - 1  # type: ignore[union-attr]
    assert srs.leeches() == []
    card = srs.review("dns-ttl", score=90, self_rating=1)  # self-rated a failure
    assert card.lapses == LEECH_LAPSES
    leeches = srs.leeches()
    assert [d.item.item_id for d in leeches] == ["dns-ttl"] and leeches[0].leech
    srs.review("dns-ttl", score=95)  # passing again does not clear the flag
    assert srs.history.card("dns-ttl").lapses == LEECH_LAPSES  # type: ignore[union-attr]


def test_due_needs_the_bank() -> None:
    with History.open() as h:
        srs = SpacedRepetition.deterministic(h)
        srs.review("anything", score=50)  # without a bank every id may have a card
        with pytest.raises(ValueError, match="needs the bank"):
            srs.due()
