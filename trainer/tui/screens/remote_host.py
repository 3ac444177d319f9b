"""The interviewer's screen of a hosted mock interview (`trainer mock host`).

The candidate joins from their own terminal (`trainer join`, see `trainer.tui.candidate`)
and sees only what the hub sends them; this screen is never shown to them, so it always
shows everything: the prompt, the candidate's answer as they type it, the rubric with the
concepts the scorer hears in that answer marked (the interviewer decides what to tick),
the misconceptions heard, and private notes. ctrl+n and ctrl+b push the next follow-up or
another question to the candidate; ctrl+e ends the interview with the feedback sheet,
which is saved with the hub's timeline; ctrl+w then swaps roles (`remote_round.py`).
"""

from __future__ import annotations

import contextlib
import socket

from textual import on, work
from textual.app import ComposeResult, ScreenStackError
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Footer, Header, Label, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection
from textual.worker import Worker, WorkerState

from trainer.application.session import PracticeSession
from trainer.bank import FollowUp
from trainer.bank.models import Concept
from trainer.remote.access import bind, new_code
from trainer.remote.hub import Hub
from trainer.remote.timeline import (
    AnswerSnapshot,
    Event,
    InterviewerRated,
    Joined,
    JoinRefused,
    Left,
    SelfRated,
)
from trainer.remote.transcript import to_transcript
from trainer.study import FeedbackSheet
from trainer.textsafe import visible
from trainer.tui.plain import plain
from trainer.tui.screens.feedback import FeedbackScreen
from trainer.tui.screens.remote_round import HostRound, Item
from trainer.tui.widgets.stopwatch import Stopwatch

Suggestion = tuple[str, frozenset[str], tuple[str, ...]]
"""The item id, the concepts the scorer heard, the misconceptions heard."""

CANDIDATE_EVENTS = (AnswerSnapshot, Joined, Left, JoinRefused, SelfRated, InterviewerRated)
SUGGEST_AFTER = 0.3
"""Seconds between the scorer's passes over the live answer: often enough to follow the
candidate, rare enough that a fast typist does not keep a worker busy."""


class HubEvent(Message):
    """Something happened on the hub (it runs on the app's loop; this hands it over)."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event


class RemoteHostScreen(HostRound):
    """Host one interview: the candidate's live answer, the rubric, notes, the sheet."""

    CSS_PATH = ["common.tcss", "remote_host.tcss"]

    BINDINGS = [
        Binding("ctrl+n", "ask_next", "Ask next", id="remote.next", priority=True),
        Binding("ctrl+b", "other_question", "Other question", id="remote.other",
                priority=True),
        Binding("ctrl+y", "tick_heard", "Tick heard", id="remote.heard", priority=True),
        Binding("ctrl+t", "timer", "Timer", id="remote.timer", priority=True),
        Binding("ctrl+e", "finish", "End: feedback", id="remote.end", priority=True),
        Binding("ctrl+r", "new_code", "New code", id="remote.code", priority=True,
                show=False),
        Binding("ctrl+w", "swap_roles", "Swap roles", id="remote.swap", priority=True),
        Binding("escape", "close", "Close", id="remote.close"),
    ]

    def __init__(self, session: PracticeSession, *, sock: socket.socket | None = None,
                 code: str | None = None, warning: str = "") -> None:
        """`sock` from `access.bind` (default: loopback, a free port); `code` the join
        code (default: a random one); `warning` is shown when listening beyond loopback."""
        super().__init__()
        self.session = session
        self.code = code or new_code()
        self.warning = warning
        self._sock = sock
        self.hub = Hub(self.code, listener=self._hub_listener)
        self.asked: list[Item] = []
        self.ticks: dict[tuple[str, str], bool] = {}
        self.heard: frozenset[str] = frozenset()
        self.sheet_name = f"remote-sheet-{id(self)}"
        self.sheet_open = False
        self.sheet: FeedbackScreen | None = None
        self.saved: FeedbackSheet | None = None
        """The sheet as last saved; its transcript follows what happens after."""
        self._awaiting_self_rating = False
        self._suggest_timer: Timer | None = None
        self._close_armed = False
        self._hub_closed = False

    def _hub_listener(self, event: Event) -> None:
        # Only what the candidate's side did; the screen knows what it did itself.
        if isinstance(event, CANDIDATE_EVENTS):
            self.post_message(HubEvent(event))

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="remote"):
            yield Static(id="join-line")
            if self.warning:
                yield Static(plain(self.warning), id="remote-warning")
            with Horizontal(id="meta-bar"):
                yield Static(id="remote-meta")
                yield Stopwatch(id="timer")
            with VerticalScroll(id="prompt-box"):
                yield Static(id="remote-prompt")
            with Horizontal(id="remote-main"):
                with Vertical(id="remote-left"):
                    yield Label("Candidate's answer, live")
                    with VerticalScroll(id="live"):
                        yield Static(id="live-text")
                    yield Label("Your notes (only you see them)")
                    yield TextArea(id="remote-notes", soft_wrap=True)
                with Vertical(id="remote-right"):
                    yield Label("Rubric: space ticks, ◆ heard (ctrl+y)")
                    yield SelectionList[str](id="checklist")
                    yield Static(id="heard-flags")
        yield Footer()

    async def on_mount(self) -> None:
        await self.hub.start(self._sock or bind("127.0.0.1", 0))
        self._sock = None
        self._show_join_line()
        first = self.session.next_item()
        if first is None:
            self.notify("No questions for these filters.", severity="warning")
        else:
            self._ask(first)
        timer = self.query_one("#timer", Stopwatch)
        timer.start()
        self.hub.set_clock(0.0, True)
        # Focus on the notes: typing is never taken as ticks (space toggles the rubric).
        self.query_one("#remote-notes").focus()

    # ---- asking ------------------------------------------------------------------------

    def _ask(self, item: Item) -> None:
        self.asked.append(item)
        self.hub.ask(item, self.session.question if isinstance(item, FollowUp) else None)
        self.heard = frozenset()
        self._show_meta()
        self.query_one("#remote-prompt", Static).update(
            Content.assemble(("Asked: ", "bold"), item.prompt))
        checklist = self.query_one("#checklist", SelectionList)
        checklist.clear_options()
        checklist.add_options([Selection(self._label(c), c.concept,
                                         self.ticks.get((item.id, c.concept), False))
                               for c in item.rubric])
        if item.rubric:
            checklist.highlighted = 0
        self.query_one("#live-text", Static).update(
            Content.styled("(nothing typed yet)", "dim"))
        self.query_one("#heard-flags", Static).update("")

    def _label(self, concept: Concept) -> Content:
        # The mark goes first: a long concept is cut at the right edge.
        mark = ("◆ ", "bold green") if concept.concept in self.heard else "  "
        return Content.assemble(mark, f"[{concept.weight}] ", concept.concept)

    def action_ask_next(self) -> None:
        if self.hub.ended:
            self.notify("The interview has ended.")
        elif self.session.position + 1 >= len(self.session.chain):
            self.notify("That was the last follow-up: ctrl+b for another question, ctrl+e "
                        "to finish.")
        elif (item := self.session.next_item()) is not None:
            self._ask(item)

    def action_other_question(self) -> None:
        if self.hub.ended:
            self.notify("The interview has ended.")
        elif (item := self.session.skip_chain()) is not None:
            self._ask(item)
        else:
            self.notify("No more questions for these filters.", severity="warning")

    # ---- what the hub reports ----------------------------------------------------------

    @on(HubEvent)
    def hub_event(self, message: HubEvent) -> None:
        event = message.event
        if isinstance(event, AnswerSnapshot):
            if self.hub.current is not None and event.seq == self.hub.current.seq:
                self._show_answer(event.text)
        elif isinstance(event, Joined):
            self.notify("The candidate rejoined." if event.rejoin else "The candidate joined.")
        elif isinstance(event, Left):
            self.notify("The candidate left." if self.hub.ended else "The candidate's link "
                        "closed; they can rejoin with the same code.", severity="warning")
            if self._awaiting_self_rating:
                self._open_sheet()
        elif isinstance(event, JoinRefused):
            self._refused(event)
        elif isinstance(event, SelfRated):
            if self._awaiting_self_rating:
                self._open_sheet()
            elif self.sheet is not None:  # late: the sheet is open (or saved) already
                self.sheet.self_rated(event.rating)
                self.notify("The candidate's self-rating reached the feedback sheet.")
        elif isinstance(event, InterviewerRated):
            comment = f": {event.comment}" if event.comment else ""
            self.notify(f"The candidate rated the interview {event.rating}/4{comment}",
                        markup=False, timeout=20)
        if self.saved is not None and self.hub.ended:
            self._save_transcript()  # what came after the save goes with the sheet too
        self._show_meta()

    def _show_answer(self, text: str) -> None:
        live = self.query_one("#live", VerticalScroll)
        at_end = live.scroll_y >= live.max_scroll_y
        self.query_one("#live-text", Static).update(Content(visible(text)))
        if at_end:  # follow the typing, unless the interviewer scrolled back to read
            live.call_after_refresh(live.scroll_end, animate=False)
        if self._suggest_timer is None:
            self._suggest_timer = self.set_timer(SUGGEST_AFTER, self._suggest_now)

    # ---- the scorer's suggestions ------------------------------------------------------

    def _suggest_now(self) -> None:
        self._suggest_timer = None
        item = self.item
        if item is not None and self.hub.answer.strip():
            self.suggest(item, self.hub.answer)

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False)
    def suggest(self, item: Item, text: str) -> Suggestion:
        result = self.workspace.grade(item, text)
        flags = tuple(f"{m.keyword}: {m.why}" for m in result.misconceptions)
        return item.id, frozenset(c.concept for c in result.matched), flags

    @on(Worker.StateChanged)
    def suggested(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "suggest" or event.state != WorkerState.SUCCESS:
            return
        result: Suggestion | None = event.worker.result
        if result is None:
            return
        item_id, heard, flags = result
        item = self.item
        if item is None or item.id != item_id:
            return  # the interviewer moved on meanwhile
        self.heard = heard
        checklist = self.query_one("#checklist", SelectionList)
        for i, concept in enumerate(item.rubric):
            checklist.replace_option_prompt_at_index(i, self._label(concept))
        lines = [Content.assemble(("Heard: ", "bold"), flag) for flag in flags[:3]]
        self.query_one("#heard-flags", Static).update(Content("\n").join(lines))

    def action_tick_heard(self) -> None:
        checklist = self.query_one("#checklist", SelectionList)
        for concept in self.heard:
            checklist.select(concept)

    # ---- ticks and notes go on the timeline --------------------------------------------

    @on(SelectionList.SelectedChanged, "#checklist")
    def ticked(self) -> None:
        item = self.item
        if item is None:
            return
        chosen = set(self.query_one("#checklist", SelectionList).selected)
        for c in item.rubric:
            now, before = c.concept in chosen, self.ticks.get((item.id, c.concept), False)
            if now != before:
                self.ticks[(item.id, c.concept)] = now
                self.hub.tick(item.id, c.concept, now)

    @on(TextArea.Changed, "#remote-notes")
    def noted(self, event: TextArea.Changed) -> None:
        self.hub.note(event.text_area.text)

    # ---- clock, end, close -------------------------------------------------------------

    def action_timer(self) -> None:
        timer = self.query_one("#timer", Stopwatch)
        (timer.stop if timer.running else timer.start)()
        self.hub.set_clock(timer.elapsed, timer.running)

    def action_finish(self) -> None:
        if self.sheet_open or (self.hub.ended and not self._awaiting_self_rating):
            self._open_sheet()
            return
        if not self.hub.ended:
            timer = self.query_one("#timer", Stopwatch)
            timer.stop()
            self.hub.set_clock(timer.elapsed, False)
            self.hub.end()
            if self.hub.connected and self.hub.self_rating is None:
                # The sheet holds the self-rating unseen until the interviewer has rated;
                # it is asked for now, so wait a moment for it.
                self._awaiting_self_rating = True
                self.notify("Ended. The candidate is asked for a self-rating; the sheet "
                            "opens when it comes (ctrl+e opens it now).", timeout=10)
                self._show_meta()
                return
        self._open_sheet()

    def _open_sheet(self) -> None:
        self._awaiting_self_rating = False
        if not self.sheet_open:
            # One sheet per interview, installed so that leaving it and coming back with
            # ctrl+e edits the same sheet instead of saving a second one. The timeline
            # is taken when the sheet is saved, so it runs up to that moment.
            notes = self.query_one("#remote-notes", TextArea).text
            elapsed = self.query_one("#timer", Stopwatch).elapsed
            self.sheet = FeedbackScreen(
                self.asked, dict(self.ticks), notes, self.hub.self_rating, elapsed,
                transcript=lambda: to_transcript(self.hub.timeline),
                on_saved=self._sheet_saved)
            self.app.install_screen(self.sheet, name=self.sheet_name)
            self.sheet_open = True
        if self.app.screen is self:
            self.app.push_screen(self.sheet_name)

    def action_new_code(self) -> None:
        self.code = new_code()
        self.hub.new_code(self.code)
        self._show_join_line()
        self.notify("New join code; the old one no longer works.")

    async def action_close(self) -> None:
        if self.asked and not self.hub.ended and not self._close_armed:
            self._close_armed = True
            self.set_timer(3, lambda: setattr(self, "_close_armed", False))
            self.notify("escape again closes the session without a sheet (ctrl+e ends it "
                        "with one).", severity="warning")
            return
        self._hub_closed = True
        await self.hub.close()
        self._save_transcript()
        self.dismiss()

    def leave(self) -> None:
        """The app quits or crashes: the candidate is told the session is gone, and a
        saved sheet gets the timeline to its end."""
        if not self._hub_closed:
            self._hub_closed = True
            self.hub.farewell()
            self._save_transcript()

    def on_unmount(self) -> None:
        self.leave()
        if self.sheet_open:
            with contextlib.suppress(ScreenStackError):  # still shown, as the app exits
                self.app.uninstall_screen(self.sheet_name)
