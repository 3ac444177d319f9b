"""Every question and follow-up with its study status, for the question browser and
`trainer due`; and what changed between your last two attempts at one.

Status of a card (the browser's filter):
- new: never reviewed;
- due: its review is due now;
- mastered: not due, in FSRS's review state, with an interval of MASTERED_DAYS or more
  (Anki calls such cards mature);
- learning: everything else (reviewed, not due, not yet mastered).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from trainer.bank import Bank

from .clock import from_text
from .models import Attempt, CardRecord
from .repository import History
from .srs import CardItem, card_items, matches

STATUSES = ("new", "learning", "due", "mastered")
MASTERED_DAYS = 21
REVIEW_STATE = 2  # fsrs.State.Review


@dataclass(frozen=True, slots=True)
class CatalogRow:
    item_id: str
    kind: str  # question | follow_up
    code: str  # "Q-01", "Q-01 f2", or the id when the bank gives no code
    title: str
    topics: tuple[str, ...]
    level: str | None
    status: str
    attempts: int
    last_score: int | None
    best_score: int | None
    due: datetime | None
    parent: str | None = None


def card_status(card: CardRecord | None, now: datetime) -> str:
    if card is None:
        return "new"
    if card.due <= now:
        return "due"
    last = card.card.get("last_review")
    if (card.state == REVIEW_STATE and isinstance(last, str)
            and (card.due - from_text(last)).days >= MASTERED_DAYS):
        return "mastered"
    return "learning"


def catalog(bank: Bank, history: History, *, now: datetime | None = None,
            topics: Iterable[str] = (), level: str | None = None,
            status: str | None = None) -> list[CatalogRow]:
    """The cards of the bank with status, scores and due date: questions by code (then
    id), each followed by its follow-ups."""
    now = now or history.clock()
    topics = tuple(topics)
    if status is not None and status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    cards = {c.item_id: c for c in history.cards()}
    scores = history.score_summary()
    items = card_items(bank)
    rows = []
    for item in items.values():
        if not matches(item, topics, level):
            continue
        card = cards.get(item.item_id)
        row_status = card_status(card, now)
        if status is not None and row_status != status:
            continue
        count, last, best = scores.get(item.item_id, (0, None, None))
        rows.append(CatalogRow(item.item_id, item.kind, item_code(bank, item), item.title,
                               item.topics, item.level, row_status, count, last, best,
                               card.due if card else None, item.parent))
    return sorted(rows, key=lambda r: _order(bank, r))


def _order(bank: Bank, row: CatalogRow) -> tuple[str, str, int]:
    root = row.parent or row.item_id
    question = bank.question(root)
    code = question.code if question and question.code else "~"
    index = ([f.id for f in question.follow_ups].index(row.item_id) + 1
             if question and row.parent else 0)
    return code, root, index


def due_by(bank: Bank, history: History, at: datetime, *, topics: Iterable[str] = (),
           level: str | None = None) -> list[CatalogRow]:
    """Cards due by `at` (reviewed ones; new cards are never due), soonest due first."""
    rows = catalog(bank, history, now=at, topics=topics, level=level, status="due")
    return sorted(rows, key=lambda r: (r.due or at, r.item_id))


def item_code(bank: Bank, item: CardItem) -> str:
    """'Q-01' for a question, 'Q-01 f2' for its second follow-up; the id otherwise."""
    question = bank.question(item.parent or item.item_id)
    if question is None or not question.code:
        return item.item_id
    if item.parent is None:
        return question.code
    ids = [f.id for f in question.follow_ups]
    return f"{question.code} f{ids.index(item.item_id) + 1}"


@dataclass(frozen=True, slots=True)
class Comparison:
    """Your last attempt at an item against the one before it."""

    item_id: str
    last: Attempt
    previous: Attempt | None
    gained: tuple[str, ...]  # concepts hit now, missed before
    lost: tuple[str, ...]  # concepts hit before, missed now
    kept: tuple[str, ...]  # hit both times
    still_missed: tuple[str, ...]  # missed both times

    @property
    def score_change(self) -> int | None:
        return None if self.previous is None else self.last.score - self.previous.score


def compare_last(history: History, item_id: str) -> Comparison | None:
    """None when the item was never attempted; with one attempt, nothing to compare."""
    attempts = history.attempts(item_id, limit=2)
    if not attempts:
        return None
    last = attempts[0]
    previous = attempts[1] if len(attempts) > 1 else None
    now_hit = set(last.hit)
    before_hit = set(previous.hit) if previous else set()
    # Concepts in rubric order (the order the last attempt lists them).
    names = [c.concept for c in last.concepts]
    if previous:
        names += [c.concept for c in previous.concepts if c.concept not in names]
    if previous is None:
        return Comparison(item_id, last, None, (), (), tuple(n for n in names if n in now_hit),
                          tuple(n for n in names if n not in now_hit))
    return Comparison(
        item_id, last, previous,
        gained=tuple(n for n in names if n in now_hit and n not in before_hit),
        lost=tuple(n for n in names if n in before_hit and n not in now_hit),
        kept=tuple(n for n in names if n in now_hit and n in before_hit),
        still_missed=tuple(n for n in names if n not in now_hit and n not in before_hit),
    )
