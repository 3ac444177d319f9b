""""I covered that": pick a missed concept the answer did state in other words."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class ClaimCovered(ModalScreen[str | None]):
    """Dismisses with the concept the candidate says they covered, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="claim.cancel")]
    DEFAULT_CSS = """
    ClaimCovered { align: center middle; }
    ClaimCovered OptionList { width: 70; max-height: 80%; border: thick $primary; }
    """

    def __init__(self, concepts: list[str]) -> None:
        super().__init__()
        self.concepts = concepts

    def compose(self) -> ComposeResult:
        # Concept names come from banks: plain text, never markup.
        picker = OptionList(*(Option(Content(c), id=str(i))
                              for i, c in enumerate(self.concepts)), id="claim")
        picker.border_title = "Which did your answer cover? (enter; esc cancels)"
        yield picker

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.concepts[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)
