"""Practice (and Review): answer, get scored, see the model answer, walk the follow-ups.

Every key works while typing (ctrl+ combinations that TextArea leaves free and every
terminal can send); the draft autosaves a second after the last keystroke and on exit.
"""

from __future__ import annotations

import time

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Footer, Header, Markdown, Static, TextArea

from trainer.application.present import model_answer_markdown
from trainer.application.session import PracticeSession
from trainer.bank import FollowUp, Question
from trainer.tui.base import TrainerScreen
from trainer.tui.messages import TimerExpired
from trainer.tui.plain import esc, plain
from trainer.tui.screens.claim import ClaimCovered
from trainer.tui.widgets.score_panel import ScorePanel
from trainer.tui.widgets.timer import CountdownTimer

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
RATING_PROMPT = ("[b]1[/b]-[b]4[/b] Again Hard Good Easy · [b]c[/b] I covered that · "
                 "ctrl+o answer · ctrl+n next")


class PracticeScreen(TrainerScreen[None]):
    """One question at a time, scored as you submit."""

    CSS_PATH = ["common.tcss", "practice.tcss"]

    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit", id="practice.submit", priority=True),
        Binding("ctrl+o", "reveal", "Model answer", id="practice.reveal", priority=True),
        Binding("ctrl+n", "next", "Next", id="practice.next", priority=True),
        Binding("ctrl+b", "skip", "Skip question", id="practice.skip", priority=True,
                show=False),
        Binding("ctrl+t", "timer", "Pause timer", id="practice.timer", priority=True,
                show=False),
        Binding("escape", "home", "Home", id="practice.home"),
        Binding("1", "rate(1)", "Again", id="practice.rate1", show=False),
        Binding("2", "rate(2)", "Hard", id="practice.rate2", show=False),
        Binding("3", "rate(3)", "Good", id="practice.rate3", show=False),
        Binding("4", "rate(4)", "Easy", id="practice.rate4", show=False),
        Binding("c", "claim", "I covered that", id="practice.claim", show=False),
    ]

    def __init__(self, session: PracticeSession) -> None:
        super().__init__()
        self.session = session
        self.due_only = session.due_only
        self.submitted = False
        self._save_timer: Timer | None = None
        self._started = time.monotonic()

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="practice"):
            with Horizontal(id="meta-bar"):
                yield Static(id="meta")
                yield CountdownTimer(self.trainer.timer_seconds, id="timer")
            with VerticalScroll(id="prompt-box"):
                yield Static(id="prompt")
            yield TextArea(id="editor", soft_wrap=True, tab_behavior="focus",
                           placeholder="Type your answer. ctrl+s submits.")
            yield ScorePanel(id="score")
            yield Static(id="rating-bar")
            with VerticalScroll(id="model-box"):
                yield Markdown(id="model")
        yield Footer()

    def on_mount(self) -> None:
        self.show(self.session.next_item())

    # ---- showing an item -----------------------------------------------------------------

    def show(self, item: Question | FollowUp | None) -> None:
        editor = self.query_one("#editor", TextArea)
        self.submitted = False
        self.set_class(False, "-scored")
        self.set_class(False, "-revealed")
        self.query_one("#rating-bar", Static).update("")
        if item is None:
            what = "due questions" if self.due_only else "questions"
            self.query_one("#meta", Static).update("")
            self.query_one("#prompt", Static).update(
                f"No more {what} for these filters. Press escape to go home.")
            editor.disabled = True
            self.set_class(True, "-done")
            return
        session = self.session
        question = session.question
        if isinstance(item, Question):
            where = f"{item.code} " if item.code else ""
            chain = f" · {len(item.follow_ups)} follow-ups" if item.follow_ups else ""
        else:
            where = "follow-up "
            chain = f" {session.position}/{len(session.chain) - 1}"
        level = item.level or (question.level if question else None)
        topics = ", ".join(question.topics) if question else ""
        self.query_one("#meta", Static).update(
            f"[b]{esc(where)}{chain.strip() if isinstance(item, FollowUp) else ''}[/b]"
            f"{'' if isinstance(item, FollowUp) else chain}  "
            f"[dim]{esc(level or '')}  {esc(topics)}[/dim]")
        self.query_one("#prompt", Static).update(plain(item.prompt))
        self.query_one("#model", Markdown).update(model_answer_markdown(item))
        draft = self.workspace.history.draft(item.id)
        editor.disabled = False
        editor.text = draft.text if draft else ""
        editor.focus()
        timer = self.query_one("#timer", CountdownTimer)
        timer.reset()
        timer.start()
        self._started = time.monotonic()

    # ---- drafts --------------------------------------------------------------------------

    @on(TextArea.Changed, "#editor")
    def schedule_save(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(1.0, self.save_draft_now)

    def save_draft_now(self) -> None:
        item = self.session.current
        if item is None or self.submitted:
            return
        text = self.query_one("#editor", TextArea).text
        if text.strip():
            with self.trainer.saving("your answer"):
                self.workspace.history.save_draft(item.id, text)

    # ---- actions -------------------------------------------------------------------------

    def action_submit(self) -> None:
        item = self.session.current
        editor = self.query_one("#editor", TextArea)
        if item is None or self.submitted:
            return
        answer = editor.text
        if not answer.strip():
            self.notify("Type an answer first.", severity="warning")
            return
        timer = self.query_one("#timer", CountdownTimer)
        timer.stop()
        duration = time.monotonic() - self._started
        result = self.workspace.grade(item, answer)
        recorded = False
        with self.trainer.saving("your answer"):
            self.session.record(answer, result, duration)
            recorded = True
        if not recorded:
            timer.start()
            return  # still in the editor, and ctrl+s tries again
        self.submitted = True
        self.query_one("#score", ScorePanel).show(result, answer)
        self.set_class(True, "-scored")
        self.query_one("#rating-bar", Static).update(RATING_PROMPT)
        self.query_one("#score", ScorePanel).focus()

    def action_reveal(self) -> None:
        if self.session.current is None:
            return
        self.toggle_class("-revealed")
        if self.has_class("-revealed"):
            self.query_one("#model-box").scroll_home(animate=False)

    def action_next(self) -> None:
        self.save_draft_now()
        with self.trainer.saving("the review of this answer"):  # on failure, stay here
            self.show(self.session.next_item())

    def action_skip(self) -> None:
        self.save_draft_now()
        with self.trainer.saving("the review of this answer"):
            self.show(self.session.skip_chain())

    def action_timer(self) -> None:
        timer = self.query_one("#timer", CountdownTimer)
        if timer.running:
            timer.stop()
        else:
            timer.start()

    def action_rate(self, rating: int) -> None:
        if not self.submitted or self.session.pending is None:
            return
        self.session.self_rate(rating)
        self.query_one("#rating-bar", Static).update(
            f"Self-rating: [b]{RATINGS[rating]}[/b] (overrides the score for scheduling)"
            "   ·   ctrl+o model answer   ·   ctrl+n next")

    def action_claim(self) -> None:
        if not self.submitted or self.session.pending is None:
            return
        concepts = self.session.claimable()
        if not concepts:
            self.notify("Every concept already counts in full.")
            return

        def claimed(concept: str | None) -> None:
            if concept is None:
                return
            result = None
            with self.trainer.saving("that claim"):
                result = self.session.claim(concept, self.workspace.grader)
            pending = self.session.pending
            if result is not None and pending is not None:
                self.query_one("#score", ScorePanel).show(result, pending.answer)
                self.notify(f"Counted as covered: {concept}. Score {result.score}.",
                            markup=False)

        self.app.push_screen(ClaimCovered(concepts), claimed)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("rate", "claim"):
            # Digits are answer text while typing; they rate only after submitting.
            return self.submitted
        return True

    def action_home(self) -> None:
        self.leave()
        self.dismiss()

    def leave(self) -> None:
        """Keep the draft and write any pending review before the screen goes."""
        self.save_draft_now()
        with self.trainer.saving("the review of your last answer"):
            self.session.flush()

    @on(TimerExpired)
    def time_up(self) -> None:
        self.notify("Time is up: submit what you have (ctrl+s).", severity="warning")
