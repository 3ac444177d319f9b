"""Export dialog: choose format, filters and a file; the export runs in a worker."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from trainer.export import FORMATS, SUFFIXES, ExportContent, ExportOptions
from trainer.tui.base import TrainerModal
from trainer.tui.plain import esc

FORMAT_NAMES = {"md": "Markdown study sheet", "html": "Printable HTML",
                "anki": "Anki deck (.apkg)", "csv": "CSV for Anki import"}


class ExportDialog(TrainerModal[Path | None]):
    """Returns the written path, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel"),
                Binding("ctrl+s", "export", "Export", id="export.run", priority=True)]

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    #export-box { width: 70; max-width: 100%; height: auto; border: thick $primary;
                  background: $surface; padding: 0 1; }
    #export-box Label { margin-top: 1; color: $text-muted; }
    #export-buttons { height: auto; margin-top: 1; }
    #export-status { height: auto; }
    """

    def __init__(self, fmt: str | None = None) -> None:
        super().__init__()
        self.fmt = fmt or "md"
        # An existing file is replaced only on a second press for that very path.
        self._replace_ok: Path | None = None

    def compose(self) -> ComposeResult:
        filters = self.workspace.filters
        with Vertical(id="export-box"):
            yield Label("Format")
            yield Select([(FORMAT_NAMES[f], f) for f in FORMATS], value=self.fmt,
                         allow_blank=False, id="export-format")
            yield Label("Topic and level")
            with Horizontal():
                yield Select([(t, t) for t in self.workspace.topics()], prompt="all topics",
                             id="export-topic", value=filters.topic or Select.NULL)
                yield Select([(lv, lv) for lv in ("junior", "mid", "senior", "staff")],
                             prompt="all levels", id="export-level",
                             value=filters.level or Select.NULL)
            with Horizontal():
                yield Checkbox("Only due", id="export-due")
                yield Checkbox("With my history", id="export-history")
            yield Label("File")
            yield Input(str(Path.cwd() / f"trainer-study{SUFFIXES[self.fmt]}"), id="export-path")
            yield Static(id="export-status")
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Cancel", id="export-cancel")

    @on(Select.Changed, "#export-format")
    def format_changed(self, event: Select.Changed) -> None:
        path_input = self.query_one("#export-path", Input)
        path = Path(path_input.value)
        path_input.value = str(path.with_suffix(SUFFIXES[str(event.value)]))

    @on(Button.Pressed, "#export-go")
    def action_export(self) -> None:
        def value(selector: str) -> str | None:
            v = self.query_one(selector, Select).value
            return None if v is Select.NULL else str(v)

        topic = value("#export-topic")
        options = ExportOptions(
            topics=(topic,) if topic else (), level=value("#export-level"),
            due=self.query_one("#export-due", Checkbox).value,
            with_history=self.query_one("#export-history", Checkbox).value)
        path = Path(self.query_one("#export-path", Input).value).expanduser()
        status = self.query_one("#export-status", Static)
        if path.is_file() and self._replace_ok != path:
            self._replace_ok = path
            status.update(f"[b $warning]{esc(path)} exists: press Export again to "
                          "replace it, or change the file name.[/]")
            return
        status.update("Exporting...")
        self.run_export(str(value("#export-format")), path, options)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def run_export(self, fmt: str, path: Path, options: ExportOptions
                   ) -> tuple[Path, ExportContent]:
        return path, self.workspace.export(fmt, path, options)

    @on(Worker.StateChanged)
    def export_done(self, event: Worker.StateChanged) -> None:
        status = self.query_one("#export-status", Static)
        if event.state == WorkerState.SUCCESS:
            path, content = cast("tuple[Path, ExportContent]", event.worker.result)
            status.update(f"[b $success]Wrote {len(content.cards)} cards to {esc(path)}[/]")
            self.notify(f"Exported to {path}", markup=False)
            self.dismiss(path)
        elif event.state == WorkerState.ERROR:
            status.update(f"[b $error]Export failed: {esc(event.worker.error)}[/]")

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
