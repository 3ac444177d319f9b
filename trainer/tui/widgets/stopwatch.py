"""A stopwatch for the two sides of a hosted mock interview.

Unlike `CountdownTimer`, it redraws only when the shown text changes (once a second while
it runs, never while stopped): both sides may watch over SSH, where a redraw of the whole
screen twice a second costs more than a clock is worth. `set` takes the other side's
reading, so the candidate's clock follows the interviewer's.
"""

from __future__ import annotations

import time

from textual.widgets import Static

from trainer.tui.widgets.timer import clock


class Stopwatch(Static):
    def __init__(self, **kwargs: str) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self._base = 0.0
        self._since: float | None = None
        self._shown = ""

    def on_mount(self) -> None:
        self.set_interval(0.5, self._tick)
        self._tick()

    @property
    def running(self) -> bool:
        return self._since is not None

    @property
    def elapsed(self) -> float:
        return self._base + (time.monotonic() - self._since if self._since is not None else 0)

    def start(self) -> None:
        if self._since is None:
            self._since = time.monotonic()

    def stop(self) -> None:
        self.set(self.elapsed, False)

    def set(self, elapsed: float, running: bool) -> None:
        self._base = elapsed
        self._since = time.monotonic() if running else None
        self._tick()

    def _tick(self) -> None:
        text = f"⏱ {clock(self.elapsed)}"
        if text != self._shown:
            self._shown = text
            self.update(text)
