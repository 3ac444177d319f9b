"""The cards, reviews and fitted scheduler parameters of `History` (a mixin it inherits).

Written by `trainer.study.srs` (reviews, undo) and `trainer.study.fit` (parameters); read
by the scheduler, progress and the due queue. Kept apart from `repository.py` only to
keep each file short: there is still one class in front of the database.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import converters as cv
from .clock import from_text, to_text
from .models import CardRecord, Review


@dataclass(frozen=True, slots=True)
class FittedParameters:
    """FSRS parameters fitted to the user's own review log."""

    parameters: tuple[float, ...]
    reviews: int  # the reviews the fit learnt from
    fitted_at: datetime
    metrics: dict[str, Any]  # retention predicted before and after, log loss, RMSE
    id: int | None = None


class CardStore:
    if TYPE_CHECKING:  # provided by History
        def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...
        def _all(self, sql: str, params: Any = ()) -> list[sqlite3.Row]: ...

    def card(self, item_id: str) -> CardRecord | None:
        rows = self._all("SELECT * FROM cards WHERE item_id = ?", (item_id,))
        return cv.card_from_row(rows[0]) if rows else None

    def cards(self) -> list[CardRecord]:
        return [cv.card_from_row(r) for r in self._all("SELECT * FROM cards ORDER BY due")]

    def put_card(self, card: CardRecord) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO cards VALUES (:item_id, :card, :due, :state, :reps, :lapses, "
                ":last_lapse_day) ON CONFLICT(item_id) DO UPDATE SET card = excluded.card, "
                "due = excluded.due, state = excluded.state, reps = excluded.reps, "
                "lapses = excluded.lapses, last_lapse_day = excluded.last_lapse_day",
                cv.card_params(card))

    def delete_card(self, item_id: str) -> None:
        """Forget a card (undoing its first review): the item is new again."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM cards WHERE item_id = ?", (item_id,))

    def add_review(self, review: Review) -> Review:
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO reviews (item_id, rating, score, self_rating, duration_ms, "
                "attempt_id, at) VALUES (:item_id, :rating, :score, :self_rating, "
                ":duration_ms, :attempt_id, :at)", cv.review_params(review))
        return replace(review, id=cur.lastrowid)

    def delete_review(self, review_id: int) -> None:
        with self.transaction() as conn:
            cur = conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
            if cur.rowcount == 0:
                raise KeyError(f"no review {review_id}")

    def last_review(self, item_id: str) -> Review | None:
        rows = self._all("SELECT * FROM reviews WHERE item_id = ? ORDER BY id DESC LIMIT 1",
                         (item_id,))
        return cv.review_from_row(rows[0]) if rows else None

    def reviews(self, item_id: str | None = None, *,
                since: datetime | None = None) -> list[Review]:
        """Reviews in time order, optionally of one item and/or since a time."""
        where, params = [], []
        if item_id is not None:
            where.append("item_id = ?")
            params.append(item_id)
        if since is not None:
            where.append("at >= ?")
            params.append(to_text(since))
        sql = "SELECT * FROM reviews" + (" WHERE " + " AND ".join(where) if where else "")
        return [cv.review_from_row(r) for r in self._all(sql + " ORDER BY at, id", params)]

    def iter_reviews(self) -> Iterator[Review]:
        for r in self._all("SELECT * FROM reviews ORDER BY item_id, at, id"):
            yield cv.review_from_row(r)

    # -- fitted scheduler parameters (history schema 3) -----------------------------------

    def save_parameters(self, fitted: FittedParameters) -> FittedParameters:
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO scheduler_parameters (parameters, reviews, fitted_at, metrics) "
                "VALUES (?, ?, ?, ?)",
                (cv.dumps(list(fitted.parameters)), fitted.reviews, to_text(fitted.fitted_at),
                 cv.dumps(fitted.metrics)))
        return replace(fitted, id=cur.lastrowid)

    def fitted_parameters(self) -> FittedParameters | None:
        """The parameters in use: the newest fit, or None for the library's defaults."""
        rows = self._all("SELECT * FROM scheduler_parameters ORDER BY id DESC LIMIT 1")
        if not rows:
            return None
        r = rows[0]
        return FittedParameters(tuple(float(x) for x in json.loads(r["parameters"])),
                                r["reviews"], from_text(r["fitted_at"]),
                                json.loads(r["metrics"]), r["id"])
