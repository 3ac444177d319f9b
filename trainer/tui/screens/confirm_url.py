"""Ask before a link from a bank leaves the app: the address is shown as it is."""

from __future__ import annotations

from textual.binding import Binding

from .confirm import Confirm

SAFE_SCHEMES = ("http://", "https://", "mailto:")


def is_openable(url: str) -> bool:
    return url.strip().lower().startswith(SAFE_SCHEMES)


class ConfirmOpen(Confirm):
    """Dismisses with True when the user chose to open the address."""

    QUESTION = "Open this address in your browser?"
    HINT = "y opens it · n or escape keeps you here"
    BINDINGS = [Binding("y", "answer(True)", "Open"), Binding("n", "answer(False)", "Keep"),
                Binding("escape", "answer(False)", "Keep")]
