"""Time for study history: one injectable clock and one stored form of a datetime.

Everything that needs "now" takes a `Clock`, so tests pin time and stay deterministic.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_text(when: datetime) -> str:
    """Stored form: ISO-8601 in UTC with microseconds, so text order is time order."""
    if when.tzinfo is None:
        raise ValueError(f"naive datetime {when!r}: study history needs timezone-aware times")
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(text: str) -> datetime:
    return datetime.fromisoformat(text)


def optional_text(when: datetime | None) -> str | None:
    return None if when is None else to_text(when)


def optional_time(text: str | None) -> datetime | None:
    return None if text is None else from_text(text)
