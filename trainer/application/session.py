"""The practice loop's state, kept apart from widgets so it is testable without a UI.

A session walks questions in due-queue order (filtered by topic and level), and through
each question's follow-up chain one item at a time. An answer is stored as an attempt the
moment it is scored (nothing typed is lost), while the card review waits until the user
moves on, so a self-rating given after seeing the score can still override the rating
the scheduler would derive from the score.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Protocol

from trainer.bank import Bank, FollowUp, Question
from trainer.scoring import ScoreResult
from trainer.study import CoverageClaim, SpacedRepetition, attempt_from_result


class _Grades(Protocol):
    def grade(self, item: Question | FollowUp, answer: str, item_id: str | None = None,
              self_credit: frozenset[str] = ...) -> ScoreResult: ...


@dataclass
class Pending:
    """A scored answer whose card review has not been written yet."""

    item_id: str
    result: ScoreResult
    attempt_id: int | None
    duration: float
    self_rating: int | None = None
    answer: str = ""
    claimed: frozenset[str] = frozenset()


@dataclass
class PracticeSession:
    bank: Bank
    srs: SpacedRepetition
    topic: str | None = None
    level: str | None = None
    due_only: bool = False
    mode: str = "practice"
    queue: list[str] = field(default_factory=list)
    """Question ids still to come, in order."""
    chain: list[Question | FollowUp] = field(default_factory=list)
    """The current question followed by its follow-ups."""
    position: int = 0
    pending: Pending | None = None

    def __post_init__(self) -> None:
        self.refill()

    def refill(self, start_id: str | None = None) -> None:
        topics = (self.topic,) if self.topic else ()
        due = self.srs.due(topics, self.level, include_new=not self.due_only)
        # Only top-level questions start a chain; their follow-ups come inside it. Cards
        # already reviewed come first (most overdue first), then new questions by code.
        questions = {d.item.item_id: q for d in due
                     if (q := self.bank.question(d.item.item_id)) is not None}
        seen = [d.item.item_id for d in due if d.reps and d.item.item_id in questions]
        new = sorted((d.item.item_id for d in due if not d.reps and d.item.item_id in questions),
                     key=lambda i: (questions[i].code or "~", i))
        ids = seen + new
        if start_id:
            entry = self.bank.get(start_id)
            root = entry.parent if entry and entry.parent else start_id
            ids = [root] + [i for i in ids if i != root]
        self.queue = ids

    @property
    def current(self) -> Question | FollowUp | None:
        return self.chain[self.position] if self.position < len(self.chain) else None

    @property
    def question(self) -> Question | None:
        first = self.chain[0] if self.chain else None
        return first if isinstance(first, Question) else None

    def next_item(self) -> Question | FollowUp | None:
        """Move on: the next follow-up of the chain, else the next question."""
        self.flush()
        if self.chain and self.position + 1 < len(self.chain):
            self.position += 1
            return self.current
        if not self.queue:
            return None
        question = self.bank.question(self.queue.pop(0))
        if question is None:  # cannot happen: the queue holds question ids only
            return self.next_item()
        self.chain = [question, *question.follow_ups]
        self.position = 0
        return self.current

    def skip_chain(self) -> Question | FollowUp | None:
        """Leave the rest of the follow-ups and go to the next question."""
        self.flush()
        self.position = len(self.chain)
        return self.next_item()

    def record(self, answer: str, result: ScoreResult, duration: float) -> None:
        """Store the attempt now; the card review waits for `flush()`."""
        self.flush()
        item = self.current
        assert item is not None
        history = self.srs.history
        attempt = history.add_attempt(attempt_from_result(
            item.id, answer, result, at=self.srs.clock(), mode=self.mode, duration=duration))
        history.delete_draft(item.id)
        self.pending = Pending(item.id, result, attempt.id, duration, answer=answer)

    def claimable(self) -> list[str]:
        """Concepts the candidate may say they covered: those not fully credited."""
        if self.pending is None:
            return []
        return [c.concept for c in self.pending.result.concepts
                if c.credit < 1.0 and c.status != "self"]

    def claim(self, concept: str, grader: _Grades) -> ScoreResult | None:
        """"I covered that": re-score with the concept self-credited, store the claim and
        the new score (the pending review then uses it)."""
        pending, item = self.pending, self.current
        if pending is None or item is None or concept not in self.claimable():
            return None
        claimed = pending.claimed | {concept}
        result = grader.grade(item, pending.answer, item.id, self_credit=claimed)
        history = self.srs.history
        now = self.srs.clock()
        with history.transaction():
            if pending.attempt_id is not None:
                attempt = attempt_from_result(item.id, pending.answer, result, at=now,
                                              mode=self.mode, duration=pending.duration)
                history.rescore_attempt(replace(attempt, id=pending.attempt_id))
            history.add_claim(CoverageClaim(item.id, concept, pending.answer, now,
                                            pending.attempt_id))
        pending.result, pending.claimed = result, claimed
        return result

    def self_rate(self, rating: int) -> None:
        if self.pending is not None:
            self.pending.self_rating = rating

    def flush(self) -> None:
        """Write the pending card review (with the self-rating, if one was given)."""
        pending = self.pending
        if pending is None:
            return
        if self.srs.has_card(pending.item_id):
            # Both or neither; the review stays pending until it is written, so a write
            # that fails (a full disk) can be tried again.
            with self.srs.history.transaction():
                self.srs.review(pending.item_id, score=pending.result.score,
                                self_rating=pending.self_rating, duration=pending.duration,
                                attempt_id=pending.attempt_id)
                if pending.self_rating is not None and pending.attempt_id is not None:
                    self.srs.history.set_self_rating(pending.attempt_id,
                                                     pending.self_rating)
        self.pending = None
