"""Bank text is data: markup in it never acts, styles or crashes (reliability A1-A6)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from trainer.bank import load_bank
from trainer.study import History
from trainer.tui.app import TrainerApp

HOSTILE = "[@click=app.quit]CLICK[/] [link=file:///etc/passwd]x[/link] [/] [b]list[str]"


@pytest.fixture
def hostile_bank(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(textwrap.dedent(f"""\
        questions:
          - id: hostile
            code: "Q-[b]1"
            title: "{HOSTILE}"
            topics: [canary]
            level: mid
            prompt: "{HOSTILE} What do you do?"
            tests: "{HOSTILE}"
            model_answer: Roll back.
            strong_answer: "{HOSTILE}"
            rubric:
              - concept: "{HOSTILE}"
                keywords: [roll back, revert]
            misconceptions:
              - keywords: [debug in production first]
                why: "{HOSTILE}"
                correction: "{HOSTILE}"
        scenarios:
          - id: scn-hostile
            title: "{HOSTILE}"
            briefing: "{HOSTILE}"
            first_action: Roll back.
            debrief: Roll back.
            signals: ["{HOSTILE}"]
            reveals:
              - name: "{HOSTILE}"
                shows: "{HOSTILE}"
        glossary:
          - term: "{HOSTILE}"
            definition: A term.
        """), encoding="utf-8")
    return path


async def test_markup_in_bank_text_is_shown_literally(hostile_bank: Path,
                                                      data_dir: Path) -> None:
    app = TrainerApp(load_bank([hostile_bank], builtin=False), History.open())
    async with app.run_test(size=(100, 40)) as pilot:
        app.command_practice("hostile")
        await pilot.pause()
        prompt = app.screen.query_one("#prompt")
        assert "[@click=app.quit]CLICK[/]" in str(prompt.render())
        app.screen.query_one("#editor").text = "I would debug in production first."
        await pilot.press("ctrl+s")
        await pilot.pause()
        summary = str(app.screen.query_one("#summary").render())
        assert "[link=file:///etc/passwd]" in summary and "list[str]" in summary
        await pilot.press("escape")
        await pilot.pause()
        app.command_mock("hostile")
        await pilot.pause()
        assert "[@click=app.quit]" in str(app.screen.query_one("#mock-prompt").render())
        await pilot.press("escape")
        await pilot.pause()
        app.command_scenario("scn-hostile")  # a tabletop drill: it has no simulation
        await pilot.pause()
        assert type(app.screen).__name__ == "TabletopScreen"
        assert "[@click=app.quit]" in str(app.screen.query_one("#briefing").render())
        await pilot.press("enter")  # reveal the first investigation
        await pilot.pause()
        assert "[link=file:///etc/passwd]" in str(app.screen.query_one("#findings").render())
        app.command_glossary()
        await pilot.pause()
        assert app.is_running  # nothing crashed and no action ran


async def test_links_open_only_http_after_a_confirmation(hostile_bank: Path, data_dir: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """Markdown links in bank text (reliability A11)."""
    from textual.app import App

    opened: list[str] = []
    monkeypatch.setattr(App, "open_url", lambda self, url, new_tab=True: opened.append(url))
    app = TrainerApp(load_bank([hostile_bank], builtin=False), History.open())
    async with app.run_test(size=(100, 40)) as pilot:
        app.open_url("file:///etc/passwd")
        app.open_url("ms-msdt:/id PCWDiagnostic")
        await pilot.pause()
        assert opened == []
        app.open_url("https://example.org/docs")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmOpen"
        await pilot.press("n")
        await pilot.pause()
        assert opened == []
        app.open_url("https://example.org/docs")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert opened == ["https://example.org/docs"]
