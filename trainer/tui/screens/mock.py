"""Mock interview, run by a peer on one shared screen.

The interviewer view shows the prompt to read aloud, what it tests, the rubric as a
checklist to tick while the candidate talks, red flags to listen for, the follow-up chain
and private notes. ctrl+l flips to the candidate view, which hides all of that and lets
the candidate record a private self-rating; ctrl+e ends with the feedback sheet.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Footer, Header, Label, SelectionList, Static, TextArea

from trainer.application.session import PracticeSession
from trainer.bank import FollowUp, Question
from trainer.bank.models import Misconception, RedFlag
from trainer.study.wording import plural
from trainer.tui.base import TrainerScreen
from trainer.tui.plain import esc
from trainer.tui.widgets.timer import CountdownTimer

SELF_RATINGS = {1: "it went badly", 2: "mixed", 3: "good", 4: "excellent"}


class MockInterviewScreen(TrainerScreen[None]):
    """Interviewer and candidate views of one interview question and its follow-ups."""

    CSS_PATH = ["common.tcss", "mock.tcss"]

    BINDINGS = [
        Binding("ctrl+l", "flip", "Switch view", id="mock.flip", priority=True),
        Binding("ctrl+n", "ask_next", "Ask next", id="mock.next", priority=True),
        Binding("ctrl+b", "other_question", "Other question", id="mock.other", priority=True),
        Binding("ctrl+t", "timer", "Timer", id="mock.timer", priority=True),
        Binding("ctrl+e", "finish", "End: feedback", id="mock.end", priority=True),
        Binding("escape", "home", "Home", id="mock.home"),
        Binding("1", "self_rate(1)", "Self-rate 1", id="mock.self1", show=False),
        Binding("2", "self_rate(2)", "Self-rate 2", id="mock.self2", show=False),
        Binding("3", "self_rate(3)", "Self-rate 3", id="mock.self3", show=False),
        Binding("4", "self_rate(4)", "Self-rate 4", id="mock.self4", show=False),
    ]

    candidate_view: reactive[bool] = reactive(False)
    """True while the candidate looks at the screen: interviewer material hidden."""

    def __init__(self, session: PracticeSession) -> None:
        super().__init__()
        self.session = session
        self.asked: list[Question | FollowUp] = []
        self.ticks: dict[tuple[str, str], bool] = {}
        self.self_rating: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="mock"):
            with Horizontal(id="meta-bar"):
                yield Static(id="mock-meta")
                yield CountdownTimer(0, id="timer")
            with VerticalScroll(id="prompt-box"):
                yield Static(id="mock-prompt")
            with Horizontal(id="interviewer", classes="interviewer-only"):
                with Vertical(id="mock-left"):
                    yield Label("Rubric: tick what the candidate covers (space)")
                    yield SelectionList[str](id="checklist")
                    yield Static(id="mock-flags")
                with Vertical(id="mock-right"):
                    yield Static(id="mock-tests")
                    yield Label("Notes")
                    yield TextArea(id="mock-notes", soft_wrap=True)
            yield Static(id="candidate-note", classes="candidate-only")
        yield Footer()

    def on_mount(self) -> None:
        self.show(self.session.next_item())
        self.query_one("#timer", CountdownTimer).start()

    def show(self, item: Question | FollowUp | None) -> None:
        self._remember_ticks()
        if item is None:
            self.notify("No more questions for these filters.", severity="warning")
            return
        self.asked.append(item)
        position = self.session.position
        label = (f"{item.code or item.id}" if isinstance(item, Question)
                 else f"follow-up {position}/{len(self.session.chain) - 1}")
        remaining = len(self.session.chain) - 1 - position
        self.query_one("#mock-meta", Static).update(
            f"[b]{esc(label)}[/b]  [dim]{plural(remaining, 'follow-up')} left · ctrl+n ask "
            "next[/dim]")
        self.query_one("#mock-prompt", Static).update(
            Content.assemble(("Read aloud: ", "bold"), item.prompt))
        checklist = self.query_one("#checklist", SelectionList)
        checklist.clear_options()
        checklist.add_options([(Content(f"[{c.weight}] {c.concept}"), c.concept,
                                self.ticks.get((item.id, c.concept), False))
                               for c in item.rubric])
        if item.rubric:
            checklist.highlighted = 0  # so the first space ticks the first concept
        wrong: list[Misconception | RedFlag] = [*item.misconceptions, *item.red_flags]
        lines = [Content.styled("Listen for (misconceptions)", "bold")] if wrong else []
        for m in wrong:
            correct = getattr(m, "correction", "")
            lines.append(Content(f"• {', '.join(m.keywords[:3])}: {m.why}"
                                 + (f" Correct: {correct}" if correct else "")))
        self.query_one("#mock-flags", Static).update(Content("\n").join(lines))
        tests = item.tests or "-"
        self.query_one("#mock-tests", Static).update(Content.assemble(
            ("What it tests", "bold"), f"\n{tests}\n\n", ("Strong answer in short", "bold"),
            f"\n{item.strong_answer or item.model_answer[:300]}"))
        self._update_candidate_note()

    def _remember_ticks(self) -> None:
        if not self.asked:
            return
        item = self.asked[-1]
        chosen = set(self.query_one("#checklist", SelectionList).selected)
        for c in item.rubric:
            self.ticks[(item.id, c.concept)] = c.concept in chosen

    def _update_candidate_note(self) -> None:
        rating = (f"Your private self-rating: [b]{self.self_rating}[/b] "
                  f"({SELF_RATINGS[self.self_rating]})" if self.self_rating
                  else "Candidate: press 1-4 to rate yourself privately (1 badly ... 4 "
                  "excellent). The interviewer sees it only on the feedback sheet.")
        self.query_one("#candidate-note", Static).update(rating)

    def watch_candidate_view(self, value: bool) -> None:
        self.set_class(value, "-candidate")
        self.refresh_bindings()

    def action_flip(self) -> None:
        self.candidate_view = not self.candidate_view
        if not self.candidate_view:
            self.query_one("#checklist").focus()

    def action_ask_next(self) -> None:
        self._remember_ticks()
        if self.session.position + 1 >= len(self.session.chain):
            self.notify("That was the last follow-up: ctrl+b for another question, ctrl+e to "
                        "finish.")
            return
        self.show(self.session.next_item())

    def action_other_question(self) -> None:
        self._remember_ticks()
        self.show(self.session.skip_chain())

    def action_timer(self) -> None:
        timer = self.query_one("#timer", CountdownTimer)
        (timer.stop if timer.running else timer.start)()

    def action_self_rate(self, rating: int) -> None:
        self.self_rating = rating
        self._update_candidate_note()
        self.notify("Self-rating saved privately.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "self_rate":
            return self.candidate_view  # digits are note text in the interviewer view
        return True

    def action_finish(self) -> None:
        from trainer.tui.screens.feedback import FeedbackScreen

        self._remember_ticks()
        timer = self.query_one("#timer", CountdownTimer)
        timer.stop()
        notes = self.query_one("#mock-notes", TextArea).text
        self.app.push_screen(FeedbackScreen(self.asked, self.ticks, notes, self.self_rating,
                                            timer.elapsed))

    def action_home(self) -> None:
        self.dismiss()
