"""The two apps of a hosted mock interview, each driven with Pilot in this process: the
interviewer's screen against a raw protocol client, the candidate's app against a hub."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import SelectionList, Static, TextArea
from tui_support import until

from trainer.bank import Bank, load_bank
from trainer.remote.access import bind
from trainer.remote.client import join
from trainer.remote.hub import Hub
from trainer.remote.protocol import Answer, Hello, SelfRating, encode
from trainer.remote.timeline import Tick
from trainer.study import History
from trainer.tui.app import TrainerApp
from trainer.tui.candidate import CandidateApp
from trainer.tui.screens.feedback import FeedbackScreen
from trainer.tui.screens.remote_host import RemoteHostScreen

SIZE = (80, 24)
CODE = "k7m2q-9xd4h"
QID = "deploy-error-spike-mid-rollout"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


class Lines:
    """What a raw candidate received, decoded."""

    def __init__(self, reader: asyncio.StreamReader) -> None:
        self.reader = reader

    async def next(self, kind: str) -> dict[str, object]:
        async with asyncio.timeout(5):
            while True:
                body = json.loads(await self.reader.readline())
                if body["type"] == kind:
                    return body  # type: ignore[no-any-return]


def text_of(screen, selector: str) -> str:  # noqa: ANN001
    return str(screen.query_one(selector, Static).render())


async def test_the_interviewer_sees_the_answer_live_and_the_scorer_suggests(
        bank: Bank, data_dir: Path) -> None:
    app = TrainerApp(bank, History.open())
    async with app.run_test(size=SIZE) as pilot:
        screen = RemoteHostScreen(app.workspace.practice(start_id=QID, mode="mock"),
                                  code=CODE)
        app.push_screen(screen)
        await until(pilot, lambda: screen.hub._server is not None and screen.asked)
        assert CODE in text_of(screen, "#join-line")
        reader, writer = await asyncio.open_connection(*screen.hub.address)
        lines = Lines(reader)
        writer.write(encode(Hello(CODE, 1)))
        first = await lines.next("ask")
        assert first["prompt"] == bank.question(QID).prompt
        await until(pilot, lambda: "connected" in text_of(screen, "#remote-meta"))

        loop = asyncio.get_running_loop()
        delays = []
        for word in ("first", "second", "third", "fourth", "fifth"):
            sent = loop.time()
            writer.write(encode(Answer(1, f"Mitigate {word}: roll back the whole fleet now")))
            await until(pilot, lambda w=word: f"Mitigate {w}" in text_of(screen, "#live-text"))
            delays.append(loop.time() - sent)
        assert sorted(delays)[2] < 0.2, delays  # the median: a loaded CI machine has spikes
        await until(pilot, lambda: bool(screen.heard))  # the scorer's pass, off the UI thread
        checklist = screen.query_one("#checklist", SelectionList)
        assert any("◆" in str(checklist.get_option_at_index(i).prompt)
                   for i in range(checklist.option_count))
        assert checklist.selected == []  # suggested, not ticked: the interviewer decides
        await pilot.press("ctrl+y")
        heard = screen.heard
        assert set(checklist.selected) == heard
        assert {e.concept for e in screen.hub.timeline if isinstance(e, Tick)} == heard

        await pilot.press("ctrl+n")
        follow_up = await lines.next("ask")
        assert follow_up["kind"] == "follow-up" and follow_up["seq"] == 2
        assert "follow-up 1/" in text_of(screen, "#remote-meta")
        await pilot.press(*"probe rollback")  # focus starts in the notes, not the rubric
        assert screen.query_one("#remote-notes", TextArea).text == "probe rollback"

        await pilot.press("ctrl+e")
        await lines.next("ended")
        assert isinstance(app.screen, RemoteHostScreen)  # waiting for the self-rating
        writer.write(encode(SelfRating(3)))
        await until(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        sheet = app.screen
        assert sheet.self_rating == 3 and sheet.notes == "probe rollback"
        assert [i.id for i in sheet.asked] == [QID, f"{QID}.f1"]
        assert {c for (_, c), on in sheet.ticks.items() if on} == heard
        await pilot.press("escape")
        await pilot.press("ctrl+e")
        assert app.screen is sheet  # the same sheet, not a second one
        writer.close()


async def test_the_candidate_app_answers_and_rates(bank: Bank) -> None:
    hub = Hub(CODE)
    await hub.start(bind("127.0.0.1", 0))
    question = bank.question(QID)
    hub.ask(question)
    sock = await asyncio.to_thread(join, *hub.address, CODE)
    app = CandidateApp(*hub.address, CODE, sock)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.interview.seq == 1)
            assert question.prompt[:40] in text_of(app.screen, "#prompt")
            await until(pilot, lambda: app.screen.query_one("#answer").has_focus)
            await pilot.press("ctrl+p")  # no command palette, nothing else to open
            assert len(app.screen_stack) == 1
            loop = asyncio.get_running_loop()
            delays = []
            for n, key in enumerate("roll back", 1):
                await pilot.press(key if key != " " else "space")
                started = loop.time()  # the key is handled: from here, send and receive
                await until(pilot, lambda n=n: len(hub.answer) == n)
                delays.append(loop.time() - started)
            assert hub.answer == "roll back"
            assert sorted(delays)[len(delays) // 2] < 0.2, delays
            app.screen.query_one("#scratch", TextArea).load_text("private: 2 min left")
            hub.ask(question.follow_ups[0], question)
            await until(pilot, lambda: app.interview.seq == 2)
            assert "Follow-up" in text_of(app.screen, "#prompt")
            assert app.screen.query_one("#answer", TextArea).text == ""
            hub.end()
            await until(pilot, lambda: app.interview.ended)
            await pilot.press("ctrl+s")  # no rating chosen yet: told, nothing sent
            assert hub.interviewer_rating is None
            app.screen.query_one("#rate").value = 4
            app.screen.query_one("#comment").value = "good pacing"
            await pilot.press("ctrl+s")
            await until(pilot, lambda: hub.interviewer_rating is not None)
            assert hub.interviewer_rating.comment == "good pacing"
            assert "private" not in json.dumps([str(e) for e in hub.timeline])
            await pilot.press("ctrl+q")
        assert app.return_code == 0
    finally:
        await hub.close()


def test_the_candidate_process_loads_no_bank_and_no_history() -> None:
    script = ("import sys, json\n"
              "import trainer.tui.candidate, trainer.commands.join_cmd\n"
              "print(json.dumps(sorted(sys.modules)))")
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    modules = json.loads(proc.stdout.splitlines()[-1])
    core = ("trainer.bank", "trainer.study", "trainer.application", "trainer.scoring",
            "trainer.remote.hub")
    assert [m for m in modules if m.startswith(core)] == []
