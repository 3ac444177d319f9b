"""Messages the screens post: past-tense events, handled by whoever cares."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


class DataLoaded(Message):
    """The bank and the history are ready; screens waiting for them refresh."""


@dataclass
class TimerExpired(Message):
    """A countdown reached zero."""
