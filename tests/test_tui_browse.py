"""Pilot tests of the question browser: filters, practise one, compare attempts."""

from __future__ import annotations

from pathlib import Path

from trainer.bank import load_bank
from trainer.study import History
from trainer.tui.app import TrainerApp

SIZE = (80, 24)


async def test_browse_filter_practise_and_compare(small_bank: Path, data_dir: Path) -> None:
    app = TrainerApp(load_bank([small_bank], builtin=False), History.open())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "BrowseScreen"
        assert [r.status for r in screen.rows] == ["new", "new"]
        assert "2 cards" in str(screen.query_one("#browse-filters").render())
        for words in ("send a small slice of traffic and roll back",
                      "send a small slice and compare with the baseline"):
            await pilot.press("enter")  # practise the highlighted card
            await pilot.pause()
            practice = app.screen
            assert practice.session.current.id == "canary-basics"
            practice.query_one("#editor").text = words
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press("escape")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.screen is screen
        assert screen.rows[0].attempts == 2 and screen.rows[0].status == "learning"
        await pilot.press("c")
        await pilot.pause()
        shown = str(app.screen.query_one("#compare").render())
        assert "Gained" in shown and "Compare with the baseline" in shown
        assert "Lost" in shown and "Roll back when worse" in shown
        await pilot.press("escape", "s")
        await pilot.pause()
        await pilot.press("down", "enter")  # status: new
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [r.item_id for r in screen.rows] == ["canary-basics.f1"]


async def test_browse_is_in_the_command_palette(small_bank: Path, data_dir: Path) -> None:
    app = TrainerApp(load_bank([small_bank], builtin=False), History.open())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"questions: browse")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "BrowseScreen"
