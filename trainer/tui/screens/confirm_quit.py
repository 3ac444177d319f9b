"""Ask before quitting would drop something the user cannot get back (a connected
candidate): the app's ctrl+q asks every screen that offers `quit_warning()`."""

from __future__ import annotations

from textual.binding import Binding

from .confirm import Confirm


class ConfirmQuit(Confirm):
    """Dismisses with True when the user chose to quit anyway."""

    QUESTION = "Quit trainer?"
    HINT = "y (or ctrl+q) quits · n or escape stays"
    BINDINGS = [Binding("y", "answer(True)", "Quit"), Binding("n", "answer(False)", "Stay"),
                Binding("escape", "answer(False)", "Stay")]
    DEFAULT_CSS = """
    ConfirmQuit > Vertical { border: thick $error; }
    """

    def __init__(self, warning: str) -> None:
        super().__init__(warning)
        self.warning = warning
