"""Ask before a link from a bank leaves the app: the address is shown as it is."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

SAFE_SCHEMES = ("http://", "https://", "mailto:")


def is_openable(url: str) -> bool:
    return url.strip().lower().startswith(SAFE_SCHEMES)


class ConfirmOpen(ModalScreen[bool]):
    """Dismisses with True when the user chose to open the address."""

    BINDINGS = [Binding("y", "answer(True)", "Open"), Binding("n", "answer(False)", "Keep"),
                Binding("escape", "answer(False)", "Keep")]
    DEFAULT_CSS = """
    ConfirmOpen { align: center middle; }
    ConfirmOpen > Vertical { width: 70; height: auto; border: thick $warning;
                             padding: 1 2; background: $surface; }
    """

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.assemble(("Open this address in your browser?\n\n", "bold"),
                                          self.url, "\n\ny opens it · n or escape keeps you here"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
