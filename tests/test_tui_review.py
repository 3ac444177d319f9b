"""Pilot tests of the daily loop: Review serves due follow-ups, rating keys show their
intervals, ctrl+z takes a rating back, the model answer gets the screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from study_support import FakeClock, bank_at

from trainer.bank import Bank
from trainer.study import History
from trainer.tui.app import TrainerApp

SIZE = (80, 24)


@pytest.fixture
def bank(small_bank: Path) -> Bank:
    return bank_at(small_bank)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(bank: Bank, clock: FakeClock, data_dir: Path) -> TrainerApp:
    return TrainerApp(bank, History.open(clock=clock))


def text(app: TrainerApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def answer(pilot, words: str) -> None:
    pilot.app.screen.query_one("#editor").text = words
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_a_failed_follow_up_is_served_by_review_once_due(app: TrainerApp,
                                                               clock: FakeClock) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.command_practice("canary-basics")
        await pilot.pause()
        await answer(pilot, "A small slice of traffic, compare with the baseline, roll back.")
        await pilot.press("4", "ctrl+n")
        await pilot.pause()
        assert app.screen.session.current.id == "canary-basics.f1"
        await answer(pilot, "no idea")
        await pilot.press("1", "escape")  # Again, then home: the review is written
        await pilot.pause()
        clock.advance(minutes=2)
        app.screen.refresh_stats()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Due today: 1" in text(app, "#stats")
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "PracticeScreen"
        assert screen.session.current.id == "canary-basics.f1"
        prompt = text(app, "#prompt")
        assert "What is a canary release" in prompt  # its question, as context
        assert "How big should the first step be?" in prompt
        assert "1 of 1" in text(app, "#counter")
        assert "follow-up 1/1" in text(app, "#meta")


async def test_rating_keys_show_intervals_and_ctrl_z_takes_the_rating_back(
        app: TrainerApp) -> None:
    history = app.history
    async with app.run_test(size=SIZE) as pilot:
        app.command_practice("canary-basics")
        await pilot.pause()
        screen = app.screen
        await answer(pilot, "A small slice of traffic, compare with the baseline, roll back.")
        bar = text(app, "#rating-bar")
        assert "1 Again · 1m" in bar and "Easy · " in bar and "score's rating" in bar
        await pilot.press("4")
        assert "your rating" in text(app, "#rating-bar")
        await pilot.press("ctrl+z")  # not written yet: back to the score's rating
        assert "the score's rating" in text(app, "#rating-bar")
        await pilot.press("2")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert [r.rating for r in history.reviews()] == [2]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert screen.session.current.id == "canary-basics"
        assert screen.submitted and screen.has_class("-scored")
        assert history.reviews() == [] and history.card("canary-basics") is None
        await pilot.press("3", "ctrl+n")
        await pilot.pause()
        assert [r.rating for r in history.reviews()] == [3]
        await pilot.press("x", "ctrl+z")  # typed text: ctrl+z is the editor's own undo
        await pilot.pause()
        assert screen.session.current.id == "canary-basics.f1"
        assert [r.rating for r in history.reviews()] == [3]


async def test_the_model_answer_gets_the_screen(app: TrainerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.command_practice("canary-basics")
        await pilot.pause()
        screen = app.screen
        await answer(pilot, "small slice")
        await pilot.press("ctrl+o")
        await pilot.pause()
        box = screen.query_one("#model-box")
        assert box.display and box.size.height >= 15 and app.focused is box
        assert not screen.query_one("#score").display
        await pilot.press("escape")  # closes the model answer, stays on the card
        await pilot.pause()
        assert app.screen is screen and not box.display


async def test_a_draft_comes_back_wherever_it_was_typed(bank: Bank, data_dir: Path) -> None:
    """Issue 17: a draft on a follow-up came back only when you navigated to that exact
    follow-up. Practice now opens on the newest draft, with the cursor at its end."""
    app = TrainerApp(bank, History.open())
    async with app.run_test(size=SIZE) as pilot:
        app.command_practice("canary-basics.f1")
        await pilot.pause()
        screen = app.screen
        assert screen.session.standalone
        screen.query_one("#editor").focus()
        await pilot.press(*"one percent")
        await pilot.press("ctrl+q")
        await pilot.pause()
    again = TrainerApp(bank, History.open())
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await pilot.pause()
        editor = again.screen.query_one("#editor")
        assert again.screen.session.current.id == "canary-basics.f1"
        assert editor.text == "one percent"
        assert editor.cursor_location == editor.document.end
        await pilot.press(*" first")
        assert editor.text == "one percent first"


async def test_progress_tabs_plots_and_plurals(app: TrainerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.command_practice("canary-basics")
        await pilot.pause()
        await answer(pilot, "A small slice of traffic, compare with the baseline, roll back.")
        await pilot.press("escape")
        await pilot.pause()
        app.command_progress()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        summary = text(app, "#progress-summary")
        assert "Streak 1 day (longest 1 day)" in summary
        for tab, plot in (("3", "#score-plot"), ("4", "#load-plot"), ("5", "#retention-plot")):
            await pilot.press(tab)
            await pilot.pause()
            widget = app.screen.query_one(plot)
            assert widget.display and widget.size.height >= 15
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one("#mastery")
        assert table.get_row_at(0)[3] == "1/2"  # tried, visible at 80 columns
        assert table.size.width <= 80 and sum(c.get_render_width(table)
                                             for c in table.columns.values()) <= 78
