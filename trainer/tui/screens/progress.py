"""Progress: mastery by topic and level, streak, activity plot, weakest concepts, leeches,
and how well your self-ratings match your scores."""

from __future__ import annotations

from typing import cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Label, Sparkline, Static
from textual.worker import Worker, WorkerState

from trainer.study import Progress
from trainer.study.calibration import answers_calibration
from trainer.tui.base import TrainerScreen
from trainer.tui.plain import esc


def bar(value: float, width: int = 12) -> str:
    filled = round(value / 100 * width)
    return "█" * filled + "░" * (width - filled)


class ProgressScreen(TrainerScreen[None]):

    CSS_PATH = ["misc.tcss"]
    BINDINGS = [Binding("escape", "home", "Home", id="progress.home"),
                Binding("ctrl+r", "reload", "Refresh", id="progress.refresh")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="progress"):
            yield Static(id="progress-summary")
            yield Label("Answers per day (last 30 days)")
            yield Sparkline([], id="activity")
            with Horizontal(id="progress-tables"):
                with Vertical():
                    yield Label("Mastery by topic")
                    yield DataTable(id="mastery", cursor_type="row", zebra_stripes=True)
                with Vertical():
                    yield Label("Concepts you miss most")
                    yield DataTable(id="missed", cursor_type="row", zebra_stripes=True)
            yield Static(id="leeches")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.query_one("#progress-summary", Static).update("[dim]Counting...[/dim]")
        self.count()

    @work(thread=True, exclusive=True, group="progress", exit_on_error=False)
    def count(self) -> Progress:
        return self.workspace.progress()  # reads the whole history: off the UI thread

    @on(Worker.StateChanged)
    def counted(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "progress":
            return
        if event.state == WorkerState.SUCCESS:
            self.show(cast(Progress, event.worker.result))
        elif event.state == WorkerState.ERROR:
            self.query_one("#progress-summary", Static).update(
                f"[b $error]Could not read your progress:[/] {esc(event.worker.error)}")

    def show(self, p: Progress) -> None:
        calibration = answers_calibration(p.calibration)
        levels = "  ".join(f"{m.key} {m.mastery:.0f}%" for m in p.mastery_by_level)
        self.query_one("#progress-summary", Static).update(
            f"[b]Streak[/b] {p.streak.current} days (longest {p.streak.longest})   "
            f"[b]Answers[/b] {p.totals.attempts}   [b]Due now[/b] {p.due_now}\n"
            f"[b]By level[/b] {levels or '-'}\n[b]Calibration[/b] {calibration}")
        self.query_one("#activity", Sparkline).data = [d.attempts for d in p.per_day[-30:]]
        mastery = self.query_one("#mastery", DataTable)
        mastery.clear(columns=True)
        mastery.add_columns("topic", "mastery", "%", "tried")
        for m in sorted(p.mastery_by_topic, key=lambda m: m.mastery):
            mastery.add_row(m.key, bar(m.mastery), f"{m.mastery:.0f}", f"{m.attempted}/{m.items}")
        missed = self.query_one("#missed", DataTable)
        missed.clear(columns=True)
        missed.add_columns("concept", "missed", "of")
        for c in p.most_missed:
            missed.add_row(Text(c.concept), str(c.misses), str(c.asked))  # literal
        leeches = ", ".join(f"{esc(x.title)} ({x.lapses} lapses)" for x in p.leeches)
        self.query_one("#leeches", Static).update(
            f"[b]Leeches[/b] (failed again and again): {leeches or 'none'}")

    def action_home(self) -> None:
        self.dismiss()
