"""The candidate's app for a hosted mock interview (`trainer join`).

A separate, small `App`, not a screen of the trainer: it has no bank, no history, no
command palette and no other screens, so nothing typed into it can open interviewer
material, and its process holds none to open. It shows what the hub sends (the prompt,
the clock, the end) and sends back the answer as it is typed (the whole text, at most
every `SEND_EVERY` seconds), a private self-rating and, at the end, a rating of the
interviewer. The scratchpad never leaves this process.
"""

from __future__ import annotations

import socket

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Select, Static, TextArea

from trainer.remote.client import Client, Finish
from trainer.remote.protocol import (
    MAX_COMMENT,
    MAX_TEXT,
    Answer,
    Ask,
    Clock,
    Draft,
    Ended,
    HostMessage,
    RateInterviewer,
    SelfRating,
)
from trainer.textsafe import visible
from trainer.tui.widgets.stopwatch import Stopwatch

SEND_EVERY = 0.05
"""Typing is sent at most this often: 20 updates a second keeps the interviewer's view
well within 200 ms of the keyboard without a message per key."""
SCALE = [("1 - it went badly", 1), ("2 - mixed", 2), ("3 - good", 3), ("4 - excellent", 4)]


def shown(text: str) -> Content:
    """Text from the other side: literal (no markup) and no terminal control codes."""
    return Content(visible(text))


class CandidateScreen(Screen[None]):
    """The one screen: prompt, clock, answer and scratchpad, ratings at the end."""

    BINDINGS = [
        Binding("ctrl+s", "send_ratings", "Send ratings", id="join.send", priority=True),
    ]

    def __init__(self, client: Client, where: str) -> None:
        super().__init__()
        self.client = client
        self.where = where
        self.seq = 0
        self.kind = ""
        self.ended = False
        self.rated = False
        self._send_pending = False
        self._told_long = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="meta-bar"):
            yield Static(id="meta")
            yield Stopwatch(id="clock")
        with VerticalScroll(id="prompt-box"):
            yield Static("Waiting for the interviewer's first question...", id="prompt")
        with Horizontal(id="work"):
            with Vertical(id="answer-side"):
                yield Label("Your answer: the interviewer sees it as you type")
                yield TextArea(id="answer", soft_wrap=True, read_only=True)
            with Vertical(id="scratch-side"):
                yield Label("Scratchpad (private)")
                yield TextArea(id="scratch", soft_wrap=True)
        with Horizontal(id="self-row", classes="rating-row"):
            yield Label("Your private self-rating", classes="rating-label")
            yield Select(SCALE, prompt="rate yourself 1-4 (optional)", id="self-rating")
        with Vertical(id="end"):
            yield Static("The interview has ended. Thank you! Your self-rating (above) goes "
                         "on the interviewer's sheet; rate the interviewer here.",
                         id="end-title")
            with Horizontal(classes="rating-row"):
                yield Label("Rate your interviewer", classes="rating-label")
                yield Select(SCALE, prompt="1-4", id="rate")
            yield Input(placeholder="What helped, what to do differently (optional)",
                        max_length=MAX_COMMENT, id="comment")
            yield Static("ctrl+s sends your ratings; ctrl+q leaves.", id="end-hint")
        yield Footer()

    def on_mount(self) -> None:
        self._show_meta("connected")
        # The link starts once this screen is there to show what arrives.
        self.run_worker(self.app_link(), group="link", exit_on_error=False)

    async def app_link(self) -> None:
        app = self.app
        assert isinstance(app, CandidateApp)
        await app.link()

    # ---- what the hub sends ------------------------------------------------------------

    def received(self, message: HostMessage) -> None:
        if isinstance(message, Ask):
            self._ask(message)
        elif isinstance(message, Draft):
            editor = self.query_one("#answer", TextArea)
            if message.seq == self.seq and not editor.text:
                editor.load_text(message.text)  # a new process: the answer so far
        elif isinstance(message, Clock):
            self.query_one("#clock", Stopwatch).set(message.elapsed, message.running)
        elif isinstance(message, Ended):
            self._end()

    def _ask(self, ask: Ask) -> None:
        editor = self.query_one("#answer", TextArea)
        if ask.seq == self.seq:
            # A rejoin: the prompt is the same and the text typed here is the newest.
            self._queue_send()
            return
        self.seq = ask.seq
        self.kind = ask.kind
        if ask.kind == "follow-up":
            parts = [Content.styled("Follow-up: ", "bold"), shown(ask.prompt)]
            if ask.question:
                parts += [Content("\n\n"), Content.styled(f"(The question: {ask.question})",
                                                          "dim")]
            self.query_one("#prompt", Static).update(Content.assemble(*parts))
        else:
            self.query_one("#prompt", Static).update(
                Content.assemble(Content.styled("Question: ", "bold"), shown(ask.prompt)))
        editor.read_only = False
        editor.load_text("")
        editor.focus()
        self._show_meta("connected")
        if ask.kind == "follow-up":
            self.notify("A follow-up question.")  # the prompt changed above the editor

    def _end(self) -> None:
        self.ended = True
        self.query_one("#clock", Stopwatch).stop()
        self.add_class("-ended")
        self.query_one("#answer", TextArea).read_only = True
        self.query_one("#rate", Select).focus()
        self._show_meta("ended")
        self.refresh_bindings()

    def link_status(self, status: str) -> None:
        self._show_meta(status)
        if status == "reconnecting":
            self.notify("Lost the connection; rejoining...", severity="warning")

    # ---- what the candidate sends ------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "answer" and not self.ended and self.seq:
            self._queue_send()

    def _queue_send(self) -> None:
        if not self._send_pending:
            self._send_pending = True
            self.set_timer(SEND_EVERY, self._send_answer)

    def _send_answer(self) -> None:
        self._send_pending = False
        text = self.query_one("#answer", TextArea).text
        if len(text) > MAX_TEXT and not self._told_long:
            self._told_long = True
            self.notify(f"Your answer is over {MAX_TEXT:,} characters; the interviewer sees "
                        f"the first {MAX_TEXT:,}.", severity="warning")
        self.client.send(Answer(self.seq, text[:MAX_TEXT]))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "self-rating" and isinstance(event.value, int):
            self.client.send(SelfRating(event.value))
            self.notify("Kept for the sheet: the interviewer sees it only after rating you.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "send_ratings":
            return self.ended and not self.rated
        return True

    def action_send_ratings(self) -> None:
        rate = self.query_one("#rate", Select).value
        if not isinstance(rate, int):
            self.notify("Choose a rating for the interviewer first.", severity="warning")
            self.query_one("#rate", Select).focus()
            return
        comment = self.query_one("#comment", Input).value
        self.client.send(RateInterviewer(rate, comment[:MAX_COMMENT]))
        self.rated = True
        self.query_one("#end-hint", Static).update("Sent. Thank you! ctrl+q leaves.")
        self.refresh_bindings()

    # ---- the bars ----------------------------------------------------------------------

    def _show_meta(self, status: str) -> None:
        what = {"connected": "connected", "reconnecting": "reconnecting...",
                "ended": "interview ended"}.get(status, status)
        prompt = self.kind or "waiting for the first question"
        self.query_one("#meta", Static).update(
            Content.assemble(Content.styled("Mock interview", "bold"),
                             f"  {self.where} · {prompt} · {what}"))


class CandidateApp(App[None]):
    """Answer the interviewer's questions; rate yourself and the interviewer."""

    CSS_PATH = "candidate.tcss"
    TITLE = "trainer join"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "leave", "Leave", id="join.leave", priority=True)]

    def __init__(self, host: str, port: int, code: str, sock: socket.socket) -> None:
        super().__init__()
        self.client = Client(host, port, code, sock, on_message=self._received,
                             on_status=self._status)
        self.interview = CandidateScreen(self.client, f"{host}:{port}")
        self.finish: Finish | None = None
        """How the session ended, for `join_cmd` to print after the app is gone."""

    def get_default_screen(self) -> Screen[None]:
        return self.interview

    async def link(self) -> None:
        """Run the link to the hub (the screen's worker) and end the app with it."""
        finish = await self.client.run()
        self.finish = self.finish or finish  # leaving says it better than the link does
        self.exit(return_code=0 if self.finish.outcome in ("ended", "closed") else 1)

    def _received(self, message: HostMessage) -> None:
        self.interview.received(message)

    def _status(self, status: str) -> None:
        self.interview.link_status(status)

    async def action_leave(self) -> None:
        if self.finish is None:
            self.finish = Finish("closed", "You left the interview." if self.interview.ended
                                 else "You left the interview; the same command rejoins it "
                                 "while the interviewer's session lasts.")
        await self.client.quit()
        self.exit(return_code=0)
