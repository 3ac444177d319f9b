"""`GradeRecorder`: what `trainer grade --record` uses to store each graded line.

Imported written mock interviews and transcripts go through here. Optional keys of an
input line: `mode` (default "grade"), `duration` (seconds), `time` (ISO-8601; UTC when it
has no offset) and `self_rating` (1-4). A key with a bad value is reported on stderr and
ignored; the line is still recorded, because its answer and score are what matter.
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from typing import Any

from trainer.bank import Bank
from trainer.scoring import ScoreResult
from trainer.study import History, HistoryError, SpacedRepetition, record_answer

MAX_DURATION = 7 * 24 * 3600  # seconds; longer is no answer duration
MIN_YEAR, MAX_YEAR = 1970, 9000


class GradeRecorder:
    def __init__(self, srs: SpacedRepetition) -> None:
        self.srs = srs
        self.recorded = 0

    @classmethod
    def open(cls, bank: Bank) -> GradeRecorder | str:
        """A recorder on the user's history, or why it cannot record (said before any
        line is graded, so nothing is printed and then refused)."""
        try:
            history = History.open()
        except HistoryError as exc:
            return str(exc)
        if history.notice:
            print(f"trainer grade: warning: {history.notice}", file=sys.stderr)
        problem = history.write_problem()
        if problem:
            history.close()
            return f"cannot record: {problem}"
        return cls(SpacedRepetition(history, bank))

    def record(self, item_id: str, answer: str, result: ScoreResult,
               obj: dict[str, Any]) -> None:
        mode = obj.get("mode")
        record_answer(
            self.srs, item_id, _storable(answer), result,
            mode=_storable(mode) if isinstance(mode, str) and mode else "grade",
            at=_time(obj.get("time"), item_id),
            duration=_duration(obj.get("duration"), item_id),
            self_rating=_self_rating(obj.get("self_rating"), item_id),
        )
        self.recorded += 1

    def close(self) -> None:
        self.srs.history.close()
        if self.recorded:
            n = self.recorded
            print(f"trainer grade: recorded {n} attempt{'s' if n != 1 else ''} in "
                  f"{self.srs.history.path}", file=sys.stderr)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(text: str) -> str:
    """JSON can carry a lone surrogate ("\\ud800") that UTF-8, and so SQLite, cannot
    store: it is kept as U+FFFD, the rest of the answer as it was."""
    return _SURROGATE.sub("\ufffd", text)


def _warn(item_id: str, key: str, value: Any) -> None:
    print(f"trainer grade: {item_id}: ignoring {key}={value!r}", file=sys.stderr)


def _time(value: Any, item_id: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value)
            when = (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
        except (ValueError, OverflowError):  # not ISO-8601, or beyond the calendar in UTC
            pass
        else:
            if MIN_YEAR <= when.year <= MAX_YEAR:
                return when
    _warn(item_id, "time", value)
    return None


def _duration(value: Any, item_id: str) -> float | None:
    if value is None:
        return None
    if (isinstance(value, int | float) and not isinstance(value, bool)
            and 0 <= value <= MAX_DURATION):  # NaN fails both comparisons
        return float(value)
    _warn(item_id, "duration", value)
    return None


def _self_rating(value: Any, item_id: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
        return value
    _warn(item_id, "self_rating", value)
    return None
