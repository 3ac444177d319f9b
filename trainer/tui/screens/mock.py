"""Mock interview, run by a peer on one shared screen.

The interviewer view shows the prompt to read aloud, what it tests, the rubric as a
checklist to tick while the candidate talks, red flags to listen for, the follow-up chain
and private notes. ctrl+l flips to the candidate view, which hides all of that and lets
the candidate record a private self-rating; ctrl+e ends with the feedback sheet; ctrl+g
hosts the question for a candidate on another terminal instead (`remote_host.py`).

Focus starts in the notes and a flip back always returns there, never to the checklist,
so typed notes never toggle ticks. Notes, ticks, the self-rating and the sheet being
filled in are autosaved (a second after the last change, on quit and before a crash
report) as the question's mock draft (`application.mock_draft`), restored when Mock mode
opens on that question again and discarded once the sheet is saved.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Footer, Header, Label, SelectionList, Static, TextArea

from trainer.application.mock_draft import MockDraft
from trainer.application.session import PracticeSession
from trainer.bank import FollowUp, Question
from trainer.bank.models import Misconception, RedFlag
from trainer.study import FeedbackSheet
from trainer.study.wording import plural
from trainer.tui.base import TrainerScreen
from trainer.tui.plain import esc
from trainer.tui.screens.feedback import FeedbackScreen
from trainer.tui.widgets.timer import CountdownTimer

SAVE_AFTER = 1.0
"""Seconds after the last change that the draft is written, as practice drafts are."""

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
        Binding("ctrl+g", "host_remote", "Host remotely", id="mock.host", priority=True),
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
        self.sheet: FeedbackScreen | None = None
        self.saved: FeedbackSheet | None = None
        self._key: str | None = None
        """The question the draft is kept under: the one on screen."""
        self._save_timer: Timer | None = None

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
        first = self.session.next_item()
        draft = self.workspace.mock_draft(first.id) if isinstance(first, Question) else None
        if draft is not None:
            self._restore(draft)
        else:
            self.show(first)
        self.query_one("#timer", CountdownTimer).start()
        self.query_one("#mock-notes").focus()  # typing is notes, never ticks

    def _restore(self, draft: MockDraft) -> None:
        """Carry on the interview the draft kept: the same prompt, ticks, notes, rating."""
        asked = [e.item for i in draft.asked if (e := self.workspace.bank.get(i)) is not None
                 and isinstance(e.item, Question | FollowUp)]
        chain = [i.id for i in self.session.chain]
        last = draft.asked[-1] if draft.asked else ""
        while (last in chain and self.session.current is not None
               and self.session.current.id != last):
            self.session.next_item()
        self.ticks = {(i, c): t for i, c, t in draft.ticks}
        self.self_rating = draft.self_rating
        self.query_one("#mock-notes", TextArea).text = draft.notes
        self.query_one("#timer", CountdownTimer).carry_on(draft.elapsed)
        self.asked = []  # nothing on the checklist yet whose ticks `show` could take
        self.show(self.session.current)
        self.asked = [i for i in asked if i is not self.session.current] + self.asked
        self._sheet_form = draft.sheet
        self.notify("The interview in progress is back: notes, ticks and rating"
                    + (", and the feedback sheet (ctrl+e)." if draft.sheet else "."))

    _sheet_form: dict[str, object] | None = None

    def show(self, item: Question | FollowUp | None) -> None:
        self._remember_ticks()
        if item is None:
            self.notify("No more questions for these filters.", severity="warning")
            return
        self.asked.append(item)
        self._keep_under(item)
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

    # ---- the draft ---------------------------------------------------------------------

    def _keep_under(self, item: Question | FollowUp) -> None:
        """The draft follows the question on screen (ctrl+b moves it to the next one)."""
        question = item if isinstance(item, Question) else self.session.question
        key = question.id if question is not None else item.id
        if self._key is not None and key != self._key and self.saved is None:
            with self.trainer.saving("the mock interview in progress"):
                self.workspace.discard_mock_draft(self._key)
        self._key = key
        self.draft_changed()

    @on(TextArea.Changed, "#mock-notes")
    @on(SelectionList.SelectedChanged, "#checklist")
    def draft_changed(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_AFTER, self.save_draft_now)

    def draft(self) -> MockDraft | None:
        if self._key is None:
            return None
        self._remember_ticks()
        form = (self.sheet.form() if self.sheet is not None and self.sheet.is_attached
                else self._sheet_form)
        return MockDraft(
            self._key, tuple(i.id for i in self.asked),
            tuple((i, c, t) for (i, c), t in self.ticks.items()),
            self.query_one("#mock-notes", TextArea).text, self.self_rating,
            self.query_one("#timer", CountdownTimer).elapsed, form)

    def save_draft_now(self) -> None:
        if self.saved is not None:
            return  # the interview is on its sheet now
        draft = self.draft()
        if draft is not None:
            with self.trainer.saving("the mock interview in progress"):
                self.workspace.save_mock_draft(draft)

    def leave(self) -> None:
        """Quit, a signal or a crash: the interview in progress is kept."""
        self.save_draft_now()

    def _sheet_saved(self, sheet: FeedbackSheet) -> None:
        self.saved = sheet
        if self._key is not None:
            with self.trainer.saving("the mock interview in progress"):
                self.workspace.discard_mock_draft(self._key)

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
        if self.candidate_view:
            self.set_focus(None)  # digits are the self-rating, not hidden notes
        else:
            self.query_one("#mock-notes").focus()  # never the checklist: notes stay notes

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
        self.draft_changed()
        self.notify("Self-rating saved privately.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "self_rate":
            return self.candidate_view  # digits are note text in the interviewer view
        return True

    def action_finish(self) -> None:
        self._remember_ticks()
        timer = self.query_one("#timer", CountdownTimer)
        timer.stop()
        notes = self.query_one("#mock-notes", TextArea).text
        # ctrl+e again makes the sheet anew from the interview, with the form as it was.
        self.sheet = FeedbackScreen(self.asked, dict(self.ticks), notes, self.self_rating,
                                    timer.elapsed, on_saved=self._sheet_saved,
                                    form=self._sheet_form, on_changed=self.draft_changed)
        if self.saved is not None:
            self.sheet.saved = self.saved  # saving again updates that sheet
        self.app.push_screen(self.sheet, self._sheet_closed)

    def _sheet_closed(self, _: None) -> None:
        if self.sheet is not None:
            self._sheet_form = self.sheet.kept_form
        self.save_draft_now()
        self.query_one("#mock-notes").focus()

    def action_host_remote(self) -> None:
        """Interview a candidate on another terminal on this question instead."""
        from trainer.tui.screens.remote_host import RemoteHostScreen

        question = self.session.question
        if question is None:
            self.notify("No question to host.", severity="warning")
            return
        self.save_draft_now()
        self.query_one("#timer", CountdownTimer).stop()
        self.app.push_screen(RemoteHostScreen(
            self.workspace.practice(start_id=question.id, mode="mock")))

    def action_home(self) -> None:
        self.leave()
        self.dismiss()
