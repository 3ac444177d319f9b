"""Home: the modes, today's due count and streak, and the topic/level filters."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from trainer.application import LEVELS
from trainer.study.wording import plural
from trainer.tui.base import TrainerScreen
from trainer.tui.messages import DataLoaded
from trainer.tui.plain import esc
from trainer.tui.screens.pick import ALL, PickOne

if TYPE_CHECKING:
    from trainer.application import HomeSummary

MODES = [
    ("practice", "Practice", "answer questions, get scored, follow-ups", "p"),
    ("review", "Review", "every card due now, follow-ups included", "r"),
    ("browse", "Questions", "every card: status, best score, retry, compare", "b"),
    ("mock", "Mock interview", "run by a peer: rubric checklist, feedback sheet", "m"),
    ("scenarios", "Scenarios", "incident drills and the deployment simulator", "s"),
    ("progress", "Progress", "mastery by topic, weakest concepts, history", "o"),
    ("glossary", "Glossary", "search the terms", "g"),
    ("export", "Export", "study sheets: Markdown, HTML, Anki, CSV", "e"),
]


class HomeScreen(TrainerScreen[None]):
    """The first screen: choose a mode."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, f"open('{mode}')", label, id=f"home.{mode}", show=False)
          for mode, label, _, key in MODES),
        Binding("t", "pick_topic", "Topic", id="home.topic"),
        Binding("l", "pick_level", "Level", id="home.level"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="home"):
            options = [Option(f"[b]{label}[/b]  [dim]{key}[/dim]\n  {desc}", id=mode)
                       for mode, label, desc, key in MODES]
            yield OptionList(*options, id="modes")
            with Vertical(id="today"):
                yield Static(id="stats")
                yield Static(id="filters")
        yield Footer()

    def on_mount(self) -> None:
        modes = self.query_one("#modes", OptionList)
        modes.border_title = f"trainer · {self.app.SUB_TITLE}"
        modes.focus()
        self.query_one("#stats", Static).update("[dim]Loading the bank and your history...[/dim]")
        self.query_one("#filters", Static).update(self._filters())
        if self.trainer.loaded:
            self.refresh_stats()

    @on(DataLoaded)
    def data_loaded(self) -> None:
        self.refresh_stats()

    def on_screen_resume(self) -> None:
        if self.trainer.loaded:
            self.refresh_stats()

    def refresh_stats(self) -> None:
        """The due queue and the streak read the whole history (a quarter of a second
        at 100,000 answers): counted in a worker, so the modes work at once."""
        self.query_one("#filters", Static).update(self._filters())
        self.count_stats()

    @work(thread=True, exclusive=True, group="home-stats", exit_on_error=False)
    def count_stats(self) -> HomeSummary:
        return self.workspace.home_summary()

    @on(Worker.StateChanged)
    def stats_counted(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "home-stats":
            return
        stats = self.query_one("#stats", Static)
        if event.state == WorkerState.SUCCESS:
            s = cast("HomeSummary", event.worker.result)
            stats.update("\n".join([
                f"[b]Due today:[/b] {s.due}",
                f"[dim]New cards: {s.new}[/dim]",
                f"[b]Streak:[/b] {plural(s.streak, 'day')}",
                f"[b]Answers so far:[/b] {s.attempts}",
                f"[dim]{s.questions} questions · {s.scenarios} scenarios · "
                f"{s.terms} terms[/dim]",
            ]))
        elif event.state == WorkerState.ERROR:
            stats.update(f"[b $error]Could not count today's cards:[/] "
                         f"{esc(event.worker.error)}")

    def _filters(self) -> str:
        filters = self.workspace.filters if self.trainer.loaded else None
        topic = filters.topic if filters else None
        level = filters.level if filters else None
        return (f"[b]Topic[/b] {esc(topic or 'all')}  [dim](t)[/dim]\n"
                f"[b]Level[/b] {level or 'all'}  [dim](l)[/dim]")

    @on(OptionList.OptionSelected, "#modes")
    def mode_chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_open(event.option.id or "practice")

    def action_open(self, mode: str) -> None:
        commands: dict[str, Callable[[], None]] = {
            "practice": self.trainer.command_practice, "review": self.trainer.command_review,
            "browse": self.trainer.command_browse,
            "mock": self.trainer.command_mock, "scenarios": self.trainer.command_scenarios,
            "progress": self.trainer.command_progress,
            "glossary": self.trainer.command_glossary, "export": self.trainer.command_export,
        }
        commands[mode]()

    def action_pick_topic(self) -> None:
        def pick() -> None:
            filters = self.workspace.filters
            self.app.push_screen(PickOne("topic", self.workspace.topics(), filters.topic),
                                 self._topic_picked)

        self.trainer.when_loaded(pick)

    def action_pick_level(self) -> None:
        def pick() -> None:
            self.app.push_screen(PickOne("level", list(LEVELS), self.workspace.filters.level),
                                 self._level_picked)

        self.trainer.when_loaded(pick)

    def _topic_picked(self, value: str | None) -> None:
        if value is not None:  # None: cancelled, keep the filter
            self.workspace.filters.topic = None if value == ALL else value
            self.refresh_stats()

    def _level_picked(self, value: str | None) -> None:
        if value is not None:
            self.workspace.filters.level = None if value == ALL else value
            self.refresh_stats()
