"""Ask before quitting would drop something the user cannot get back (a connected
candidate): the app's ctrl+q asks every screen that offers `quit_warning()`."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmQuit(ModalScreen[bool]):
    """Dismisses with True when the user chose to quit anyway."""

    BINDINGS = [Binding("y", "answer(True)", "Quit"), Binding("n", "answer(False)", "Stay"),
                Binding("escape", "answer(False)", "Stay")]
    DEFAULT_CSS = """
    ConfirmQuit { align: center middle; }
    ConfirmQuit > Vertical { width: 70; height: auto; border: thick $error;
                             padding: 1 2; background: $surface; }
    """

    def __init__(self, warning: str) -> None:
        super().__init__()
        self.warning = warning

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.assemble(("Quit trainer?\n\n", "bold"), self.warning,
                                          "\n\ny (or ctrl+q) quits · n or escape stays"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
