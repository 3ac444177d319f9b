"""Items with `grading: self`: flashcards the candidate judges, for imported prose that no
drafted rubric fits. Nothing is scored; the candidate's own 1-4 rating schedules the card,
and the attempt keeps a score derived from that rating so mastery and progress follow it."""

from __future__ import annotations

from trainer.bank import FollowUp, Grading, Question, Scenario
from trainer.scoring import ScoreResult

SELF_RATED = "self-rated"
NOTICE = ("A flashcard: nothing is scored. Compare your answer with the model answer "
          "(ctrl+o), then rate yourself 1-4: your rating schedules the card.")
# What each rating means as a score: Again is a miss, Easy a full answer.
SCORE_FOR_RATING = {1: 0, 2: 40, 3: 75, 4: 100}


def is_flashcard(item: Question | FollowUp | Scenario) -> Question | None:
    """The item, when it is a flashcard (only questions can be)."""
    return item if isinstance(item, Question) and item.grading == Grading.self else None


def flashcard_result(item: Question) -> ScoreResult:
    return ScoreResult(item_id=item.id, score=0, verdict=SELF_RATED, level=None, concepts=(),
                       notices=(NOTICE,))
