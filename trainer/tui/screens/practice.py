"""Practice (and Review): answer, get scored, rate, see the model answer, walk the chain.

Every key works while typing (ctrl+ combinations that TextArea leaves free and every
terminal can send); the draft autosaves a second after the last keystroke and on exit.
Review serves every due card: a follow-up due on its own is asked with its question
shown above it. After scoring, each rating key shows the interval it leads to; ctrl+z
on the next card (before typing) takes the last rating back.
"""

from __future__ import annotations

import time
from datetime import timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Footer, Header, Markdown, Static, TextArea

from trainer.application.present import model_answer_markdown
from trainer.application.session import PracticeSession
from trainer.bank import FollowUp, Question
from trainer.study.srs import rating_for_score
from trainer.study.wording import interval_long, interval_short, plural
from trainer.tui.base import TrainerScreen
from trainer.tui.messages import TimerExpired
from trainer.tui.plain import esc, plain
from trainer.tui.screens.claim import ClaimCovered
from trainer.tui.widgets.score_panel import ScorePanel
from trainer.tui.widgets.timer import CountdownTimer

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
KEYS_LINE = ("[b]1[/b]-[b]4[/b] rate it yourself · [b]c[/b] I covered that · "
             "[b]ctrl+o[/b] model answer · [b]ctrl+n[/b] next")
CONTEXT_CHARS = 150


def rating_line(preview: dict[int, timedelta], score: int, chosen: int | None) -> str:
    """'1 Again · 1m  2 Hard · 6m  3 Good · 10m  4 Easy · 4d', the rating in force in bold."""
    suggested = int(rating_for_score(score))
    in_force = chosen or suggested
    parts = []
    for n, name in RATINGS.items():
        interval = preview.get(n)
        text = f"{n} {name}" + (f" · {interval_short(interval)}" if interval else "")
        parts.append(f"[b reverse] {text} [/]" if n == in_force
                     else f" [b]{n}[/b] {text[2:]} ")
    who = (f"your rating; score: {RATINGS[suggested]}" if chosen else "the score's rating")
    return "".join(parts) + f" [dim]({who})[/dim]"


class PracticeScreen(TrainerScreen[None]):
    """One card at a time, scored as you submit."""

    CSS_PATH = ["common.tcss", "practice.tcss"]

    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit", id="practice.submit", priority=True),
        Binding("ctrl+o", "reveal", "Model answer", id="practice.reveal", priority=True),
        Binding("ctrl+n", "next", "Next", id="practice.next", priority=True),
        Binding("ctrl+b", "skip", "Skip question", id="practice.skip", priority=True,
                show=False),
        Binding("ctrl+t", "timer", "Pause timer", id="practice.timer", priority=True,
                show=False),
        # Priority, but only while nothing is typed: otherwise TextArea's own undo.
        Binding("ctrl+z", "undo_rating", "Undo rating", id="practice.undo", priority=True),
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
        self._preview: dict[int, timedelta] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="practice"):
            with Horizontal(id="meta-bar"):
                yield Static(id="meta")
                yield Static(id="counter")
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

    # ---- showing a card -----------------------------------------------------------------

    def show(self, item: Question | FollowUp | None) -> None:
        editor = self.query_one("#editor", TextArea)
        self.submitted = False
        self.set_class(False, "-scored")
        self.set_class(False, "-revealed")
        self.query_one("#rating-bar", Static).update("")
        self._show_counter()
        if item is None:
            self._show_done()
            return
        self.set_class(False, "-done")
        self.query_one("#meta", Static).update(self._meta(item))
        self.query_one("#prompt", Static).update(self._prompt(item))
        self.query_one("#model", Markdown).update(model_answer_markdown(item))
        draft = self.workspace.history.draft(item.id)
        editor.disabled = False
        editor.text = draft.text if draft else ""
        if draft:
            editor.move_cursor(editor.document.end)  # carry on typing where you stopped
        editor.focus()
        timer = self.query_one("#timer", CountdownTimer)
        timer.reset()
        timer.start()
        self._started = time.monotonic()
        self.refresh_bindings()

    def _show_done(self) -> None:
        what = "due cards" if self.due_only else "questions"
        later = self.session.next_due_in()
        when = f" The next card is due in {interval_long(later)}." if later else ""
        undo = " ctrl+z takes back the last rating." if self.session.can_undo else ""
        self.query_one("#meta", Static).update("")
        self.query_one("#prompt", Static).update(
            f"No more {what} for these filters.{when}{undo} Press escape to go home.")
        self.query_one("#editor", TextArea).disabled = True
        self.set_class(True, "-done")
        self.refresh_bindings()

    def _show_counter(self) -> None:
        n, total = self.session.counter
        self.query_one("#counter", Static).update(
            f"[dim]{n} of {total}[/dim]  " if self.session.current is not None else "")

    def _meta(self, item: Question | FollowUp) -> str:
        question = self.session.question
        level = item.level or (question.level if question else None)
        topics = ", ".join(question.topics) if question else ""
        if isinstance(item, Question):
            n = len(item.follow_ups)
            head = item.code
            chain = f" · {plural(n, 'follow-up')}" if n else ""
        else:
            n, of = self.session.follow_up_number(item)
            code = question.code if question and question.code else ""
            head, chain = f"{code} follow-up {n}/{of}".strip(), ""
        return f"[b]{esc(head)}[/b]{chain}  [dim]{esc(level or '')}  {esc(topics)}[/dim]"

    def _prompt(self, item: Question | FollowUp) -> Content:
        question = self.session.question
        standalone = self.session.standalone and question is not None
        self.set_class(standalone, "-standalone")
        if standalone and question is not None:
            asked = f"{question.code} asked: " if question.code else "The question was: "
            context = " ".join(question.prompt.split())
            if len(context) > CONTEXT_CHARS:
                context = context[:CONTEXT_CHARS].rsplit(" ", 1)[0] + " …"
            return Content.assemble((asked, "bold $text-muted"), (context, "$text-muted"),
                                    "\n", ("Follow-up: ", "bold"), item.prompt)
        return plain(item.prompt)

    def _show_scored(self) -> None:
        """The pending answer, scored, with the rating keys and their intervals."""
        pending = self.session.pending
        if pending is None:
            return
        self.submitted = True
        self.query_one("#score", ScorePanel).show(pending.result, pending.answer)
        self.set_class(True, "-scored")
        self._preview = dict(self.session.preview())
        self._update_rating_bar()
        self.query_one("#score", ScorePanel).focus()
        self.refresh_bindings()

    def _update_rating_bar(self) -> None:
        pending = self.session.pending
        if pending is None:
            return
        self.query_one("#rating-bar", Static).update(
            rating_line(self._preview, pending.result.score, pending.self_rating)
            + "\n" + KEYS_LINE)

    # ---- drafts -------------------------------------------------------------------------

    @on(TextArea.Changed, "#editor")
    def schedule_save(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(1.0, self.save_draft_now)
        self.refresh_bindings()  # ctrl+z: the last rating's undo only while nothing is typed

    def save_draft_now(self) -> None:
        item = self.session.current
        if item is None or self.submitted:
            return
        text = self.query_one("#editor", TextArea).text
        if text.strip():
            with self.trainer.saving("your answer"):
                self.workspace.history.save_draft(item.id, text)

    # ---- actions ------------------------------------------------------------------------

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
        self._show_scored()

    def action_reveal(self) -> None:
        """The model answer and outline, over the whole screen (ctrl+o again or escape
        closes it)."""
        if self.session.current is None:
            return
        self.toggle_class("-revealed")
        box = self.query_one("#model-box", VerticalScroll)
        if self.has_class("-revealed"):
            box.scroll_home(animate=False)
            box.focus()
        elif self.submitted:
            self.query_one("#score", ScorePanel).focus()
        else:
            self.query_one("#editor", TextArea).focus()

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
        self._update_rating_bar()

    def action_undo_rating(self) -> None:
        pending = self.session.pending
        if self.submitted and pending is not None:
            self.session.self_rate(None)  # not written yet: back to the score's rating
            self._update_rating_bar()
            return
        item = None
        with self.trainer.saving("taking back the last rating"):
            item = self.session.undo_last()
        if item is None:
            return
        self.show(item)
        self._show_scored()
        self.notify(f"Rating taken back: rate {item.title or 'the card'} again.",
                    markup=False)

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
                self._update_rating_bar()
                self.notify(f"Counted as covered: {concept}. Score {result.score}.",
                            markup=False)

        self.app.push_screen(ClaimCovered(concepts), claimed)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("rate", "claim"):
            # Digits are answer text while typing; they rate only after submitting.
            return self.submitted
        if action == "undo_rating":
            editors = self.query("#editor").results(TextArea)
            typed = any(e.text.strip() for e in editors)
            pending = self.session.pending
            if self.submitted:
                return pending is not None and pending.self_rating is not None
            return self.session.can_undo and not typed
        return True

    def action_home(self) -> None:
        if self.has_class("-revealed"):
            self.action_reveal()  # escape closes the model answer first
            return
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
