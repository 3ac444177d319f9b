"""The interviewer's hub on loopback, driven by raw protocol clients in the same process."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Iterator

import pytest

from trainer.bank import Bank, FollowUp, Question, load_bank
from trainer.remote.access import AccessError, bind
from trainer.remote.client import Client, JoinRefused, join
from trainer.remote.hub import Hub
from trainer.remote.protocol import (
    Answer,
    Ask,
    Draft,
    Ended,
    Hello,
    RateInterviewer,
    SelfRating,
    encode,
)
from trainer.remote.timeline import (
    AnswerSnapshot,
    Asked,
    InterviewerRated,
    Joined,
    Left,
    Tick,
)
from trainer.remote.timeline import (
    JoinRefused as Refusal,
)

CODE = "k7m2q-9xd4h"


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


@pytest.fixture
async def hub() -> AsyncIterator[Hub]:
    hub = Hub(CODE, ping_every=0.2, idle_timeout=1.0)
    await hub.start(bind("127.0.0.1", 0))
    yield hub
    await hub.close()


class Raw:
    """A candidate speaking the protocol by hand, keeping every byte it receives."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.received = bytearray()

    @classmethod
    async def connect(cls, hub: Hub, code: str = CODE) -> Raw:
        reader, writer = await asyncio.open_connection(*hub.address)
        raw = cls(reader, writer)
        raw.send(Hello(code, 1))
        return raw

    def send(self, message: Hello | Answer | SelfRating | RateInterviewer) -> None:
        self.writer.write(encode(message))

    async def next(self, timeout: float = 2.0) -> dict[str, object]:
        while True:
            try:
                line = await asyncio.wait_for(self.reader.readline(), timeout)
            except ConnectionResetError:
                line = b""
            self.received += line
            if not line:
                return {"type": "eof"}
            body = json.loads(line)
            if body["type"] != "ping":
                return body  # type: ignore[no-any-return]

    async def until(self, kind: str) -> dict[str, object]:
        while (body := await self.next())["type"] != kind:
            assert body["type"] != "eof", f"closed before {kind}"
        return body

    async def drain_all(self) -> None:
        self.writer.close()
        self.received += await self.reader.read()


async def settle(condition, timeout: float = 2.0) -> None:  # noqa: ANN001
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.005)


async def test_a_wrong_code_is_refused_and_counted(hub: Hub) -> None:
    raw = await Raw.connect(hub, "wrong-code")
    assert await raw.next() == {"type": "refused", "reason": "wrong code"}
    assert (await raw.next())["type"] == "eof"
    assert hub.bad_codes == 1 and not hub.connected
    assert [type(e) for e in hub.timeline] == [Refusal]


async def test_five_bad_codes_lock_even_the_right_one_until_a_new_code(hub: Hub) -> None:
    for _ in range(5):
        raw = await Raw.connect(hub, "guess")
        assert (await raw.next())["reason"] == "wrong code"
    raw = await Raw.connect(hub)
    assert await raw.next() == {"type": "refused", "reason": "locked"}
    assert hub.locked
    hub.new_code("fresh-code-1234")
    raw = await Raw.connect(hub, "FRESH CODE 1234")  # case, spaces and dashes do not count
    assert (await raw.next())["type"] == "welcome"


async def test_one_candidate_at_a_time(hub: Hub) -> None:
    first = await Raw.connect(hub)
    assert (await first.next())["type"] == "welcome"
    second = await Raw.connect(hub)
    assert await second.next() == {"type": "refused", "reason": "busy"}
    assert hub.bad_codes == 0  # the right code, only too late


async def test_a_rejoin_gets_the_current_prompt_and_the_draft(hub: Hub, bank: Bank) -> None:
    question = bank.questions[0]
    hub.ask(question)
    hub.ask(question.follow_ups[0], question)
    first = await Raw.connect(hub)
    assert (await first.until("ask"))["seq"] == 2
    first.send(Answer(2, "I would start small"))
    await settle(lambda: hub.answer == "I would start small")
    first.writer.transport.abort()  # the link drops without a goodbye
    await settle(lambda: not hub.connected)
    again = await Raw.connect(hub)
    ask = await again.until("ask")
    assert ask == {"type": "ask", "seq": 2, "kind": "follow-up",
                   "prompt": question.follow_ups[0].prompt, "question": question.prompt}
    assert await again.next() == {"type": "draft", "seq": 2, "text": "I would start small"}
    kinds = [type(e) for e in hub.timeline]
    assert kinds == [Asked, Asked, Joined, AnswerSnapshot, Left, Joined]
    assert [e.rejoin for e in hub.timeline if isinstance(e, Joined)] == [False, True]


async def test_a_silent_link_is_dropped_so_the_candidate_can_rejoin(hub: Hub) -> None:
    # A link that dies without a FIN (a laptop lid closed) is noticed by its silence.
    reader, writer = await asyncio.open_connection(*hub.address)
    writer.write(encode(Hello(CODE, 1)))
    await settle(lambda: hub.connected)
    await settle(lambda: not hub.connected, timeout=3.0)  # idle_timeout is 1 s here
    writer.close()


async def test_live_answers_and_ratings_reach_the_listener(bank: Bank) -> None:
    seen: list[object] = []
    hub = Hub(CODE, listener=seen.append)
    await hub.start(bind("127.0.0.1", 0))
    try:
        hub.ask(bank.questions[0])
        raw = await Raw.connect(hub)
        await raw.until("ask")
        loop = asyncio.get_running_loop()
        delays = []
        for n in range(50):
            sent = loop.time()
            raw.send(Answer(1, f"roll back {n}"))
            await settle(lambda n=n: hub.answer == f"roll back {n}")
            delays.append(loop.time() - sent)
        delays.sort()
        assert delays[len(delays) // 2] < 0.05  # loopback: well under the 200 ms budget
        raw.send(RateInterviewer(4, "too early"))  # before the end: ignored
        raw.send(SelfRating(3))
        await settle(lambda: hub.self_rating == 3)
        assert hub.interviewer_rating is None
        hub.end()
        assert (await raw.until("ended")) == {"type": "ended"}
        raw.send(RateInterviewer(4, "clear follow-ups"))
        await settle(lambda: hub.interviewer_rating is not None)
        assert isinstance(seen[-1], InterviewerRated) and seen[-1].comment == "clear follow-ups"
        snapshots = [e for e in hub.timeline if isinstance(e, AnswerSnapshot)]
        assert len(snapshots) < 5 and snapshots[-1].text == "roll back 49"  # thinned
        late = await Raw.connect(hub)
        assert await late.next() == {"type": "refused", "reason": "ended"}
    finally:
        await hub.close()
    assert (await raw.until("bye")) == {"type": "bye"}


async def test_an_oversized_or_foreign_line_ends_the_link(hub: Hub) -> None:
    raw = await Raw.connect(hub)
    await raw.until("clock")
    raw.writer.write(b'{"type":"answer","seq":1,"text":"' + b"x" * 200_000 + b'"}\n')
    assert (await raw.next())["type"] == "eof"
    raw = await Raw.connect(hub)
    await raw.until("clock")
    raw.writer.write(b'{"type":"rubric"}\n')
    assert (await raw.next())["type"] == "eof"


async def test_the_blocking_join_used_by_trainer_join(hub: Hub) -> None:
    with pytest.raises(JoinRefused, match="wrong"):
        await asyncio.to_thread(join, *hub.address, "nope")
    sock = await asyncio.to_thread(join, *hub.address, CODE)
    await settle(lambda: hub.connected)
    sock.close()


async def test_the_client_rejoins_by_itself_after_a_dropped_link(hub: Hub, bank: Bank) -> None:
    question = bank.questions[0]
    hub.ask(question)
    got: list[object] = []
    statuses: list[str] = []
    sock = await asyncio.to_thread(join, *hub.address, CODE)
    client = Client(*hub.address, CODE, sock, on_message=got.append,
                    on_status=statuses.append, ping_every=0.2, idle_timeout=1.0)
    running = asyncio.create_task(client.run())
    await settle(lambda: any(isinstance(m, Ask) for m in got))
    client.send(Answer(1, "first words"))
    await settle(lambda: hub.answer == "first words")
    assert hub._candidate is not None
    hub._candidate.writer.transport.abort()  # the link drops on the hub's side
    await settle(lambda: statuses[-2:] == ["reconnecting", "connected"], timeout=5)
    await settle(lambda: sum(isinstance(m, Ask) for m in got) == 2)
    assert got[-1] == Draft(1, "first words")  # and the answer so far, for a new editor
    hub.end()
    await settle(lambda: any(isinstance(m, Ended) for m in got))
    await hub.close()
    finish = await asyncio.wait_for(running, 5)
    assert finish.outcome == "ended" and "closed the session" in finish.message


def test_a_public_address_needs_the_explicit_flag() -> None:
    for host in ("0.0.0.0", "::"):
        with pytest.raises(AccessError, match="--allow-remote"):
            bind(host, 0)
    sock = bind("0.0.0.0", 0, allow_remote=True)
    sock.close()
    sock = bind("127.0.0.1", 0)
    assert sock.getsockname()[0] == "127.0.0.1"
    sock.close()


# ---- nothing of the rubric reaches the candidate ----------------------------------------

def secrets_of(item: Question | FollowUp) -> Iterator[str]:
    """Every piece of interviewer material an item holds."""
    for c in item.rubric:
        yield c.concept
        yield from c.keywords
        yield c.hint
    for m in (*item.misconceptions, *item.red_flags):
        yield from m.keywords
        yield m.why
        yield getattr(m, "correction", "")
    yield from (item.tests, item.notes, item.model_answer, item.strong_answer, item.weak_answer)
    if item.answer_outline:
        for step in item.answer_outline.steps:
            yield step.step
            yield from step.keywords
    if isinstance(item, Question) and item.level_notes:
        notes = item.level_notes
        yield from (notes.junior, notes.mid, notes.senior, notes.staff)


def leaks(stream: str, items: list[Question | FollowUp], prompts: str) -> tuple[list[str], int]:
    """Interviewer strings found in the stream as whole words, and how many were left
    out: a string that is also part of a prompt (a keyword such as "rollback" in "why
    roll back?") is legitimately sent."""
    found, exempt = [], 0
    low_stream, low_prompts = stream.lower(), prompts.lower()
    # A secret that is a bare number ("137", an exit code) is looked for in the messages'
    # text, not in their counters and clock readings, where any number turns up.
    texts = "\n".join(_strings(json.loads(line)) for line in stream.splitlines() if line)
    for item in items:
        for text in filter(None, (s.strip() for s in secrets_of(item))):
            low = text.lower()
            where = texts if text.isdigit() else stream
            if low not in (texts.lower() if text.isdigit() else low_stream):
                continue  # most strings: not even a substring, no need for the regex
            pattern = re.compile(rf"(?<!\w){re.escape(text)}(?!\w)", re.IGNORECASE)
            if low in low_prompts and pattern.search(prompts):
                exempt += 1
            elif pattern.search(where):
                found.append(f"{item.id}: {text!r}")
    return found, exempt


def _strings(value: object) -> str:
    """Every string in a parsed message (keys and values), one per line."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(f"{k}\n{_strings(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "\n".join(_strings(v) for v in value)
    return ""


async def test_no_byte_sent_to_the_candidate_holds_interviewer_material(bank: Bank) -> None:
    """Every question and follow-up of the built-in bank asked in one session, with a
    rejoin, ticks, notes, the clock, the end and the close: all of it captured raw."""
    hub = Hub(CODE)
    await hub.start(bind("127.0.0.1", 0))
    note = "Interviewer note: probe the rollback trigger, the candidate hesitated"
    asked: list[Question | FollowUp] = []
    raw = await Raw.connect(hub)
    captured = bytearray()
    try:
        await raw.until("welcome")
        for n, question in enumerate(bank.questions):
            for item in (question, *question.follow_ups):
                hub.ask(item, question)
                asked.append(item)
                for c in item.rubric:
                    hub.tick(item.id, c.concept, True)
                hub.note(note)
                hub.set_clock(n, bool(n % 2))
                await raw.until("ask")
                raw.send(Answer(len(asked), "Lorem ipsum dolor sit amet."))  # no bank words
            if n == 10:  # a dropped link and a rejoin mid-way
                await raw.drain_all()
                captured += raw.received
                await settle(lambda: not hub.connected)
                raw = await Raw.connect(hub)
                await raw.until("draft")
        hub.end()
        await raw.until("ended")
    finally:
        await hub.close()
    await raw.drain_all()
    captured += raw.received
    assert Tick in {type(e) for e in hub.timeline}  # the ticks happened, on the host only
    stream = captured.decode("utf-8")
    assert stream.count('"type":"ask"') == len(asked) + 1  # the re-sent prompt after rejoin
    prompts = "\n".join(i.prompt for i in asked)
    found, exempt = leaks(stream, asked, prompts)
    assert found == []
    assert "probe the rollback trigger" not in stream
    # Only strings that are part of some prompt are exempt: a few per cent at most.
    checked = sum(1 for i in asked for s in secrets_of(i) if s.strip())
    assert checked > 3000 and exempt < checked / 20
