"""Home: the modes, today's due count and streak, and the topic/level filters."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from trainer.tui.app import DataLoaded
from trainer.tui.screens.pick import ALL, PickOne

MODES = [
    ("practice", "Practice", "answer questions, get scored, follow-ups", "p"),
    ("review", "Review", "the questions that are due today", "r"),
    ("mock", "Mock interview", "run by a peer: rubric checklist, feedback sheet", "m"),
    ("scenarios", "Scenarios", "incident drills and the deployment simulator", "s"),
    ("progress", "Progress", "mastery by topic, weakest concepts, history", "o"),
    ("glossary", "Glossary", "search the terms", "g"),
    ("export", "Export", "study sheets: Markdown, HTML, Anki, CSV", "e"),
]


class HomeScreen(Screen[None]):
    """The first screen: choose a mode."""

    BINDINGS = [
        Binding(key, f"open('{mode}')", label, id=f"home.{mode}", show=False)
        for mode, label, _, key in MODES
    ] + [
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
        # The due queue and streak need the bank, the scheduler and the progress code:
        # computed right after the first frame, so the modes can be used at once.
        if self.app.loaded:
            self.call_after_refresh(self.refresh_stats)

    @on(DataLoaded)
    def data_loaded(self) -> None:
        self.refresh_stats()

    def on_screen_resume(self) -> None:
        if self.app.loaded:
            self.refresh_stats()

    def _counts(self) -> str:
        bank = self.app.bank
        return (f"[dim]{len(bank.questions)} questions · {len(bank.scenarios)} scenarios · "
                f"{len(bank.terms)} terms[/dim]")

    def refresh_stats(self) -> None:
        from trainer.study import stats

        app = self.app
        topics = (app.topic,) if app.topic else ()
        # One pass over the cards: reviewed ones due now, then never-reviewed ones.
        queue = app.srs.due(topics, app.level, include_new=True)
        new = sum(1 for d in queue if not d.reps)
        due = len(queue) - new
        progress = stats(app.history, app.bank)
        streak = progress.streak.current
        lines = [
            f"[b]Due today:[/b] {due}   [dim]new: {new}[/dim]",
            f"[b]Streak:[/b] {streak} day{'s' if streak != 1 else ''}",
            f"[b]Answers so far:[/b] {progress.totals.attempts}",
            self._counts(),
        ]
        self.query_one("#stats", Static).update("\n".join(lines))
        self.query_one("#filters", Static).update(self._filters())

    def _filters(self) -> str:
        app = self.app
        return (f"[b]Topic[/b] {app.topic or 'all'}  [dim](t)[/dim]\n"
                f"[b]Level[/b] {app.level or 'all'}  [dim](l)[/dim]")

    @on(OptionList.OptionSelected, "#modes")
    def mode_chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_open(event.option.id or "practice")

    def action_open(self, mode: str) -> None:
        getattr(self.app, f"command_{mode}")()

    def action_pick_topic(self) -> None:
        def pick() -> None:
            topics = sorted({t for q in self.app.bank.questions for t in q.topics})
            self.app.push_screen(PickOne("topic", topics, self.app.topic), self._set("topic"))

        self.app.when_loaded(pick)

    def action_pick_level(self) -> None:
        levels = ["junior", "mid", "senior", "staff"]
        self.app.push_screen(PickOne("level", levels, self.app.level), self._set("level"))

    def _set(self, which: str):  # noqa: ANN202
        def done(value: str | None) -> None:
            if value is None:
                return  # cancelled: keep the filter
            setattr(self.app, which, None if value == ALL else value)
            self.refresh_stats()

        return done
