"""Pilot tests of the mock-interview fixes and additions: the one-screen mode's focus and
its draft (quit, crash, restore), hosting from Mock mode, and on the hosted side a late
self-rating, the transcript saved with the sheet, asking before quitting on a connected
candidate, and the role swap."""

from __future__ import annotations

import asyncio
import json

import pytest
from textual.widgets import Input, SelectionList, Static, TextArea
from tui_support import until

from trainer.bank import Bank, load_bank
from trainer.commands.join_cmd import join_swapped
from trainer.remote.protocol import Answer, Hello, RateInterviewer, SelfRating, encode
from trainer.study import History
from trainer.tui.app import TrainerApp
from trainer.tui.screens.confirm_quit import ConfirmQuit
from trainer.tui.screens.feedback import FeedbackScreen
from trainer.tui.screens.mock import MockInterviewScreen
from trainer.tui.screens.remote_host import RemoteHostScreen
from trainer.tui.screens.remote_swap import SwapRoles

SIZE = (80, 24)
QID = "deploy-error-spike-mid-rollout"
CODE = "k7m2q-9xd4h"


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


async def type_keys(pilot, text: str) -> None:  # noqa: ANN001
    await pilot.press(*[c if c != " " else "space" for c in text])


# ---- one screen -----------------------------------------------------------------------


async def test_flips_give_the_focus_back_to_the_notes_never_the_rubric(bank: Bank) -> None:
    app = TrainerApp(bank, History.open())
    async with app.run_test(size=SIZE) as pilot:
        app.command_mock(QID)
        await pilot.pause()
        screen = app.screen
        notes = screen.query_one("#mock-notes", TextArea)
        checklist = screen.query_one("#checklist", SelectionList)
        assert notes.has_focus  # typing starts as notes
        await type_keys(pilot, "calm start")
        for _ in range(2):
            await pilot.press("ctrl+l")
            await pilot.pause()
            await pilot.press("3")  # in the candidate view: the private self-rating
            await pilot.press("ctrl+l")
            await pilot.pause()
            assert notes.has_focus and not checklist.has_focus
            await type_keys(pilot, " then more")
        assert notes.text == "calm start then more then more"
        assert checklist.selected == []  # no space typed into notes ticked anything
        assert screen.self_rating == 3


async def test_the_interview_in_progress_survives_quit_and_comes_back(bank: Bank) -> None:
    app = TrainerApp(bank, History.open())
    async with app.run_test(size=SIZE) as pilot:
        app.command_mock(QID)
        await pilot.pause()
        screen = app.screen
        screen.query_one("#checklist").focus()
        await pilot.press("space")  # tick the first concept
        screen.query_one("#mock-notes").focus()
        await type_keys(pilot, "rolled back first")
        await pilot.press("ctrl+l", "2", "ctrl+l", "ctrl+n")
        await pilot.pause()
        assert screen.session.current.id == f"{QID}.f1"
        await pilot.press("ctrl+e")
        await pilot.pause()
        sheet = app.screen
        assert isinstance(sheet, FeedbackScreen)
        sheet.query_one("#strengths", TextArea).text = "Calm under pressure"
        sheet.query_one("#dim1").value = 3
        await pilot.press("ctrl+q")
        await pilot.pause()
    first_concept = bank.question(QID).rubric[0].concept
    with History.open() as history:
        assert history.draft(f"mock:{QID}") is not None

    again = TrainerApp(bank, History.open())
    async with again.run_test(size=SIZE) as pilot:
        again.command_mock()  # from Home, no question named: the unfinished one
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, MockInterviewScreen)
        assert screen.session.current.id == f"{QID}.f1"  # where it stopped
        assert [i.id for i in screen.asked] == [QID, f"{QID}.f1"]
        assert screen.query_one("#mock-notes", TextArea).text == "rolled back first"
        assert screen.ticks[(QID, first_concept)] is True
        assert screen.self_rating == 2
        await pilot.press("ctrl+e")
        await pilot.pause()
        sheet = again.screen
        assert sheet.query_one("#strengths", TextArea).text == "Calm under pressure"
        assert sheet.query_one("#dim1").value == 3
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert sheet.saved is not None
        await pilot.press("escape", "escape")
        await pilot.pause()
    saved = again.history.sheet(sheet.saved.id)
    assert saved.strengths == "Calm under pressure" and saved.self_rating == 2
    assert (QID, first_concept, True) in {(t.item_id, t.concept, t.ticked) for t in saved.ticks}
    assert again.history.draft(f"mock:{QID}") is None  # on its sheet now: no draft


async def test_a_crash_keeps_the_interview_in_progress(bank: Bank) -> None:
    app = TrainerApp(bank, History.open())

    def broken() -> None:
        raise RuntimeError("boom")

    app.action_help = broken  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        async with app.run_test(size=SIZE) as pilot:
            app.command_mock(QID)
            await pilot.pause()
            await type_keys(pilot, "probe the canary")
            await pilot.press("f1")
            await pilot.pause()
    with History.open() as history:
        kept = json.loads(history.draft(f"mock:{QID}").text)
    assert kept["notes"] == "probe the canary"


async def test_a_key_in_mock_mode_hosts_the_question_for_another_terminal(
        bank: Bank) -> None:
    app = TrainerApp(bank, History.open())
    async with app.run_test(size=SIZE) as pilot:
        app.command_mock(QID)
        await pilot.pause()
        await pilot.press("ctrl+n")  # on a follow-up: the host starts from its question
        await pilot.press("ctrl+g")
        host = app.screen
        assert isinstance(host, RemoteHostScreen)
        await until(pilot, lambda: host.hub._server is not None and host.asked)
        assert host.asked[0].id == QID
        assert "trainer join 127.0.0.1:" in str(host.query_one("#join-line", Static).render())
        await pilot.press("escape", "escape")  # no candidate came: closed without a sheet
        await until(pilot, lambda: isinstance(app.screen, MockInterviewScreen))


# ---- hosted ---------------------------------------------------------------------------


async def host_with_candidate(app: TrainerApp, pilot):  # noqa: ANN001, ANN201
    screen = RemoteHostScreen(app.workspace.practice(start_id=QID, mode="mock"), code=CODE)
    app.push_screen(screen)
    await until(pilot, lambda: screen.hub._server is not None and screen.asked)
    reader, writer = await asyncio.open_connection(*screen.hub.address)
    writer.write(encode(Hello(CODE, 1)))
    await until(pilot, lambda: screen.hub.connected)
    return screen, reader, writer


async def received(reader: asyncio.StreamReader, kind: str) -> None:
    async with asyncio.timeout(5):
        while json.loads(await reader.readline())["type"] != kind:
            pass


async def test_a_late_self_rating_reaches_the_open_sheet_and_the_transcript_is_saved(
        bank: Bank) -> None:
    app = TrainerApp(bank, History.open())
    async with app.run_test(size=SIZE) as pilot:
        screen, reader, writer = await host_with_candidate(app, pilot)
        writer.write(encode(Answer(1, "roll back the whole fleet")))
        await until(pilot, lambda: screen.hub.answer != "")
        await pilot.press("ctrl+e")  # ends; waits for the self-rating
        await received(reader, "ended")
        await pilot.press("ctrl+e")  # the sheet now, before the self-rating came
        await until(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        sheet = app.screen
        assert sheet.self_rating is None and sheet.query("#self-row")
        writer.write(encode(SelfRating(2)))
        await until(pilot, lambda: sheet.self_rating == 2)
        await until(pilot, lambda: not sheet.query("#self-row"))  # unseen until saved
        sheet.query_one("#dim0").value = 3
        await pilot.press("ctrl+s")
        await until(pilot, lambda: sheet.saved is not None)
        assert "self-rating: 2/4" in str(sheet.query_one("#feedback-result", Static).render())
        sheet_id = sheet.saved.id
        kinds = [e.kind for e in app.history.transcript(sheet_id)]
        assert kinds.count("question") == 1 and "answer" in kinds and "self-rating" in kinds
        writer.write(encode(RateInterviewer(4, "clear questions")))  # after the save
        await until(pilot, lambda: any(e.kind == "interviewer-rating"
                                       for e in app.history.transcript(sheet_id)))
        assert app.history.sheet(sheet_id).self_rating == 2
        await pilot.press("ctrl+q")  # saved: nothing to ask about
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmQuit)
        writer.close()
    assert app.return_code == 0


async def test_quitting_on_a_connected_candidate_asks_first(bank: Bank) -> None:
    app = TrainerApp(bank, History.open())
    async with app.run_test(size=SIZE) as pilot:
        screen, reader, writer = await host_with_candidate(app, pilot)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmQuit))
        assert "interview is still running" in app.screen.warning
        await pilot.press("n")
        await until(pilot, lambda: app.screen is screen)
        assert screen.hub.connected and not screen._hub_closed
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmQuit))
        await pilot.press("ctrl+q")  # a second ctrl+q is a yes
        await received(reader, "bye")  # the candidate is told
        writer.close()
    assert app.return_code == 0


async def test_swapping_roles_closes_this_round_and_joins_the_partner(bank: Bank) -> None:
    app = TrainerApp(bank, History.open())
    async with app.run_test(size=SIZE) as pilot:
        screen, reader, writer = await host_with_candidate(app, pilot)
        await pilot.press("ctrl+w")  # mid-round: not yet
        assert app.screen is screen
        await pilot.press("ctrl+e")
        await received(reader, "ended")
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        await pilot.press("ctrl+s", "escape")
        await until(pilot, lambda: app.screen is screen)
        assert "ctrl+w swaps roles" in str(screen.query_one("#remote-meta", Static).render())
        await pilot.press("ctrl+w")
        await until(pilot, lambda: isinstance(app.screen, SwapRoles))
        text = str(app.screen.query_one(Static).render())
        port = screen.hub.address[1]
        assert f"trainer mock host --listen 127.0.0.1:{port + 1}" in text
        assert f"ssh -N -R {port + 1}:127.0.0.1:{port + 1}" in text
        line = app.screen.query_one("#swap-line", Input)
        line.value = "127.0.0.1"
        await pilot.press("enter")
        assert "join line" in str(app.screen.query_one("#swap-error", Static).render())
        line.value = f"trainer join 127.0.0.1:{port + 1} their-code-123"
        await pilot.press("enter")
        await received(reader, "bye")
        writer.close()
    assert app.then_join == ("127.0.0.1", port + 1, "their-code-123")


def test_after_a_swap_the_terminal_joins_like_trainer_join(
        capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as s:  # a port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert join_swapped("127.0.0.1", port, "their-code-123") == 1
    err = capsys.readouterr().err
    assert "roles swapped, joining 127.0.0.1:" in err and "cannot reach" in err

