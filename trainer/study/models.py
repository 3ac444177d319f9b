"""Typed records of study history: what the repository stores and returns.

Built by callers (the app, `trainer grade --record`, the simulator) and by
`trainer.study.converters` from database rows. Times are timezone-aware UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the history opens before the scheduler is needed: fsrs loads on use
    from fsrs.card import CardDict

RATING_MIN = 1
RATING_MAX = 4


def check_rating(value: int | None, what: str) -> None:
    """Ratings are on the 1-4 scale throughout: FSRS, feedback sheets and self-ratings."""
    if value is not None and not (RATING_MIN <= value <= RATING_MAX):
        raise ValueError(f"{what} must be between {RATING_MIN} and {RATING_MAX}, got {value}")


@dataclass(frozen=True, slots=True)
class ConceptOutcome:
    """How one rubric concept fared in one attempt."""

    concept: str
    status: str  # matched | partial | negated | missed | self, as the scorer reports it
    credit: float = 0.0
    weight: int = 1

    @property
    def hit(self) -> bool:
        return self.status in ("matched", "partial", "self")


@dataclass(frozen=True, slots=True)
class Attempt:
    """One answer to a question or follow-up, with its score."""

    item_id: str
    answer: str
    score: int
    at: datetime
    mode: str = "practice"
    verdict: str = ""
    concepts: tuple[ConceptOutcome, ...] = ()
    duration: float | None = None  # seconds spent answering
    self_rating: int | None = None  # 1-4, the candidate's own view of the answer
    id: int | None = None  # set by the repository

    def __post_init__(self) -> None:
        check_rating(self.self_rating, "self_rating")

    @property
    def hit(self) -> tuple[str, ...]:
        return tuple(c.concept for c in self.concepts if c.hit)

    @property
    def missed(self) -> tuple[str, ...]:
        return tuple(c.concept for c in self.concepts if not c.hit)


@dataclass(frozen=True, slots=True)
class ConceptTick:
    """The interviewer's tick (or not) against one rubric concept of one item."""

    item_id: str
    concept: str
    ticked: bool


@dataclass(frozen=True, slots=True)
class DimensionRating:
    """A 1-4 rating on one interview dimension (communication, depth, trade-offs...)."""

    dimension: str
    rating: int
    note: str = ""

    def __post_init__(self) -> None:
        check_rating(self.rating, f"rating of {self.dimension!r}")


@dataclass(frozen=True, slots=True)
class FeedbackSheet:
    """The structured form an interviewer fills in at the end of a mock interview."""

    item_ids: tuple[str, ...]
    created_at: datetime
    candidate: str = ""
    interviewer: str = ""
    ticks: tuple[ConceptTick, ...] = ()
    notes: str = ""
    ratings: tuple[DimensionRating, ...] = ()
    would_hire: bool | None = None
    hire_level: str | None = None
    strengths: str = ""
    improvements: str = ""
    # Kept beside the interviewer's view because people misjudge their own performance.
    self_rating: int | None = None
    duration: float | None = None  # seconds on the interview clock
    updated_at: datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        check_rating(self.self_rating, "self_rating")

    @property
    def mean_rating(self) -> float | None:
        if not self.ratings:
            return None
        return sum(r.rating for r in self.ratings) / len(self.ratings)


TRANSCRIPT_KINDS = ("joined", "rejoined", "left", "refused", "question", "follow-up", "answer",
                    "tick", "untick", "note", "self-rating", "interviewer-rating", "clock-started",
                    "clock-paused", "ended")


@dataclass(frozen=True, slots=True)
class TranscriptEvent:
    """One moment of a hosted mock interview, kept with its feedback sheet."""

    at: float  # seconds since the session started
    kind: str  # one of TRANSCRIPT_KINDS
    item_id: str = ""
    seq: int = 0  # the prompt it belongs to (1 is the first asked); 0 for none
    text: str = ""  # the prompt, the answer or the notes so far, a concept, a comment
    value: int | None = None  # a rating

    def __post_init__(self) -> None:
        if self.kind not in TRANSCRIPT_KINDS:
            raise ValueError(f"unknown transcript event {self.kind!r}")


@dataclass(frozen=True, slots=True)
class ScenarioRun:
    """One play of an incident scenario: enough to replay it (seed, actions) and judge it."""

    scenario_id: str
    seed: int
    started_at: datetime
    actions: tuple[Any, ...] = ()  # JSON-serialisable steps, as the simulator records them
    outcome: dict[str, Any] = field(default_factory=dict)
    finished_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class CoverageClaim:
    """The candidate's word that their answer covered a concept the scorer missed."""

    item_id: str
    concept: str
    answer: str
    at: datetime
    attempt_id: int | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Draft:
    """An answer being typed, autosaved so a crash or a closed terminal loses nothing."""

    item_id: str
    text: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class CardRecord:
    """A spaced-repetition card as stored: the FSRS card plus the trainer's own counters."""

    item_id: str
    card: CardDict  # fsrs.Card.to_dict()
    due: datetime
    state: int
    reps: int = 0
    lapses: int = 0
    last_lapse_day: str = ""  # UTC date of the last counted lapse, see srs.count_lapse


@dataclass(frozen=True, slots=True)
class Review:
    """One spaced-repetition review of a card."""

    item_id: str
    rating: int
    at: datetime
    score: int | None = None
    self_rating: int | None = None
    duration_ms: int | None = None
    attempt_id: int | None = None
    id: int | None = None
