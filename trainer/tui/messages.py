"""Messages the screens post: past-tense events, handled by whoever cares."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from trainer.scoring import ScoreResult


@dataclass
class AnswerSubmitted(Message):
    """An answer was scored; the app records it in history."""

    item_id: str
    answer: str
    result: ScoreResult
    mode: str
    duration_s: float


@dataclass
class SelfRated(Message):
    """The candidate rated their own answer (1 = Again ... 4 = Easy)."""

    item_id: str
    rating: int


@dataclass
class TimerExpired(Message):
    """A countdown reached zero."""
