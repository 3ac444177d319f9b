"""A yes/no question in a modal: y answers yes, n or escape no."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class Confirm(ModalScreen[bool]):
    """Dismisses with True for yes. Subclasses give the QUESTION, the HINT line and their
    own binding labels; `detail` is shown as plain text between them."""

    QUESTION = ""
    HINT = "y: yes · n or escape: no"
    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n", "answer(False)", "No"),
                Binding("escape", "answer(False)", "No")]
    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Vertical { width: 70; height: auto; border: thick $warning;
                         padding: 1 2; background: $surface; }
    """

    def __init__(self, detail: str) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.assemble((f"{self.QUESTION}\n\n", "bold"), self.detail,
                                          f"\n\n{self.HINT}"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
