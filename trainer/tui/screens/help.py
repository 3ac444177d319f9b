"""Help: every key binding of the screen you came from, and of the app."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown

INTRO = """\
# trainer — keys

Everything works from the keyboard. Keys with **ctrl** work while you type an answer.
**ctrl+p** opens the command palette: every mode, every question, scenario and term by
name ("practice: start", "export: md", "scenario: S-01").
"""


def _key(binding: Binding, app: App[None]) -> str:
    return " / ".join(app.get_key_display(Binding(k.strip(), binding.action))
                      for k in binding.key.split(","))


def bindings_markdown(screen: Screen[object], app: App[None]) -> str:
    rows: list[str] = []
    seen: set[str] = set()
    for source in (screen, app):
        title = "This screen" if source is screen else "Everywhere"
        section = []
        for b in getattr(source, "BINDINGS", []):
            if not isinstance(b, Binding) or b.key in seen:
                continue
            seen.add(b.key)
            section.append(f"| `{_key(b, app)}` | {b.description or b.action} |")
        if source is app:
            section += ["| `ctrl+p` | Command palette |", "| `tab` / `shift+tab` | Move focus |"]
        if section:
            rows += [f"## {title}", "", "| key | does |", "|---|---|", *section, ""]
    return INTRO + "\n" + "\n".join(rows)


class HelpScreen(ModalScreen[None]):
    """Lists the bindings of `screen` and the app's own."""

    CSS_PATH = ["misc.tcss"]

    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "Close", id="help.close")]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.source = screen

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(bindings_markdown(self.source, self.app))
