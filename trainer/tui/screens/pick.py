"""A small modal list to pick one value (a topic, a level), or "all"."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

ALL = "\x00all"


class PickOne(ModalScreen[str | None]):
    """Dismisses with the chosen value, ALL for "all", or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="pick.cancel")]
    DEFAULT_CSS = """
    PickOne { align: center middle; }
    PickOne OptionList { width: 40; max-height: 80%; border: thick $primary; }
    """

    def __init__(self, title: str, values: list[str], current: str | None) -> None:
        super().__init__()
        self.title_text = title
        self.values = values
        self.current = current

    def compose(self) -> ComposeResult:
        options = [Option(f"all {self.title_text}s", id=ALL)]
        options += [Option(v, id=v) for v in self.values]
        picker = OptionList(*options, id="pick")
        picker.border_title = f"Choose a {self.title_text}"
        yield picker

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        picker.highlighted = (self.values.index(self.current) + 1
                              if self.current in self.values else 0)
        picker.focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
