"""Turning a graded answer into history: one attempt plus, for cards, one review.

Called by the app after each answer and by `GradeRecorder` (`trainer grade --record`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from .models import Attempt, CardRecord, ConceptOutcome
from .srs import SpacedRepetition

if TYPE_CHECKING:  # only for annotations: the app shows Home before it needs the scorer
    from trainer.scoring import ScoreResult


@dataclass(frozen=True, slots=True)
class Recorded:
    attempt: Attempt
    card: CardRecord | None  # None for items without a card (scenarios)


def attempt_from_result(item_id: str, answer: str, result: ScoreResult, *, at: datetime,
                        mode: str = "practice", duration: float | None = None,
                        self_rating: int | None = None) -> Attempt:
    return Attempt(
        item_id=item_id, answer=answer, score=result.score, verdict=result.verdict, at=at,
        mode=mode, duration=duration, self_rating=self_rating,
        concepts=tuple(ConceptOutcome(c.concept, c.status, round(c.credit, 4), c.weight)
                       for c in result.concepts),
    )


def record_answer(srs: SpacedRepetition, item_id: str, answer: str, result: ScoreResult, *,
                  mode: str = "practice", at: datetime | None = None,
                  duration: float | None = None,
                  self_rating: int | None = None) -> Recorded:
    """Store the attempt and review the card in one transaction: both or neither."""
    history = srs.history
    at = at or srs.clock()
    attempt = attempt_from_result(item_id, answer, result, at=at, mode=mode,
                                  duration=duration, self_rating=self_rating)
    with history.transaction():
        attempt = history.add_attempt(attempt)
        card = None
        if srs.has_card(item_id):
            card = srs.review(item_id, score=result.score, self_rating=self_rating, at=at,
                              duration=duration, attempt_id=attempt.id)
    return Recorded(attempt, card)
