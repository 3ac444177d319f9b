"""The one-screen mock interview in progress, kept the way practice drafts are.

Notes, ticks, the candidate's private self-rating and the feedback sheet being filled in
are autosaved to the history's drafts (key `mock:<question id>`, the question on screen),
on quit and before a crash report, so a closed terminal loses nothing; reopening Mock
mode on that question restores them. Saving the sheet discards the draft.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trainer.study import History

PREFIX = "mock:"
"""Draft keys of mock interviews; no bank id has a colon, so practice never sees them."""

SheetForm = dict[str, Any]
"""The feedback form's fields as the sheet screen reports them (JSON values only)."""


@dataclass(frozen=True, slots=True)
class MockDraft:
    question_id: str
    asked: tuple[str, ...] = ()
    """Item ids asked so far, in order: the question, then its follow-ups."""
    ticks: tuple[tuple[str, str, bool], ...] = ()
    """(item id, concept, ticked) for every concept the interviewer decided on."""
    notes: str = ""
    self_rating: int | None = None
    elapsed: float = 0.0
    sheet: SheetForm | None = None
    """The feedback sheet being filled in, when it was open."""
    updated_at: datetime | None = field(default=None, compare=False)

    @property
    def empty(self) -> bool:
        """Nothing worth keeping: nothing ticked or typed, no rating, no sheet."""
        return (not any(t for _, _, t in self.ticks) and not self.notes.strip()
                and self.self_rating is None and not self.sheet)

    def to_text(self) -> str:
        return json.dumps({"asked": list(self.asked), "ticks": [list(t) for t in self.ticks],
                           "notes": self.notes, "self_rating": self.self_rating,
                           "elapsed": self.elapsed, "sheet": self.sheet},
                          ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_text(cls, question_id: str, text: str,
                  updated_at: datetime | None = None) -> MockDraft | None:
        """The draft, or None when the stored text is not one (never an exception)."""
        try:
            data = json.loads(text)
            rating = data.get("self_rating")
            sheet = data.get("sheet")
            return cls(
                question_id=question_id,
                asked=tuple(str(i) for i in data.get("asked", [])),
                ticks=tuple((str(i), str(c), bool(t)) for i, c, t in data.get("ticks", [])),
                notes=str(data.get("notes", "")),
                self_rating=rating if isinstance(rating, int) and 1 <= rating <= 4 else None,
                elapsed=float(data.get("elapsed", 0.0)),
                sheet=sheet if isinstance(sheet, dict) else None,
                updated_at=updated_at)
        except (ValueError, TypeError, AttributeError):
            return None


def save(history: History, draft: MockDraft) -> None:
    """Keep the draft, or drop the stored one when there is nothing in it."""
    if draft.empty:
        history.delete_draft(PREFIX + draft.question_id)
    else:
        history.save_draft(PREFIX + draft.question_id, draft.to_text())


def load(history: History, question_id: str) -> MockDraft | None:
    stored = history.draft(PREFIX + question_id)
    if stored is None:
        return None
    return MockDraft.from_text(question_id, stored.text, stored.updated_at)


def latest(history: History) -> str | None:
    """The question of the newest mock interview in progress, if any."""
    for stored in history.drafts():
        if stored.item_id.startswith(PREFIX):
            return stored.item_id[len(PREFIX):]
    return None


def discard(history: History, question_id: str) -> None:
    history.delete_draft(PREFIX + question_id)
