"""The interviewer's side of a hosted mock interview: a small asyncio server.

It runs in the interviewer's process, on the app's own event loop, so the rubric never
leaves that process: the candidate's client is sent only the messages of
`protocol.HOST_SENDS`, built from prompts and the clock. One candidate at a time, after
the join code (compared in constant time); `max_bad_codes` wrong codes lock the session
until the interviewer issues a new code. A candidate whose link drops may join again with
the same code, and is sent the current prompt and their own draft.

Everything that happens is appended to `timeline` (see `timeline.py`) and handed to the
`listener`, which the interviewer's screen turns into widgets.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import socket
import time
from collections.abc import Callable

from trainer.bank import FollowUp, Question
from trainer.remote.access import normalize_code
from trainer.remote.protocol import (
    MAX_LINE,
    MAX_PROMPT,
    PROTOCOL_VERSION,
    Answer,
    Ask,
    Bye,
    CandidateMessage,
    Clock,
    Draft,
    Ended,
    Hello,
    HostMessage,
    Ping,
    ProtocolError,
    RateInterviewer,
    RefusalReason,
    Refused,
    SelfRating,
    Welcome,
    decode_candidate,
    encode,
)
from trainer.remote.timeline import (
    AnswerSnapshot,
    Asked,
    ClockSet,
    Event,
    InterviewEnded,
    InterviewerRated,
    Joined,
    JoinRefused,
    Left,
    NoteSnapshot,
    SelfRated,
    Tick,
    Timeline,
)

Listener = Callable[[Event], None]

MAX_UNJOINED = 8
"""Connections still to say hello; more are closed at once (a flood is not a queue)."""
MAX_BUFFERED = 1 << 20
"""Bytes waiting for a candidate who does not read; beyond that the link is dropped."""


def ask_for(item: Question | FollowUp, seq: int, question: Question | None = None) -> Ask:
    """The candidate's copy of an item: its prompt (and, for a follow-up, its question's
    prompt), cut to `MAX_PROMPT`. Built field by field, never by serializing the item."""
    if isinstance(item, Question):
        return Ask(seq, "question", item.prompt[:MAX_PROMPT])
    context = question.prompt[:MAX_PROMPT] if question is not None else ""
    return Ask(seq, "follow-up", item.prompt[:MAX_PROMPT], context)


class _Peer:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        peer = writer.get_extra_info("peername")
        self.name = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else "?"

    def send(self, message: HostMessage) -> None:
        if self.writer.is_closing():
            return
        # The transport buffers; a reader that stopped reading is cut off, not waited for.
        self.writer.write(encode(message))
        if self.writer.transport.get_write_buffer_size() > MAX_BUFFERED:
            self.writer.close()

    async def read(self, timeout: float) -> CandidateMessage | None:
        """The next message; None at the end of the stream. `TimeoutError` when silent."""
        line = await asyncio.wait_for(self.reader.readline(), timeout)
        if not line.endswith(b"\n"):
            return None  # closed, possibly mid-line
        return decode_candidate(line)

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError, TimeoutError, OSError):
            await asyncio.wait_for(self.writer.wait_closed(), 1.0)


class Hub:
    """Host one interview: `start`, then `ask` prompts, `end`, `close`."""

    def __init__(self, code: str, *, listener: Listener | None = None,
                 clock: Callable[[], float] = time.monotonic, max_bad_codes: int = 5,
                 hello_timeout: float = 5.0, idle_timeout: float = 15.0,
                 ping_every: float = 3.0) -> None:
        self.code = code
        self.listener = listener
        self.max_bad_codes = max_bad_codes
        self.hello_timeout = hello_timeout
        self.idle_timeout = idle_timeout
        self.ping_every = ping_every
        self._clock = clock
        self._started = clock()
        self._timeline = Timeline()
        self.bad_codes = 0
        self.ended = False
        self.current: Ask | None = None
        self.current_item_id = ""
        self.answers: dict[int, str] = {}
        """The latest text of each prompt's answer, by `Ask.seq`."""
        self.self_rating: int | None = None
        self.interviewer_rating: InterviewerRated | None = None
        self._items: dict[int, str] = {}
        self._candidate: _Peer | None = None
        self._joined_before = False
        self._unjoined: set[_Peer] = set()
        self._server: asyncio.Server | None = None
        self._closing = False
        self._clock_state = (0.0, False, clock())  # elapsed, running, since

    # ---- state -------------------------------------------------------------------------

    @property
    def timeline(self) -> list[Event]:
        """Every event so far, in order (answer and note snapshots thinned)."""
        return self._timeline.events

    @property
    def locked(self) -> bool:
        return self.bad_codes >= self.max_bad_codes

    @property
    def connected(self) -> bool:
        return self._candidate is not None

    @property
    def answer(self) -> str:
        return self.answers.get(self.current.seq, "") if self.current else ""

    @property
    def address(self) -> tuple[str, int]:
        assert self._server is not None and self._server.sockets, "the hub is not started"
        host, port = self._server.sockets[0].getsockname()[:2]
        return str(host), int(port)

    def now(self) -> float:
        return self._clock() - self._started

    # ---- the interviewer's operations --------------------------------------------------

    async def start(self, sock: socket.socket) -> None:
        """Serve on a socket from `access.bind` (bound before the UI, to fail early)."""
        self._server = await asyncio.start_server(self._handle, sock=sock, limit=MAX_LINE)

    async def close(self) -> None:
        """Tell the candidate the session is gone, then stop listening."""
        self._closing = True
        if self._server is not None:
            self._server.close()
        peers = [p for p in (self._candidate, *self._unjoined) if p is not None]
        if self._candidate is not None:
            self._candidate.send(Bye())
            with contextlib.suppress(ConnectionError, OSError):
                await asyncio.wait_for(self._candidate.writer.drain(), 1.0)
        for peer in peers:
            await peer.close()
        if self._server is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), 2.0)

    def farewell(self) -> None:
        """`close` for when nothing can be awaited (the app quits, a crash): the goodbye
        is queued and goes out while the event loop winds down."""
        self._closing = True
        if self._server is not None:
            self._server.close()
        if self._candidate is not None:
            self._candidate.send(Bye())
            self._candidate.writer.close()

    def ask(self, item: Question | FollowUp, question: Question | None = None) -> Ask:
        """Put `item` to the candidate (a follow-up with its `question` as context)."""
        seq = (self.current.seq if self.current else 0) + 1
        self.current = ask_for(item, seq, question)
        self.current_item_id = item.id
        self._items[seq] = item.id
        self._record(Asked(self.now(), seq, item.id, self.current.kind, self.current.prompt))
        if self._candidate is not None:
            self._candidate.send(self.current)
        return self.current

    def set_clock(self, elapsed: float, running: bool) -> None:
        self._clock_state = (max(0.0, elapsed), running, self._clock())
        self._record(ClockSet(self.now(), running))
        if self._candidate is not None:
            self._candidate.send(self._clock_message())

    def tick(self, item_id: str, concept: str, ticked: bool) -> None:
        self._record(Tick(self.now(), item_id, concept, ticked))

    def note(self, text: str) -> None:
        self._record(NoteSnapshot(self.now(), text))

    def end(self) -> None:
        """The interview is over: the candidate is asked for their ratings; no new joins."""
        if self.ended:
            return
        self.ended = True
        self._record(InterviewEnded(self.now()))
        if self._candidate is not None:
            self._candidate.send(Ended())

    def new_code(self, code: str) -> None:
        """A fresh code, which also lifts a lockout; the old code stops working."""
        self.code = code
        self.bad_codes = 0

    # ---- connections -------------------------------------------------------------------

    def _record(self, event: Event) -> None:
        self._timeline.add(event)
        if self.listener is not None:
            self.listener(event)

    def _clock_message(self) -> Clock:
        elapsed, running, since = self._clock_state
        return Clock(elapsed + (self._clock() - since if running else 0.0), running)

    def _admit(self, hello: Hello) -> RefusalReason | None:
        if self.ended or self._closing:
            return "ended"
        if hello.version != PROTOCOL_VERSION:
            return "version"
        if self.locked:
            return "locked"
        given = normalize_code(hello.code).encode("utf-8")
        if not hmac.compare_digest(given, normalize_code(self.code).encode("utf-8")):
            self.bad_codes += 1
            return "wrong code"
        if self._candidate is not None:
            return "busy"
        return None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = _Peer(reader, writer)
        if self._closing or len(self._unjoined) >= MAX_UNJOINED:
            await peer.close()
            return
        self._unjoined.add(peer)
        try:
            await self._greet(peer)
        except (ProtocolError, TimeoutError, ConnectionError, OSError, ValueError):
            pass  # a line over the limit (ValueError), a reset, a silent or odd client
        finally:
            self._unjoined.discard(peer)
            if self._candidate is peer:
                self._candidate = None
                self._record(Left(self.now(), "connection closed"))
            await peer.close()

    async def _greet(self, peer: _Peer) -> None:
        try:
            hello = await peer.read(self.hello_timeout)
        except ProtocolError:
            hello = None
            peer.send(Refused("bad message"))
        if not isinstance(hello, Hello):
            return
        reason = self._admit(hello)
        if reason is not None:
            peer.send(Refused(reason))
            await peer.writer.drain()
            self._record(JoinRefused(self.now(), reason, peer.name))
            return
        self._unjoined.discard(peer)
        self._candidate = peer
        self._record(Joined(self.now(), rejoin=self._joined_before))
        self._joined_before = True
        peer.send(Welcome())
        peer.send(self._clock_message())
        if self.current is not None:
            peer.send(self.current)
            if self.answer:
                peer.send(Draft(self.current.seq, self.answer))
        if self.ended:
            peer.send(Ended())
        await self._serve(peer)

    async def _serve(self, peer: _Peer) -> None:
        silent = 0.0
        while True:
            try:
                message = await peer.read(self.ping_every)
            except TimeoutError:
                silent += self.ping_every
                if silent >= self.idle_timeout:
                    return  # a link that died without a word
                peer.send(Ping())
                continue
            if message is None:
                return
            silent = 0.0
            self._receive(message)

    def _receive(self, message: CandidateMessage) -> None:
        if isinstance(message, Answer):
            item_id = self._items.get(message.seq)
            if item_id is None:
                return  # no such prompt: nothing to file it under
            self.answers[message.seq] = message.text
            self._record(AnswerSnapshot(self.now(), message.seq, item_id, message.text))
        elif isinstance(message, SelfRating):
            self.self_rating = message.rating
            self._record(SelfRated(self.now(), message.rating))
        elif isinstance(message, RateInterviewer):
            if self.ended:  # asked for only once the interview is over
                self.interviewer_rating = InterviewerRated(self.now(), message.rating,
                                                           message.comment)
                self._record(self.interviewer_rating)
        elif isinstance(message, Hello):
            raise ProtocolError("hello twice")
