"""What happened in a hosted interview, in order: the record to keep with the sheet.

Each event is a small frozen dataclass stamped with `at`, seconds since the hub started.
The hub appends them as they happen (and hands each to its listener); answer and note
snapshots are thinned to one per `SNAPSHOT_EVERY` seconds so an hour of typing stays a
few hundred events, and the last state before every new prompt and at the end is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.remote.protocol import AskKind, RefusalReason

SNAPSHOT_EVERY = 5.0


@dataclass(frozen=True, slots=True)
class Joined:
    at: float
    rejoin: bool


@dataclass(frozen=True, slots=True)
class Left:
    at: float
    why: str


@dataclass(frozen=True, slots=True)
class JoinRefused:
    at: float
    reason: RefusalReason
    peer: str


@dataclass(frozen=True, slots=True)
class Asked:
    at: float
    seq: int
    item_id: str
    kind: AskKind
    prompt: str = ""  # as the candidate was sent it


@dataclass(frozen=True, slots=True)
class AnswerSnapshot:
    at: float
    seq: int
    item_id: str
    text: str


@dataclass(frozen=True, slots=True)
class Tick:
    at: float
    item_id: str
    concept: str
    ticked: bool


@dataclass(frozen=True, slots=True)
class NoteSnapshot:
    at: float
    text: str


@dataclass(frozen=True, slots=True)
class SelfRated:
    at: float
    rating: int


@dataclass(frozen=True, slots=True)
class InterviewerRated:
    at: float
    rating: int
    comment: str


@dataclass(frozen=True, slots=True)
class ClockSet:
    at: float
    running: bool


@dataclass(frozen=True, slots=True)
class InterviewEnded:
    at: float


Event = (Joined | Left | JoinRefused | Asked | AnswerSnapshot | Tick | NoteSnapshot
         | SelfRated | InterviewerRated | ClockSet | InterviewEnded)


class Timeline:
    """The events of one interview, with answer and note snapshots thinned as added."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self._window: dict[type, float] = {}

    def add(self, event: Event) -> None:
        last = self.events[-1] if self.events else None
        if isinstance(event, AnswerSnapshot | NoteSnapshot):
            same_run = (type(last) is type(event) and (
                not isinstance(event, AnswerSnapshot)
                or (isinstance(last, AnswerSnapshot) and last.seq == event.seq)))
            # A run of snapshots keeps one per window: later ones replace the last until
            # the window closes, so the kept text is at most SNAPSHOT_EVERY seconds old.
            opened = self._window.get(type(event), -SNAPSHOT_EVERY)
            if same_run and event.at - opened < SNAPSHOT_EVERY:
                self.events[-1] = event
                return
            self._window[type(event)] = event.at
        self.events.append(event)

    def answers(self) -> dict[int, str]:
        """The last text of each prompt's answer."""
        return {e.seq: e.text for e in self.events if isinstance(e, AnswerSnapshot)}
