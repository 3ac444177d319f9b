"""Home: the modes, today's due count and streak, and the topic/level filters."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from trainer.study import stats

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
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home"):
            options = [Option(f"[b]{label}[/b]  [dim]{key}[/dim]\n  {desc}", id=mode)
                       for mode, label, desc, key in MODES]
            yield OptionList(*options, id="modes")
            with Vertical(id="today"):
                yield Static(id="stats")
                yield Label("Topic")
                topics = sorted({t for q in self.app.bank.questions for t in q.topics})
                yield Select([(t, t) for t in topics], prompt="all topics", id="topic",
                             value=self.app.topic or Select.NULL)
                yield Label("Level")
                yield Select([(lvl, lvl) for lvl in ("junior", "mid", "senior", "staff")],
                             prompt="all levels", id="level",
                             value=self.app.level or Select.NULL)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#modes", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_stats()

    def refresh_stats(self) -> None:
        app = self.app
        topics = (app.topic,) if app.topic else ()
        due = len(app.srs.due(topics, app.level))
        new = len(app.srs.due(topics, app.level, include_new=True)) - due
        progress = stats(app.history, app.bank)
        streak = progress.streak.current
        lines = [
            f"[b]Due today:[/b] {due}   [dim]new: {new}[/dim]",
            f"[b]Streak:[/b] {streak} day{'s' if streak != 1 else ''}",
            f"[b]Answers so far:[/b] {progress.totals.attempts}",
            f"[dim]{len(app.bank.questions)} questions · {len(app.bank.scenarios)} "
            f"scenarios · {len(app.bank.terms)} terms[/dim]",
        ]
        self.query_one("#stats", Static).update("\n".join(lines))

    @on(OptionList.OptionSelected, "#modes")
    def mode_chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_open(event.option.id or "practice")

    def action_open(self, mode: str) -> None:
        getattr(self.app, f"command_{mode}")()

    @on(Select.Changed, "#topic")
    def topic_changed(self, event: Select.Changed) -> None:
        self.app.topic = None if event.value is Select.NULL else str(event.value)
        self.refresh_stats()

    @on(Select.Changed, "#level")
    def level_changed(self, event: Select.Changed) -> None:
        self.app.level = None if event.value is Select.NULL else str(event.value)
        self.refresh_stats()
