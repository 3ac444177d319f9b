"""History writes that fail mid-session: told once per cause, retried, never a crash.

A full disk, a read-only file or an I/O error can start after the app opened. The screen
keeps the work (the answer stays in the editor, the review stays pending), the next write
of the same thing tries again, and quitting with something unsaved asks first.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Notify = Callable[[str], None]
RETELL_S = 30  # the draft autosave retries every second; a toast per cause is enough


class SaveGuard:
    def __init__(self, notify: Notify) -> None:
        self._notify = notify
        self.unsaved: dict[str, str] = {}
        """What could not be saved (and why), until the same write succeeds."""
        self._told: tuple[str, float] = ("", 0.0)
        self._warned_on_quit = False

    @contextmanager
    def saving(self, what: str) -> Iterator[None]:
        """Run a history write; on an SQLite error, say so and carry on."""
        try:
            yield
        except sqlite3.Error as exc:
            self.unsaved[what] = str(exc)
            message = (f"Could not save {what}: {exc}. It is still here: free some space "
                       "or fix the cause, and the next save will keep it.")
            told, when = self._told
            if told != message or time.monotonic() - when > RETELL_S:
                self._told = (message, time.monotonic())
                self._notify(message)
        else:
            self.unsaved.pop(what, None)

    def may_quit(self) -> bool:
        """False the first time a quit would lose something (the user is told); a second
        quit goes ahead."""
        if not self.unsaved or self._warned_on_quit:
            return True
        self._warned_on_quit = True
        lost = "; ".join(f"{what} ({why})" for what, why in self.unsaved.items())
        self._notify(f"Not saved: {lost}. Press ctrl+q again to quit without it.")
        return False
