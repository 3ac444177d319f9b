"""The review queue serves every due card, follow-ups included; interval previews; undo."""

from __future__ import annotations

import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from study_support import FakeClock, bank_at

from trainer.application import Workspace
from trainer.application.session import PracticeSession
from trainer.scoring import Grader
from trainer.study import History

BANK = textwrap.dedent("""\
    questions:
      - id: dns-ttl
        code: Q-02
        level: senior
        topics: [dns]
        prompt: Why does a DNS change take time to reach everyone?
        model_answer: Caches keep the old record until its TTL runs out.
        rubric:
          - concept: TTL caching
            keywords: [ttl, cache]
        follow_ups:
          - id: dns-ttl.f1
            prompt: What do you do before the change?
            model_answer: Lower the TTL a day ahead.
            rubric:
              - concept: Lower the TTL first
                keywords: [lower the ttl]
          - id: dns-ttl.f2
            prompt: How do you know every resolver has the new record?
            model_answer: You cannot; watch traffic drain from the old address.
      - id: canary-size
        code: Q-01
        level: mid
        topics: [canary]
        prompt: How big is a first canary step?
        model_answer: One to five percent.
    """)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def workspace(tmp_path: Path, clock: FakeClock) -> Workspace:
    path = tmp_path / "bank.yaml"
    path.write_text(BANK, encoding="utf-8")
    ws = Workspace(bank_at(path), History.open(tmp_path / "h.sqlite3", clock=clock))
    yield ws
    ws.close()


def answer(session: PracticeSession, text: str, rating: int | None = None) -> None:
    item = session.current
    assert item is not None
    session.record(text, Grader(session.bank).grade(item, text, item.id), 10.0)
    if rating is not None:
        session.self_rate(rating)


def walk(session: PracticeSession) -> list[str]:
    ids = []
    item = session.next_item()
    while item is not None:
        ids.append(item.id)
        item = session.next_item()
    return ids


def test_a_failed_follow_up_is_served_by_review_once_due(workspace: Workspace,
                                                         clock: FakeClock) -> None:
    practice = workspace.practice(start_id="dns-ttl")
    assert practice.next_item().id == "dns-ttl"
    answer(practice, "Caches keep the old record until the TTL runs out.", rating=4)
    assert practice.next_item().id == "dns-ttl.f1"
    answer(practice, "no idea", rating=1)  # Again
    practice.flush()
    assert workspace.home_summary().due == 0
    clock.advance(minutes=11)  # past the learning step; the question is days away
    summary = workspace.home_summary()
    review = workspace.practice(due_only=True)
    assert summary.due == 1 == review.counter[1]  # Home and Review agree
    item = review.next_item()
    assert item is not None and item.id == "dns-ttl.f1"
    assert review.standalone and review.question is not None
    assert review.question.id == "dns-ttl"  # shown as context
    assert review.counter == (1, 1)
    assert review.next_item() is None


def test_review_asks_a_due_question_with_its_due_follow_ups_only(workspace: Workspace,
                                                                 clock: FakeClock) -> None:
    practice = workspace.practice(start_id="dns-ttl")
    practice.next_item()
    answer(practice, "ttl", rating=1)
    practice.next_item()
    answer(practice, "lower the ttl", rating=4)
    practice.next_item()
    answer(practice, "no idea", rating=1)
    practice.flush()
    clock.advance(minutes=11)
    review = workspace.practice(due_only=True)
    assert review.counter[1] == workspace.home_summary().due == 2
    assert walk(review) == ["dns-ttl", "dns-ttl.f2"]


def test_a_card_failed_in_review_comes_back_in_the_same_session(workspace: Workspace,
                                                                clock: FakeClock) -> None:
    practice = workspace.practice(start_id="canary-size")
    practice.next_item()
    answer(practice, "one to five percent", rating=1)
    practice.flush()
    clock.advance(minutes=2)
    review = workspace.practice(due_only=True)
    assert review.next_item().id == "canary-size"
    answer(review, "five percent", rating=1)
    assert review.next_item() is None  # rescheduled ten minutes out
    clock.advance(minutes=11)
    assert review.next_item().id == "canary-size"  # due again: served again


def test_practice_serves_due_cards_then_new_questions_then_lone_new_follow_ups(
        workspace: Workspace, clock: FakeClock) -> None:
    first = workspace.practice(start_id="dns-ttl")
    first.next_item()
    answer(first, "ttl cache", rating=3)
    first.flush()
    ids = walk(workspace.practice())
    assert ids == ["canary-size", "dns-ttl.f1", "dns-ttl.f2"]


def test_a_follow_up_can_be_started_on_its_own(workspace: Workspace) -> None:
    session = workspace.practice(start_id="dns-ttl.f2")
    item = session.next_item()
    assert item is not None and item.id == "dns-ttl.f2" and session.standalone
    assert session.follow_up_number(item) == (2, 2)


def test_each_rating_previews_its_interval_and_the_self_rating_wins(
        workspace: Workspace) -> None:
    session = workspace.practice(start_id="canary-size")
    session.next_item()
    answer(session, "one to five percent")
    preview = session.preview()
    assert list(preview) == [1, 2, 3, 4]
    assert preview[1] < preview[3] < preview[4]
    assert preview[1] == timedelta(minutes=1)
    session.self_rate(4)
    session.flush()
    (review,) = workspace.history.reviews()
    assert review.rating == 4 and review.self_rating == 4
    card = workspace.history.card("canary-size")
    assert card is not None
    assert abs((card.due - review.at) - preview[4]) <= timedelta(days=1)


def test_undo_restores_the_card_deletes_the_review_and_asks_for_a_rating_again(
        workspace: Workspace) -> None:
    history = workspace.history
    session = workspace.practice(start_id="dns-ttl")
    session.next_item()
    answer(session, "ttl", rating=3)
    session.next_item()
    answer(session, "lower the ttl", rating=2)
    before = history.card("dns-ttl")
    assert session.next_item().id == "dns-ttl.f2"
    assert session.can_undo
    item = session.undo_last()
    assert item is not None and item.id == "dns-ttl.f1"
    assert history.card("dns-ttl.f1") is None  # its first review: new again
    assert [r.item_id for r in history.reviews()] == ["dns-ttl"]
    assert history.card("dns-ttl") == before
    assert history.attempts("dns-ttl.f1")[0].self_rating is None
    assert session.pending is not None and not session.can_undo
    session.self_rate(4)
    assert session.next_item().id == "dns-ttl.f2"
    assert [(r.item_id, r.rating) for r in history.reviews()] == [("dns-ttl", 3),
                                                                  ("dns-ttl.f1", 4)]


def test_undo_of_a_second_review_puts_the_old_card_back(workspace: Workspace,
                                                        clock: FakeClock) -> None:
    history = workspace.history
    session = workspace.practice(start_id="canary-size")
    session.next_item()
    answer(session, "five percent", rating=1)
    session.flush()
    first = history.card("canary-size")
    clock.advance(minutes=5)
    review = workspace.practice(due_only=True)
    review.next_item()
    answer(review, "five percent", rating=3)
    assert review.next_item() is None
    assert review.undo_last() is not None
    assert history.card("canary-size") == first
    assert len(history.reviews()) == 1
