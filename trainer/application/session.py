"""The practice loop's state, kept apart from widgets so it is testable without a UI.

A session walks a queue of chains (filtered by topic and level); a chain is the cards
asked in a row: a question and its follow-ups, or one follow-up on its own, asked with
its question shown as context. Review (`due_only`) serves every due card, follow-ups
included: a due question with those of its follow-ups that are due, and a due follow-up
whose question is not due on its own. Practice serves the due cards first, then new
questions (with all their follow-ups), then new follow-ups of questions already done.
When the queue runs out it is planned again, so a card failed a minute ago comes back
once it is due, as in Anki.

An answer is stored as an attempt the moment it is scored (nothing typed is lost), while
the card review waits until the user moves on, so a self-rating given after seeing the
score overrides the rating the scheduler would derive from the score. The last review
written can be taken back (`undo_last`): the card returns to its state before it, the
review is deleted, and the answer is shown scored again to be rated anew.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Protocol

from trainer.bank import Bank, FollowUp, Question
from trainer.scoring import ScoreResult
from trainer.study import CardRecord, CoverageClaim, SpacedRepetition, attempt_from_result
from trainer.study.srs import DueCard, Preview

from .flashcards import SCORE_FOR_RATING, SELF_RATED

Item = Question | FollowUp
Chain = tuple[str, ...]


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
    planned: Preview | None = None
    """What each rating would do, as shown on the rating keys; the review written is it."""


@dataclass(frozen=True)
class Rated:
    """The last review written, with what `undo_last` needs to take it back."""

    pending: Pending
    before: CardRecord | None
    review_id: int
    chain: tuple[Item, ...]
    position: int
    queue: tuple[Chain, ...]
    served: int


def plan(bank: Bank, due: list[DueCard], *, review: bool, roots_only: bool = False,
         leave_out: frozenset[str] = frozenset()) -> list[Chain]:
    """Chains in the order a session asks them (see the module docstring).

    `due` is the scheduler's queue (reviewed cards most overdue first, then new ones);
    `review` keeps only due follow-ups in a question's chain; `roots_only` (mock
    interviews) starts every chain at a question; `leave_out` are cards not to ask again.
    """
    wanted = [d for d in due if d.item.item_id not in leave_out]
    due_ids = {d.item.item_id for d in wanted}
    seen = [d.item.item_id for d in wanted if d.reps]
    new = [d.item.item_id for d in wanted if not d.reps]
    codes = {i: q.code or "~" for i in new if (q := bank.question(i)) is not None}
    new_roots = sorted(codes, key=lambda i: (codes[i], i))
    new_follow_ups = [i for i in new if bank.follow_up(i) is not None]
    placed: set[str] = set()
    chains: list[Chain] = []
    for item_id in [*seen, *new_roots, *new_follow_ups]:
        if item_id in placed:
            continue
        question = bank.question(item_id)
        if question is not None:
            follow_ups = [f.id for f in question.follow_ups if f.id not in placed
                          and f.id not in leave_out and (not review or f.id in due_ids)]
            chain: Chain = (item_id, *follow_ups)
        elif roots_only or bank.follow_up(item_id) is None:
            continue
        else:
            chain = (item_id,)
        placed.update(chain)
        chains.append(chain)
    return chains


@dataclass
class PracticeSession:
    bank: Bank
    srs: SpacedRepetition
    topic: str | None = None
    level: str | None = None
    due_only: bool = False
    mode: str = "practice"
    queue: list[Chain] = field(default_factory=list)
    """Chains still to come, in order."""
    chain: list[Item] = field(default_factory=list)
    """The chain being asked: a question and its follow-ups, or one follow-up."""
    position: int = 0
    pending: Pending | None = None
    served: int = 0
    """Cards asked before the current one."""
    last_rated: Rated | None = None
    _asked: set[str] = field(default_factory=set)
    _answered: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.refill()

    def refill(self, start_id: str | None = None) -> None:
        """Plan the queue from the scheduler; `start_id` goes first (a question with its
        follow-ups, or a follow-up on its own)."""
        topics = (self.topic,) if self.topic else ()
        due = self.srs.due(topics, self.level, include_new=not self.due_only)
        # Cards shown in this session but left unanswered are not asked again.
        leave_out = frozenset(self._asked - self._answered)
        chains = plan(self.bank, due, review=self.due_only, roots_only=self.mode == "mock",
                      leave_out=leave_out)
        if start_id:
            first = self._start_chain(start_id)
            if first:
                chains = [first, *(c for c in (tuple(i for i in ch if i not in first)
                                              for ch in chains) if c)]
        self.queue = chains

    def _start_chain(self, start_id: str) -> Chain:
        question = self.bank.question(start_id)
        if question is not None:
            return (start_id, *(f.id for f in question.follow_ups))
        if self.bank.follow_up(start_id) is not None:
            if self.mode == "mock":
                parent = self.bank.parent_question(start_id)
                return self._start_chain(parent.id) if parent else ()
            return (start_id,)
        return ()

    # ---- where we are -------------------------------------------------------------------

    @property
    def current(self) -> Item | None:
        return self.chain[self.position] if self.position < len(self.chain) else None

    @property
    def question(self) -> Question | None:
        """The question the current card belongs to (itself, for a question)."""
        item = self.current or (self.chain[0] if self.chain else None)
        if item is None or isinstance(item, Question):
            return item
        return self.bank.parent_question(item.id)

    @property
    def standalone(self) -> bool:
        """True for a follow-up asked on its own: its question is shown as context."""
        return isinstance(self.current, FollowUp) and isinstance(self.chain[0], FollowUp)

    @property
    def counter(self) -> tuple[int, int]:
        """(this card's number, cards in the session as now planned): "3 of 12"."""
        queued = sum(len(c) for c in self.queue)
        if self.current is None:
            return self.served, self.served + queued
        return self.served + 1, self.served + len(self.chain) - self.position + queued

    def follow_up_number(self, item: FollowUp) -> tuple[int, int]:
        """(n, of) of a follow-up within its question's chain."""
        parent = self.bank.parent_question(item.id)
        ids = [f.id for f in parent.follow_ups] if parent else [item.id]
        return ids.index(item.id) + 1, len(ids)

    # ---- moving -------------------------------------------------------------------------

    def next_item(self) -> Item | None:
        """Move on: the next card of the chain, else the next chain."""
        return self._advance(skip_rest=False)

    def skip_chain(self) -> Item | None:
        """Leave the rest of the chain and go to the next one."""
        return self._advance(skip_rest=True)

    def _advance(self, *, skip_rest: bool) -> Item | None:
        self.flush()
        if self.current is not None:
            self.served += 1
            self.position += 1
        if skip_rest:
            self.position = len(self.chain)
        if self.current is None:
            if not self.queue:
                self.refill()
            if not self.queue:
                self.chain, self.position = [], 0
                return None
            items = [self.bank.get(i) for i in self.queue.pop(0)]
            self.chain = [e.item for e in items
                          if e is not None and isinstance(e.item, Question | FollowUp)]
            self.position = 0
            if not self.chain:
                return self._advance(skip_rest=False)
        current = self.current
        if current is not None:
            self._asked.add(current.id)
        return current

    def next_due_in(self) -> timedelta | None:
        """How long until the next card of these filters comes due."""
        topics = (self.topic,) if self.topic else ()
        when = self.srs.next_due(topics, self.level)
        return None if when is None else when - self.srs.clock()

    # ---- answering ----------------------------------------------------------------------

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

    def preview(self) -> dict[int, timedelta]:
        """The interval each rating would give the pending card (worked out once, so the
        interval shown is the interval written)."""
        pending = self.pending
        if pending is None or not self.srs.has_card(pending.item_id):
            return {}
        if pending.planned is None:
            pending.planned = self.srs.preview(pending.item_id)
        return pending.planned.intervals

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

    def self_rate(self, rating: int | None) -> None:
        """The candidate's own 1-4 rating of the pending answer (None: the score's)."""
        if self.pending is not None:
            self.pending.self_rating = rating

    def flush(self) -> None:
        """Write the pending card review (with the self-rating, if one was given)."""
        pending = self.pending
        if pending is None:
            return
        history = self.srs.history
        flashcard = pending.result.verdict == SELF_RATED
        if flashcard and pending.self_rating is None:
            # A flashcard moved on without a rating: there is nothing to schedule it by.
            self._answered.add(pending.item_id)
            self.pending = None
            return
        if self.srs.has_card(pending.item_id):
            # Both or neither; the review stays pending until it is written, so a write
            # that fails (a full disk) can be tried again.
            with history.transaction():
                before = history.card(pending.item_id)
                if flashcard and pending.self_rating is not None \
                        and pending.attempt_id is not None:
                    rated = replace(pending.result,
                                    score=SCORE_FOR_RATING[pending.self_rating])
                    history.rescore_attempt(replace(attempt_from_result(
                        pending.item_id, pending.answer, rated, at=history.clock(),
                        mode=self.mode, duration=pending.duration), id=pending.attempt_id))
                self.srs.review(pending.item_id, score=pending.result.score,
                                self_rating=pending.self_rating, duration=pending.duration,
                                attempt_id=pending.attempt_id, planned=pending.planned)
                if pending.self_rating is not None and pending.attempt_id is not None:
                    history.set_self_rating(pending.attempt_id, pending.self_rating)
                written = history.last_review(pending.item_id)
            if written is not None and written.id is not None:
                self.last_rated = Rated(pending, before, written.id, tuple(self.chain),
                                        self.position, tuple(self.queue), self.served)
        self._answered.add(pending.item_id)
        self.pending = None

    @property
    def can_undo(self) -> bool:
        return self.last_rated is not None and self.pending is None

    def undo_last(self) -> Item | None:
        """Take the last review back and return to its card, scored and waiting for a
        rating again (None when there is nothing to undo)."""
        rated = self.last_rated
        if rated is None or self.pending is not None:
            return None
        pending = rated.pending
        history = self.srs.history
        with history.transaction():
            self.srs.undo_review(rated.review_id, rated.before, pending.item_id)
            if pending.self_rating is not None and pending.attempt_id is not None:
                history.set_self_rating(pending.attempt_id, None)
        self.chain, self.position = list(rated.chain), rated.position
        self.queue, self.served = list(rated.queue), rated.served
        self.pending, self.last_rated = pending, None
        self._answered.discard(pending.item_id)
        return self.current
