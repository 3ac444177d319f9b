"""The hub's timeline as the history keeps it: `TranscriptEvent`s saved with the sheet.

The timeline's events are the remote layer's own; the history stores plain records, so
this is the one place that knows both. Only the interviewer's process imports it.
"""

from __future__ import annotations

from collections.abc import Iterable

from trainer.remote.timeline import (
    AnswerSnapshot,
    Asked,
    ClockSet,
    Event,
    InterviewEnded,
    InterviewerRated,
    Joined,
    JoinRefused,
    Left,
    NoteSnapshot,
    SelfRated,
    Tick,
)
from trainer.study import TranscriptEvent


def to_transcript(events: Iterable[Event]) -> tuple[TranscriptEvent, ...]:
    """Every event of the timeline, in order, as the history's records."""
    return tuple(_one(e) for e in events)


def _one(e: Event) -> TranscriptEvent:  # noqa: PLR0911 - one case per kind of event
    at = round(e.at, 3)
    if isinstance(e, Asked):
        return TranscriptEvent(at, e.kind, e.item_id, e.seq, e.prompt)
    if isinstance(e, AnswerSnapshot):
        return TranscriptEvent(at, "answer", e.item_id, e.seq, e.text)
    if isinstance(e, Tick):
        return TranscriptEvent(at, "tick" if e.ticked else "untick", e.item_id, 0, e.concept)
    if isinstance(e, NoteSnapshot):
        return TranscriptEvent(at, "note", text=e.text)
    if isinstance(e, Joined):
        return TranscriptEvent(at, "rejoined" if e.rejoin else "joined")
    if isinstance(e, Left):
        return TranscriptEvent(at, "left", text=e.why)
    if isinstance(e, JoinRefused):
        return TranscriptEvent(at, "refused", text=e.reason)
    if isinstance(e, SelfRated):
        return TranscriptEvent(at, "self-rating", value=e.rating)
    if isinstance(e, InterviewerRated):
        return TranscriptEvent(at, "interviewer-rating", text=e.comment, value=e.rating)
    if isinstance(e, ClockSet):
        return TranscriptEvent(at, "clock-started" if e.running else "clock-paused")
    assert isinstance(e, InterviewEnded)
    return TranscriptEvent(at, "ended")
