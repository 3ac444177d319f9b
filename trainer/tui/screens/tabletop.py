"""A tabletop incident drill: investigate against the clock, decide, explain, debrief.

Like a "Wheel of Misfortune" round: the briefing and dashboard signals are given; logs,
deploy history, traces and the rest are revealed only when chosen, and each costs
incident-clock minutes. The written "explain your decision" is scored with the
scenario's rubric, then the debrief shows the recommended first move and the traps.
"""

from __future__ import annotations

import time

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Label, Markdown, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from trainer.application.present import debrief_markdown
from trainer.application.runs import TabletopPlay
from trainer.bank import Scenario
from trainer.tui.base import TrainerScreen
from trainer.tui.widgets.score_panel import ScorePanel


class TabletopScreen(TrainerScreen[None]):

    CSS_PATH = ["common.tcss", "scenarios.tcss"]
    BINDINGS = [
        Binding("ctrl+d", "decide", "Decide", id="tabletop.decide", priority=True),
        Binding("ctrl+s", "submit", "Submit decision", id="tabletop.submit", priority=True),
        Binding("escape", "home", "Back", id="tabletop.back"),
    ]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario
        self.minutes = 0
        self.revealed: list[tuple[int, str]] = []
        self.finished = False

    def compose(self) -> ComposeResult:
        s = self.scenario
        yield Header()
        with Vertical(id="tabletop"):
            yield Static(id="clock")
            with Horizontal(id="tabletop-main"):
                with VerticalScroll(id="brief"):
                    signals = "\n".join(f"• {x}" for x in s.signals)
                    yield Static(Content.assemble((s.title, "bold"), f"\n\n{s.briefing}\n\n",
                                                  ("Dashboards", "bold"), f"\n{signals}"),
                                 id="briefing")
                    yield Static(id="findings")
                with Vertical(id="investigate"):
                    yield Label("Investigate (enter) - each costs clock time")
                    yield OptionList(*[Option(Content.assemble(r.name, (f"  +{r.minutes} min",
                                                                        "dim")),
                                              id=str(i)) for i, r in enumerate(s.reveals)],
                                     id="reveals")
            yield TextArea(id="decision", soft_wrap=True,
                           placeholder="What do you do first, and why? (ctrl+s submits)")
            with VerticalScroll(id="outcome"):
                yield ScorePanel(id="score")
                yield Markdown(id="debrief")
        yield Footer()

    def on_mount(self) -> None:
        self.started = time.monotonic()
        self.started_at = self.workspace.history.clock()
        self._tick_clock()
        self.query_one("#reveals", OptionList).focus()

    def _tick_clock(self) -> None:
        self.query_one("#clock", Static).update(
            f"[b]Incident clock:[/b] T+{self.minutes} min   "
            f"[dim]{len(self.revealed)}/{len(self.scenario.reveals)} investigations · ctrl+d "
            "when you know what to do[/dim]")

    @on(OptionList.OptionSelected, "#reveals")
    def investigate(self, event: OptionList.OptionSelected) -> None:
        index = int(event.option.id or 0)
        if str(index) in {i for _, i in self.revealed}:
            return  # already looked: the finding is on the left
        reveal = self.scenario.reveals[index]
        self.minutes += reveal.minutes
        self.revealed.append((self.minutes, str(index)))
        options = self.query_one("#reveals", OptionList)
        options.replace_option_prompt_at_index(index, Content(f"✓ {reveal.name}"))
        parts: list[Content | str | tuple[str, str]] = ["\n", ("Findings", "bold")]
        for m, i in self.revealed:
            reveal_i = self.scenario.reveals[int(i)]
            parts += ["\n\n", (f"T+{m} {reveal_i.name}", "bold"), f"\n{reveal_i.shows}"]
        self.query_one("#findings", Static).update(Content.assemble(*parts))
        self.query_one("#brief").scroll_end(animate=False)
        self._tick_clock()

    def action_decide(self) -> None:
        if self.finished:
            return
        self.set_class(True, "-deciding")
        self.query_one("#decision", TextArea).focus()

    def action_submit(self) -> None:
        if self.finished or not self.has_class("-deciding"):
            return
        answer = self.query_one("#decision", TextArea).text
        if not answer.strip():
            self.notify("Write what you would do and why.", severity="warning")
            return
        s = self.scenario
        result = self.workspace.grade(s, answer)
        play = TabletopPlay(investigated=[(m, s.reveals[int(i)].name) for m, i in self.revealed],
                            clock_minutes=self.minutes)
        saved = False
        with self.trainer.saving("this drill"):
            self.workspace.record_tabletop(s, answer, result, play, self.started_at,
                                           time.monotonic() - self.started)
            saved = True
        if not saved:
            return  # the decision stays in the editor; ctrl+s tries again
        self.finished = True
        self.set_class(False, "-deciding")
        self.set_class(True, "-finished")
        self.query_one("#score", ScorePanel).show(result, answer)
        self.query_one("#debrief", Markdown).update(debrief_markdown(s))
        self.query_one("#outcome").focus()

    def action_home(self) -> None:
        self.dismiss()
