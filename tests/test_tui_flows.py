"""Pilot tests: each flow of the app driven end to end with the keyboard, in 80x24."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.application import Workspace
from trainer.bank import Bank, load_bank
from trainer.study import History
from trainer.tui.app import TrainerApp

SIZE = (80, 24)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


@pytest.fixture
def app(bank: Bank, data_dir: Path) -> TrainerApp:
    return TrainerApp(bank, History.open())


async def type_text(pilot, selector: str, text: str) -> None:  # noqa: ANN001
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.press(*[c if c != " " else "space" for c in text])


async def test_home_shows_modes_and_due(app: TrainerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        stats = str(app.screen.query_one("#stats").render())
        assert "Due today" in stats and "Streak" in stats


async def test_practice_through_two_follow_ups(app: TrainerApp) -> None:
    qid = "deploy-error-spike-mid-rollout"
    async with app.run_test(size=SIZE) as pilot:
        app.command_practice(qid)
        await pilot.pause()
        screen = app.screen
        assert screen.session.current.id == qid
        await type_text(pilot, "#editor", "Roll back first, then investigate")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.submitted and screen.has_class("-scored")
        await pilot.press("4")  # self-rating: Easy
        await pilot.press("ctrl+o")
        assert screen.has_class("-revealed")
        for n in (1, 2):
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert screen.session.current.id == f"{qid}.f{n}"
            assert not screen.submitted
            screen.query_one("#editor").text = "Check the deploy marker and the rollback policy."
            await pilot.press("ctrl+s")
            await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    history = app.history
    attempts = history.attempts()
    assert {a.item_id for a in attempts} == {qid, f"{qid}.f1", f"{qid}.f2"}
    assert all(a.mode == "practice" for a in attempts)
    reviews = {r.item_id: r for r in history.reviews()}
    assert reviews[qid].self_rating == 4 and reviews[qid].rating == 4
    assert set(reviews) == {qid, f"{qid}.f1", f"{qid}.f2"}


async def test_quitting_mid_answer_keeps_the_draft(app: TrainerApp, data_dir: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.command_practice("net-l4-vs-l7")
        await pilot.pause()
        await type_text(pilot, "#editor", "L4 balances TCP")
        await pilot.press("ctrl+q")
        await pilot.pause()
    with History.open() as history:
        assert history.draft("net-l4-vs-l7").text == "L4 balances TCP"
    again = TrainerApp(app.workspace.bank, History.open())
    async with again.run_test(size=SIZE) as pilot:
        again.command_practice("net-l4-vs-l7")
        await pilot.pause()
        assert again.screen.query_one("#editor").text == "L4 balances TCP"


async def test_mock_interview_to_saved_sheet(app: TrainerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.command_mock("deploy-error-spike-mid-rollout")
        await pilot.pause()
        screen = app.screen
        checklist = screen.query_one("#checklist")
        checklist.focus()
        await pilot.press("space", "down", "space")  # tick the first two concepts
        interviewer = screen.query_one("#interviewer")
        assert interviewer.display
        await pilot.press("ctrl+l")  # candidate view hides the rubric and notes
        await pilot.pause()
        assert not interviewer.display
        await pilot.press("3")  # the candidate's private self-rating
        await pilot.press("ctrl+l", "ctrl+n")
        await pilot.pause()
        assert screen.session.current.id == "deploy-error-spike-mid-rollout.f1"
        await pilot.press("ctrl+e")
        await pilot.pause()
        sheet_screen = app.screen
        assert type(sheet_screen).__name__ == "FeedbackScreen"
        sheet_screen.query_one("#dim0").value = 3
        sheet_screen.query_one("#hire").value = True
        sheet_screen.query_one("#hire-level").value = "senior"
        sheet_screen.query_one("#strengths").text = "Rolled back first."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert sheet_screen.saved is not None
    sheet = app.history.sheet(sheet_screen.saved.id)
    assert sheet.self_rating == 3 and sheet.would_hire is True and sheet.hire_level == "senior"
    assert sum(t.ticked for t in sheet.ticks) == 2
    assert sheet.item_ids == ("deploy-error-spike-mid-rollout",
                              "deploy-error-spike-mid-rollout.f1")
    assert sheet.strengths == "Rolled back first."


async def test_tabletop_scenario(app: TrainerApp) -> None:
    scenario = next(s for s in app.workspace.bank.scenarios if s.simulation is None)
    async with app.run_test(size=SIZE) as pilot:
        app.command_scenario(scenario.id)
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "TabletopScreen"
        await pilot.press("enter")  # investigate the first lead
        await pilot.pause()
        assert screen.minutes == scenario.reveals[0].minutes
        assert scenario.reveals[0].shows[:30] in str(screen.query_one("#findings").render())
        await pilot.press("ctrl+d")
        screen.query_one("#decision").text = scenario.first_action
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.finished
    runs = app.history.scenario_runs(scenario.id)
    assert runs and runs[0].outcome["mode"] == "tabletop" and runs[0].outcome["score"] > 0


async def test_export_from_the_dialog(app: TrainerApp, tmp_path: Path) -> None:
    target = tmp_path / "sheet.md"
    async with app.run_test(size=SIZE) as pilot:
        app.command_export("md")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#export-path").value = str(target)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
    text = target.read_text(encoding="utf-8")
    assert "<details>" in text and "model answer" in text.lower()


async def test_export_asks_before_replacing_a_file(app: TrainerApp, tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    target.write_text("my own notes", encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        app.command_export("md")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#export-path").value = str(target)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is dialog
        assert "exists" in str(dialog.query_one("#export-status").render())
        assert target.read_text(encoding="utf-8") == "my own notes"
        await pilot.press("ctrl+s")  # the second press replaces it
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
    assert "<details>" in target.read_text(encoding="utf-8")


async def test_glossary_search(app: TrainerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.command_glossary()
        await pilot.pause()
        await type_text(pilot, "#glossary-search", "blast")
        await pilot.pause()
        terms = app.screen.query_one("#terms")
        first = terms.get_option_at_index(0)
        assert "Blast" in str(first.prompt)


async def test_help_lists_the_screen_bindings(app: TrainerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.command_practice()
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        from trainer.tui.screens.help import bindings_markdown

        text = bindings_markdown(app.screen.source, app)
        for words in ("Submit", "Model answer", "Skip question", "Help", "Quit"):
            assert words in text


async def test_command_palette_finds_a_scenario(app: TrainerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"scenario: S-01")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.scenario.code == "S-01"


async def test_simulated_scenario_with_rollback_and_counterfactual(app: TrainerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.command_scenario("S-01")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "SimulationScreen"
        await pilot.press("0")  # stop the clock: the test drives time itself
        with screen._sim_lock:
            screen.sim.step(6 * 60 + 30)  # to 23:47:30, the page
        await pilot.press("u")  # roll back
        await pilot.pause()
        assert screen.plan and screen.plan[0].endswith("undo")
        assert screen.sim.actions[-1].accepted
        await pilot.press("a")  # Kubernetes has no abort: refused with the tool's reason
        await pilot.pause()
        assert not screen.sim.actions[-1].accepted
        with screen._sim_lock:
            screen.sim.run()
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.comparison is not None
        text = screen._outcome_markdown()
        assert "| yours |" in text and "| recommended |" in text
        screen.query_one("#sim-explain").text = (
            "Error rate was 18% against a 0.3% baseline right after the deploy, so I rolled "
            "back with kubectl rollout undo first, then confirmed recovery and would "
            "investigate the diff after.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.result is not None and screen.result.score > 0
    runs = app.history.scenario_runs("scn-order-service-1147pm")
    assert runs[0].outcome["mode"] == "simulation"
    assert runs[0].actions[0].endswith("undo")
    # What was played live replays bit for bit from the recorded seed and actions, and the
    # rollback spared users compared with doing nothing.
    from trainer.sim import compare, plan_outcomes

    scenario = app.workspace.bank.find_scenario("S-01")
    replayed = compare(scenario, list(runs[0].actions), runs[0].seed).yours
    assert runs[0].outcome["users_affected"] == replayed.users_affected
    nothing = plan_outcomes(scenario, runs[0].seed)["nothing"]
    assert replayed.users_affected < nothing.users_affected


async def test_a_mode_chosen_while_loading_opens_when_ready(bank: Bank) -> None:
    import threading

    release = threading.Event()

    def load() -> Workspace:
        release.wait(5)
        return Workspace(bank, History.open())

    app = TrainerApp(load=load)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.loaded
        assert "Loading" in str(app.screen.query_one("#stats").render())
        await pilot.press("p")  # chosen before the bank is there
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "PracticeScreen"


async def test_a_failed_load_ends_the_app_with_its_reason(data_dir: Path) -> None:
    from trainer.bank import BankError, Problem

    def load() -> Workspace:
        raise BankError([Problem("bank.yaml", 3, "something is wrong")])

    app = TrainerApp(load=load)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.return_code == 2
    assert app.failure == "bank.yaml:3: something is wrong\n1 problem found"


async def test_an_unexpected_error_saves_the_work_and_is_logged(
    app: TrainerApp, data_dir: Path
) -> None:
    def broken() -> None:
        raise RuntimeError("boom")

    app.action_help = broken  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f1")
            await pilot.pause()
    assert app.return_code == 1
    assert "RuntimeError: boom" in (data_dir / "errors.log").read_text()
    assert app.crash_report and "errors.log" in app.crash_report


async def test_i_covered_that_rescores_and_is_stored(app: TrainerApp) -> None:
    qid = "deploy-error-spike-mid-rollout"
    async with app.run_test(size=SIZE) as pilot:
        app.command_practice(qid)
        await pilot.pause()
        screen = app.screen
        screen.query_one("#editor").text = "I'd get everyone back onto the old build first."
        await pilot.press("ctrl+s")
        await pilot.pause()
        before = screen.session.pending.result
        missed = screen.session.claimable()
        assert missed
        await pilot.press("c")
        await pilot.pause()
        assert type(app.screen).__name__ == "ClaimCovered"
        await pilot.press("enter")  # the first not-fully-credited concept
        await pilot.pause()
        assert app.screen is screen
        after = screen.session.pending.result
        claimed = next(c for c in after.concepts if c.concept == missed[0])
        assert claimed.status == "self" and after.score > before.score
        summary = str(screen.query_one("#summary").render())
        assert "you said you covered it" in summary
        await pilot.press("escape")
        await pilot.pause()
    history = app.history
    attempt = history.attempts(qid)[0]
    assert attempt.score == after.score
    assert [(c.item_id, c.concept) for c in history.claims()] == [(qid, missed[0])]
    assert history.reviews(qid)[0].score == after.score


async def test_a_small_terminal_gets_a_notice(app: TrainerApp) -> None:
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert any("laid out for 80x24" in str(n.message) for n in app._notifications)


async def test_a_disk_that_fills_mid_session_is_told_and_loses_nothing(
        app: TrainerApp) -> None:
    """Reliability H15/H17 in the app: SQLite's own "database or disk is full" (from a
    page limit) never crashes it; the answer stays, and is saved once there is room."""
    qid = "deploy-error-spike-mid-rollout"
    history = app.history
    async with app.run_test(size=SIZE) as pilot:
        app.command_practice(qid)
        await pilot.pause()
        screen = app.screen
        pages = history.conn.execute("PRAGMA page_count").fetchone()[0]
        history.conn.execute(f"PRAGMA max_page_count = {pages}")
        screen.query_one("#editor").text = "Roll back first, then investigate. " * 300
        screen.save_draft_now()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "disk is full" in app.unsaved["your answer"] and not screen.submitted
        assert any("Could not save" in str(n.message) for n in app._notifications)
        assert not history.attempts()
        await pilot.press("ctrl+q")  # the first ctrl+q warns instead of quitting
        await pilot.pause()
        assert app.is_running and screen.session.current.id == qid
        history.conn.execute("PRAGMA max_page_count = 1000000")  # space freed
        screen.save_draft_now()
        assert not app.unsaved and "Roll back first" in history.draft(qid).text
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.submitted and [a.item_id for a in history.attempts()] == [qid]
        await pilot.press("escape")
        await pilot.pause()


async def test_an_imported_flashcard_is_practised_by_self_rating(tmp_path: Path,
                                                                data_dir: Path) -> None:
    """`grading: self` items (imported prose no rubric fits): no score, the rating counts."""
    cards = tmp_path / "cards.yaml"
    cards.write_text("questions:\n  - id: fc-anycast\n    prompt: What is anycast?\n"
                     "    model_answer: One address announced from many places.\n"
                     "    grading: self\n", encoding="utf-8")
    app = TrainerApp(load_bank([cards], builtin=False), History.open())
    async with app.run_test(size=SIZE) as pilot:
        app.command_practice("fc-anycast")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#editor").text = "the same IP from several sites"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "self-rated flashcard" in str(screen.query_one("#summary").render())
        await pilot.press("4")
        await pilot.press("ctrl+n")
        await pilot.pause()
    (attempt,) = app.workspace.history.attempts()
    assert attempt.score == 100 and attempt.self_rating == 4
    assert [r.rating for r in app.workspace.history.reviews()] == [4]
