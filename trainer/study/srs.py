"""Spaced repetition with FSRS: one card per question and per follow-up, keyed by bank id.

Called by the app after each answer, by `trainer grade --record` (through
`trainer.study.recording`), by `trainer export --due` and by progress stats.

Score to rating (the scorer's 0-100 score, `rating_for_score`):
    score < 40  -> Again   (misses the fundamentals)
    score < 65  -> Hard
    score < 85  -> Good
    otherwise   -> Easy
A self-rating (1-4: Again, Hard, Good, Easy) overrides the score: the candidate knows
when a keyword match flattered a muddled answer, or a terse answer was really solid.

A lapse is a review rated Again, counted at most once per card per UTC day, so retrying
a failed card five times in one sitting counts once. A card with LEECH_LAPSES lapses is
a leech: failed again and again, it needs rewriting or a different approach, not more
repetition.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler

from trainer.bank import Bank

from .clock import Clock, utcnow
from .models import CardRecord, Review, check_rating
from .repository import History

SCORE_BANDS: tuple[tuple[int, Rating], ...] = (
    (40, Rating.Again),
    (65, Rating.Hard),
    (85, Rating.Good),
)
LEECH_LAPSES = 4
CARD_KINDS = ("question", "follow_up")


def rating_for_score(score: int) -> Rating:
    for below, rating in SCORE_BANDS:
        if score < below:
            return rating
    return Rating.Easy


def rating_for(score: int | None, self_rating: int | None = None) -> Rating:
    """The rating a review gets: the self-rating when given, else the score's band."""
    check_rating(self_rating, "self_rating")
    if self_rating is not None:
        return Rating(self_rating)
    if score is None:
        raise ValueError("a review needs a score or a self-rating")
    return rating_for_score(score)


def fsrs_card_id(item_id: str) -> int:
    """A stable integer id for FSRS (its default is a timestamp), derived from the bank id."""
    return int.from_bytes(hashlib.blake2b(item_id.encode(), digest_size=6).digest(), "big")


@dataclass(frozen=True, slots=True)
class CardItem:
    """A question or follow-up as the scheduler sees it; follow-ups inherit their parent's
    topics, and its level when they have none."""

    item_id: str
    kind: str
    title: str
    topics: tuple[str, ...]
    level: str | None
    parent: str | None = None


def card_items(bank: Bank) -> dict[str, CardItem]:
    """Every card-bearing item of the bank, in bank order."""
    items: dict[str, CardItem] = {}
    for e in bank.entries.values():
        if e.kind not in CARD_KINDS:
            continue
        parent = bank.entries[e.parent] if e.parent else None
        topics = e.topics or (parent.topics if parent else ())
        level = e.level or (parent.level if parent else None)
        items[e.id] = CardItem(e.id, e.kind, e.title, topics, level, e.parent)
    return items


def matches(item: CardItem, topics: Iterable[str] = (), level: str | None = None) -> bool:
    """True when the item has any of `topics` (or none were asked for) and the level."""
    wanted = set(topics)
    if wanted and not wanted.intersection(item.topics):
        return False
    return level is None or item.level == level


@dataclass(frozen=True, slots=True)
class DueCard:
    item: CardItem
    due: datetime
    state: int
    reps: int
    lapses: int
    retrievability: float

    @property
    def leech(self) -> bool:
        return self.lapses >= LEECH_LAPSES


@dataclass(frozen=True, slots=True)
class Preview:
    """The card after each rating (1-4), as of `at`; `reps` is the card's review count
    it started from, so a stale preview is never written."""

    item_id: str
    at: datetime
    reps: int
    cards: dict[int, Card]

    @property
    def intervals(self) -> dict[int, timedelta]:
        return {r: c.due - self.at for r, c in self.cards.items()}


class SpacedRepetition:
    """Reviews cards and builds the due queue on top of a `History`."""

    def __init__(self, history: History, bank: Bank | None = None, *,
                 clock: Clock | None = None, scheduler: Scheduler | None = None) -> None:
        self.history = history
        self.bank = bank
        self.clock = clock or history.clock
        self.scheduler = scheduler or scheduler_for(history)
        self._items = card_items(bank) if bank is not None else None

    @classmethod
    def deterministic(cls, history: History, bank: Bank | None = None, *,
                      clock: Clock = utcnow) -> SpacedRepetition:
        """Without FSRS's random fuzz on intervals: for tests and reproducible runs."""
        return cls(history, bank, clock=clock, scheduler=scheduler_for(history, fuzz=False))

    @property
    def items(self) -> dict[str, CardItem]:
        if self._items is None:
            raise ValueError("this needs the bank: create SpacedRepetition with bank=...")
        return self._items

    def has_card(self, item_id: str) -> bool:
        """Whether `item_id` gets a card (questions and follow-ups; anything without a bank)."""
        return self._items is None or item_id in self._items

    def review(self, item_id: str, *, score: int | None = None,
               self_rating: int | None = None, at: datetime | None = None,
               duration: float | None = None, attempt_id: int | None = None,
               planned: Preview | None = None) -> CardRecord:
        """Rate one answer and reschedule the card; `duration` is in seconds. With
        `planned` (a `preview()` of this card), the review is the one previewed, at the
        preview's time, unless the card was reviewed since."""
        if not self.has_card(item_id):
            raise ValueError(f"'{item_id}' is not a question or follow-up of the bank")
        rating = rating_for(score, self_rating)
        at = (at or self.clock()).astimezone(UTC)  # FSRS insists on UTC
        ms = None if duration is None else int(duration * 1000)
        # Read, schedule and write in one transaction so two processes reviewing the same
        # card cannot both start from the old state and lose a review.
        with self.history.transaction():
            old = self.history.card(item_id)
            if (planned is not None and planned.item_id == item_id
                    and planned.reps == (old.reps if old else 0)):
                at, card = planned.at, planned.cards[int(rating)]
            else:
                card = (Card.from_dict(old.card) if old
                        else Card(card_id=fsrs_card_id(item_id), due=at))
                card, _ = self.scheduler.review_card(card, rating, review_datetime=at,
                                                     review_duration=ms)
            lapses, lapse_day = count_lapse(old, rating, at)
            record = CardRecord(item_id=item_id, card=card.to_dict(), due=card.due,
                                state=int(card.state), reps=(old.reps if old else 0) + 1,
                                lapses=lapses, last_lapse_day=lapse_day)
            self.history.put_card(record)
            self.history.add_review(Review(item_id=item_id, rating=int(rating), at=at,
                                           score=score, self_rating=self_rating,
                                           duration_ms=ms, attempt_id=attempt_id))
        return record

    def preview(self, item_id: str, at: datetime | None = None) -> Preview:
        """What each rating (1-4) would make of the card at `at`, without writing. Pass
        it to `review(planned=...)` and the interval shown is the one written, fuzz and
        all (FSRS adds a small random fuzz to intervals of three days or more)."""
        at = (at or self.clock()).astimezone(UTC)
        old = self.history.card(item_id)
        card = (Card.from_dict(old.card) if old
                else Card(card_id=fsrs_card_id(item_id), due=at))
        return Preview(item_id, at, old.reps if old else 0,
                       {int(r): self.scheduler.review_card(card, r, review_datetime=at)[0]
                        for r in Rating})

    def undo_review(self, review_id: int, before: CardRecord | None, item_id: str) -> None:
        """Take a review back: delete it and put the card as it was before it (no card at
        all when it was the first), in one transaction."""
        with self.history.transaction():
            self.history.delete_review(review_id)
            if before is None:
                self.history.delete_card(item_id)
            else:
                self.history.put_card(before)

    def next_due(self, topics: Iterable[str] = (), level: str | None = None, *,
                 now: datetime | None = None) -> datetime | None:
        """When the next card not yet due comes due (None when nothing is scheduled)."""
        now = now or self.clock()
        topics = tuple(topics)
        later = [rec.due for rec in self.history.cards() if rec.due > now
                 and (item := self.items.get(rec.item_id)) is not None
                 and matches(item, topics, level)]
        return min(later, default=None)

    def due(self, topics: Iterable[str] = (), level: str | None = None, *,
            now: datetime | None = None, include_new: bool = False,
            limit: int | None = None) -> list[DueCard]:
        """Cards due by `now`, most overdue first; with `include_new`, never-reviewed items
        of the bank follow in bank order. Items no longer in the bank are left out."""
        now = now or self.clock()
        topics = tuple(topics)
        out: list[DueCard] = []
        seen: set[str] = set()
        for rec in self.history.cards():
            seen.add(rec.item_id)
            item = self.items.get(rec.item_id)
            if item is None or rec.due > now or not matches(item, topics, level):
                continue
            out.append(self._due_card(item, rec, now))
        out.sort(key=lambda d: (d.due, d.item.item_id))
        if include_new:
            out.extend(DueCard(item, now, 0, 0, 0, 0.0) for item in self.items.values()
                       if item.item_id not in seen and matches(item, topics, level))
        return out[:limit] if limit is not None else out

    def leeches(self) -> list[DueCard]:
        """Cards failed again and again, worst first."""
        now = self.clock()
        found = [self._due_card(self.items[rec.item_id], rec, now)
                 for rec in self.history.cards()
                 if rec.lapses >= LEECH_LAPSES and rec.item_id in self.items]
        return sorted(found, key=lambda d: (-d.lapses, d.item.item_id))

    def _due_card(self, item: CardItem, rec: CardRecord, now: datetime) -> DueCard:
        card = Card.from_dict(rec.card)
        return DueCard(item, rec.due, rec.state, rec.reps, rec.lapses,
                       float(self.scheduler.get_card_retrievability(card, now)))


def scheduler_for(history: History, *, fuzz: bool = True) -> Scheduler:
    """FSRS with the parameters fitted to this history (`trainer scheduler fit`), or the
    library's defaults when none were fitted."""
    fitted = history.fitted_parameters()
    if fitted is None:
        return Scheduler(enable_fuzzing=fuzz)
    return Scheduler(parameters=fitted.parameters, enable_fuzzing=fuzz)


def count_lapse(old: CardRecord | None, rating: Rating, at: datetime) -> tuple[int, str]:
    """(lapses, last lapse day) after a review; see the module docstring for the rule."""
    lapses = old.lapses if old else 0
    day = old.last_lapse_day if old else ""
    if rating == Rating.Again:
        today_utc = at.astimezone(UTC).date().isoformat()
        if today_utc != day:
            lapses, day = lapses + 1, today_utc
    return lapses, day
