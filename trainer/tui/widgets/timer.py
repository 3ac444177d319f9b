"""A countdown (or stopwatch) shown in a corner of the practice and mock screens."""

from __future__ import annotations

import time

from textual.reactive import reactive
from textual.widgets import Static

from trainer.tui.messages import TimerExpired


def clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class CountdownTimer(Static):
    """Counts down from `limit` seconds (or up, when the limit is 0)."""

    limit: reactive[int] = reactive(0)
    """Seconds to count down from; 0 means count up."""
    running: reactive[bool] = reactive(False)
    """Whether the clock is ticking."""

    def __init__(self, limit: int = 0, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.limit = limit
        self._started = 0.0
        self._elapsed = 0.0
        self._expired = False

    def on_mount(self) -> None:
        self.set_interval(0.5, self._tick)
        self._tick()

    @property
    def elapsed(self) -> float:
        extra = time.monotonic() - self._started if self.running else 0.0
        return self._elapsed + extra

    def start(self) -> None:
        if not self.running:
            self._started = time.monotonic()
            self.running = True

    def stop(self) -> None:
        if self.running:
            self._elapsed += time.monotonic() - self._started
            self.running = False

    def carry_on(self, seconds: float) -> None:
        """Count on from `seconds` already spent (an interview restored from its draft)."""
        self._elapsed = max(0.0, seconds)
        self._tick()

    def reset(self, limit: int | None = None) -> None:
        self.running = False
        self._elapsed = 0.0
        self._expired = False
        if limit is not None:
            self.limit = limit
        self._tick()

    def _tick(self) -> None:
        if self.limit:
            left = self.limit - self.elapsed
            self.update(f"⏱ {clock(left)}")
            self.set_class(left <= 30, "-low")
            if left <= 0 and not self._expired:
                self._expired = True
                self.stop()
                self.post_message(TimerExpired())
        else:
            self.update(f"⏱ {clock(self.elapsed)}")
