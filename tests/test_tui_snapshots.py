"""A few SVG snapshots under a pinned configuration: 80x24, default theme, fresh data
folder, frozen timers. Regenerate with: python -m pytest tests/test_tui_snapshots.py
--snapshot-update (then look at the SVGs before committing)."""

from __future__ import annotations

import pytest

from trainer.bank import load_bank
from trainer.study import History
from trainer.tui.app import TrainerApp
from trainer.tui.widgets.timer import CountdownTimer

SIZE = (80, 24)


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> TrainerApp:
    monkeypatch.setattr(CountdownTimer, "elapsed", property(lambda self: 0.0))
    app = TrainerApp(load_bank(), History.open())
    app.theme = "textual-dark"
    # The rating keys show intervals; FSRS's random fuzz would change them run to run.
    app.workspace.srs.scheduler.enable_fuzzing = False
    return app


def test_home(snap_compare, app: TrainerApp) -> None:
    assert snap_compare(app, terminal_size=SIZE)


def test_practice_scored(snap_compare, app: TrainerApp) -> None:
    async def answer(pilot) -> None:
        app.command_practice("deploy-error-spike-mid-rollout")
        await pilot.pause()
        app.screen.query_one("#editor").text = (
            "I would roll back right away with kubectl rollout undo and check the error rate "
            "returns to the 0.3% baseline; I would not debug in production first.")
        await pilot.press("ctrl+s")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=answer)


def test_glossary(snap_compare, app: TrainerApp) -> None:
    async def search(pilot) -> None:
        app.command_glossary()
        await pilot.pause()
        await pilot.press(*"canary")
        await pilot.pause()
        # A steady cursor: a blinking one is caught on or off by chance.
        app.screen.query_one("#glossary-search").cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=search)


def test_practice_model_answer(snap_compare, app: TrainerApp) -> None:
    """ctrl+o: the model answer and outline get the screen (issue 17: a 5-row box)."""
    async def reveal(pilot) -> None:
        app.command_practice("deploy-error-spike-mid-rollout")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=reveal)


def test_browse(snap_compare, app: TrainerApp) -> None:
    async def browse(pilot) -> None:
        app.command_browse()
        await pilot.pause()  # mounted: its worker has started
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=browse)


def test_progress_topics(snap_compare, app: TrainerApp) -> None:
    """The % and tried columns fit at 80x24 (issue 17)."""
    async def progress(pilot) -> None:
        app.command_progress()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=progress)
