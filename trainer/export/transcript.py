"""A hosted interview's timeline as a reader wants it: the transcript of a feedback report.

Times are from the start of the session. Each prompt asked is a line; the candidate's
answer to it is shown once, as last typed, where the next prompt was asked or the
interview ended (the answer snapshots in between are the record, not the reading). A
note shows what was added since the last one kept, ticks show the concept, ratings the
number; the initial start of the clock is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trainer.study import TranscriptEvent

from .render import minutes


@dataclass(frozen=True, slots=True)
class TranscriptLine:
    at: str  # m:ss from the start
    text: str
    block: str = ""  # the answer as last typed, when the line introduces one


def _words(text: str) -> str:
    n = len(text.split())
    return f"{n} word{'s' if n != 1 else ''}"


def transcript_lines(events: Sequence[TranscriptEvent]) -> tuple[TranscriptLine, ...]:
    lines: list[TranscriptLine] = []
    answers: dict[int, TranscriptEvent] = {}  # the last snapshot of each prompt
    started: set[int] = set()
    open_seq = 0  # the prompt being answered
    notes = ""
    clock_seen = False

    def close_answer(at: str) -> None:
        last = answers.get(open_seq)
        if last is not None and last.text.strip():
            lines.append(TranscriptLine(at, f"The answer as last typed (at "
                                        f"{minutes(last.at)}, {_words(last.text)}):",
                                        last.text.strip()))
        elif open_seq:
            lines.append(TranscriptLine(at, "No answer was typed."))

    for e in events:
        at = minutes(e.at)
        if e.kind in ("question", "follow-up"):
            close_answer(at)
            open_seq = e.seq
            what = "Asked the question" if e.kind == "question" else "Asked a follow-up"
            lines.append(TranscriptLine(at, f"{what}: {e.text}" if e.text else what))
        elif e.kind == "answer":
            answers[e.seq] = e
            if e.seq not in started and e.text.strip():
                started.add(e.seq)
                lines.append(TranscriptLine(at, "The candidate started typing."))
        elif e.kind == "note":
            added = e.text[len(notes):] if e.text.startswith(notes) else e.text
            if added.strip():
                label = "Note" if e.text.startswith(notes) else "Notes rewritten"
                lines.append(TranscriptLine(at, f"{label}: {' '.join(added.split())}"))
            notes = e.text
        elif e.kind in ("clock-started", "clock-paused"):
            if clock_seen or e.kind == "clock-paused":
                lines.append(TranscriptLine(
                    at, "Clock running." if e.kind == "clock-started" else "Clock paused."))
            clock_seen = True
        elif e.kind == "ended":
            close_answer(at)
            open_seq = 0
            lines.append(TranscriptLine(at, "The interviewer ended the interview."))
        else:
            lines.append(TranscriptLine(at, _plain(e)))
    close_answer(minutes(events[-1].at) if events else "0:00")
    return tuple(lines)


def _plain(e: TranscriptEvent) -> str:
    if e.kind == "tick":
        return f"Ticked: {e.text}"
    if e.kind == "untick":
        return f"Unticked: {e.text}"
    if e.kind == "self-rating":
        return f"The candidate's self-rating: {e.value}/4"
    if e.kind == "interviewer-rating":
        comment = f": {e.text}" if e.text else ""
        return f"The candidate rated the interviewer {e.value}/4{comment}"
    if e.kind == "refused":
        return f"A join was refused ({e.text})."
    return {"joined": "The candidate joined.", "rejoined": "The candidate rejoined.",
            "left": "The candidate's link closed."}.get(e.kind, e.kind)
