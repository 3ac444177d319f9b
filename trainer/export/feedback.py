"""The mock-interview feedback report: one saved `FeedbackSheet` as Markdown or HTML.

Called only by `trainer export sheet SHEET_ID`, for a sheet the app saved after a mock
interview; the app's feedback screen shows its own summary and points to that command. A
sheet of a hosted interview (`trainer mock host`) has its timeline too, rendered as the
transcript (`transcript.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trainer.bank import Bank, FollowUp, GradableItem, Question
from trainer.study import FeedbackSheet, TranscriptEvent

from .render import render
from .transcript import transcript_lines

SHEET_FORMATS = ("html", "md")


@dataclass(frozen=True, slots=True)
class SheetItem:
    id: str
    title: str
    prompt: str
    ticks: tuple[tuple[str, str], ...]  # (concept, ticked | unticked | not assessed)


def sheet_items(sheet: FeedbackSheet, bank: Bank) -> tuple[SheetItem, ...]:
    """Each item of the interview with every rubric concept and its tick state; ticks
    for concepts the bank no longer has are kept, after the rubric's own."""
    out: list[SheetItem] = []
    for item_id in sheet.item_ids:
        entry = bank.get(item_id)
        item = entry.item if entry is not None else None
        ticks = {t.concept: t.ticked for t in sheet.ticks if t.item_id == item_id}
        rubric = [c.concept for c in item.rubric] if isinstance(item, GradableItem) else []
        names = rubric + [c for c in ticks if c not in rubric]
        states = tuple((c, "not assessed" if c not in ticks
                        else ("ticked" if ticks[c] else "unticked")) for c in names)
        title = entry.title if entry else f"{item_id} (no longer in the bank)"
        prompt = item.prompt if isinstance(item, Question | FollowUp) else ""
        out.append(SheetItem(item_id, title, prompt, states))
    return tuple(out)


def calibration_note(sheet: FeedbackSheet) -> str | None:
    """How the candidate's own rating compares with the interviewer's mean."""
    if sheet.self_rating is None or sheet.mean_rating is None:
        return None
    gap = sheet.self_rating - sheet.mean_rating
    if abs(gap) < 0.5:
        return "in line with the interviewer"
    side = "above" if gap > 0 else "below"
    return f"{abs(gap):.1f} {side} the interviewer's mean"


def render_sheet(sheet: FeedbackSheet, bank: Bank, fmt: str,
                 transcript: Sequence[TranscriptEvent] | None = None) -> str:
    """The report; with the `transcript` of a hosted interview, it ends with it."""
    if fmt not in SHEET_FORMATS:
        raise ValueError(f"sheet format must be one of {', '.join(SHEET_FORMATS)}")
    rated = next((e for e in reversed(transcript or ()) if e.kind == "interviewer-rating"),
                 None)
    return render(f"sheet.{fmt}.j2", s=sheet, items=sheet_items(sheet, bank),
                  calibration=calibration_note(sheet),
                  transcript=transcript_lines(transcript) if transcript else (),
                  interviewer_rating=rated)
