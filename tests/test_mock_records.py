"""What a mock interview leaves behind: the hosted session's transcript saved with its
sheet (migration 4), `trainer sheets`, `trainer export sheet ID` with the transcript,
and the one-screen mode's draft of an interview in progress."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trainer import cli
from trainer.application import Workspace
from trainer.application.mock_draft import PREFIX, MockDraft
from trainer.bank import load_bank
from trainer.export import render_sheet
from trainer.remote.access import AccessError, parse_join_line
from trainer.remote.hub import Hub
from trainer.remote.protocol import Answer
from trainer.remote.transcript import to_transcript
from trainer.study import ConceptTick, DimensionRating, FeedbackSheet, History, TranscriptEvent
from trainer.study.db import statements
from trainer.study.migrations import LATEST, MIGRATIONS

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
QID = "canary-basics"


def sheet(**kw: object) -> FeedbackSheet:
    fields: dict[str, object] = {
        "item_ids": (QID, f"{QID}.f1"), "created_at": NOW, "candidate": "Ada",
        "interviewer": "Bob", "ticks": (ConceptTick(QID, "Small slice of traffic", True),
                                        ConceptTick(QID, "Roll back when worse", False)),
        "ratings": (DimensionRating("Communication", 3), DimensionRating("Depth", 4)),
        "self_rating": 2, "notes": "steady"}
    return FeedbackSheet(**{**fields, **kw})  # type: ignore[arg-type]


def timeline() -> tuple[TranscriptEvent, ...]:
    """A hosted interview's timeline, made by a real hub on a fake clock."""
    now = [0.0]
    hub = Hub("code", clock=lambda: now[0])
    bank = load_bank()
    question = bank.questions[0]
    hub.set_clock(0.0, True)
    hub.ask(question)
    for at, text in ((4.0, "roll"), (12.0, "roll back <script>")):
        now[0] = at
        hub._receive(Answer(1, text))  # as the candidate's typing arrives
    now[0] = 20.0
    hub.note("hesitant")
    now[0] = 30.0
    hub.note("hesitant on metrics")
    hub.tick(question.id, question.rubric[0].concept, True)
    now[0] = 65.0
    hub.ask(question.follow_ups[0], question)
    now[0] = 90.0
    hub.end()
    return to_transcript(hub.timeline)


# ---- the history --------------------------------------------------------------------


def test_the_transcript_is_saved_with_the_sheet_and_kept_up_to_date() -> None:
    events = timeline()
    assert [e.kind for e in events][:2] == ["clock-started", "question"]
    with History.open() as h:
        saved = h.save_sheet(sheet(), events)
        assert saved.id is not None
        assert h.transcript(saved.id) == events
        plain = h.save_sheet(sheet(candidate="Cy"))  # one-screen mode: no transcript
        assert h.transcript(plain.id) is None
        assert h.sheets_with_transcript() == {saved.id}
        later = (*events, TranscriptEvent(95.0, "interviewer-rating", text="kind", value=4))
        h.save_transcript(saved.id, later)
        assert h.transcript(saved.id) == later
        h.save_sheet(saved)  # saving the sheet again without one keeps it
        assert h.transcript(saved.id) == later
        with pytest.raises(KeyError):
            h.save_transcript(999, events)


def test_an_unknown_event_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown transcript event"):
        TranscriptEvent(1.0, "teleported")


def test_a_version_3_history_upgrades_and_keeps_its_sheets(data_dir: Path) -> None:
    path = data_dir / "history.sqlite3"
    conn = sqlite3.connect(path)
    for number, script in MIGRATIONS[:3]:
        for statement in statements(script):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")
    conn.execute("INSERT INTO sheets (item_ids, candidate, notes, created_at, updated_at) "
                 "VALUES ('[\"canary-basics\"]', 'Ada', 'kept', '2026-11-30T10:00:00.000000"
                 "+00:00', '2026-11-30T10:00:00.000000+00:00')")
    conn.execute("INSERT INTO drafts VALUES ('net-l4-vs-l7', 'half an answer', "
                 "'2026-11-30T10:00:00.000000+00:00')")
    conn.commit()
    conn.close()
    with History.open() as h:
        assert h.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST == 4
        [old] = h.sheets()
        assert (old.candidate, old.notes, old.item_ids) == ("Ada", "kept", ("canary-basics",))
        assert h.draft("net-l4-vs-l7").text == "half an answer"
        assert h.transcript(old.id) is None
        h.save_transcript(old.id, timeline())
        assert h.transcript(old.id)


def test_the_workspace_saves_sheet_and_transcript_in_one_call(data_dir: Path) -> None:
    workspace = Workspace(load_bank(), History.open())
    events = timeline()
    saved = workspace.save_feedback(sheet(), events)
    assert saved.id is not None and workspace.history.transcript(saved.id) == events
    workspace.save_transcript(saved.id, events[:3])
    assert workspace.history.transcript(saved.id) == events[:3]
    workspace.close()


def test_a_mock_draft_round_trip_and_what_is_not_kept(data_dir: Path) -> None:
    workspace = Workspace(load_bank(), History.open())
    question = workspace.bank.questions[0]
    draft = MockDraft(question.id, (question.id,), ((question.id, "x", True),), "notes", 3,
                      42.0, {"strengths": "calm", "ratings": [3, None, None, None]})
    workspace.save_mock_draft(draft)
    assert workspace.mock_draft(question.id) == draft
    assert workspace.latest_mock_draft() == question.id
    assert workspace.latest_draft() is None  # practice never resumes a mock interview
    workspace.save_mock_draft(MockDraft(question.id, (question.id,)))  # nothing in it
    assert workspace.mock_draft(question.id) is None
    workspace.history.save_draft(PREFIX + question.id, "{not json")
    assert workspace.mock_draft(question.id) is None  # a damaged draft is no crash
    workspace.discard_mock_draft(question.id)
    assert workspace.latest_mock_draft() is None
    workspace.close()


# ---- the report -----------------------------------------------------------------------


def test_the_report_ends_with_a_readable_transcript() -> None:
    bank = load_bank()
    question = bank.questions[0]
    events = (*timeline(), TranscriptEvent(100.0, "interviewer-rating", text="<b>kind</b>",
                                           value=4))
    md = render_sheet(sheet(id=7, item_ids=(question.id,)), bank, "md", events)
    transcript = md.split("## Transcript", 1)[1]
    assert f"- `0:00` Asked the question: {question.prompt.split()[0]}" in transcript
    assert "- `0:04` The candidate started typing." in transcript
    assert "- `0:20` Note: hesitant" in transcript and "- `0:30` Note: on metrics" in transcript
    assert f"- `0:30` Ticked: {question.rubric[0].concept}" in transcript
    assert "The answer as last typed (at 0:12, 3 words):" in transcript
    assert "  > roll back &lt;script>" in transcript
    assert "- `1:05` Asked a follow-up:" in transcript
    assert "- `1:30` No answer was typed." in transcript
    assert "- `1:30` The interviewer ended the interview." in transcript
    assert "rated the interviewer 4/4" in transcript
    assert "Clock" not in transcript  # the first start of the clock is no news
    html = render_sheet(sheet(id=7, item_ids=(question.id,)), bank, "html", events)
    assert "<h2>Transcript</h2>" in html and "<script>" not in html and "<b>kind" not in html
    assert "roll back &lt;script&gt;" in html
    assert "Transcript" not in render_sheet(sheet(id=7), bank, "md")  # one-screen sheet


# ---- the commands ---------------------------------------------------------------------


def test_trainer_sheets_lists_and_export_sheet_has_the_transcript(
        data_dir: Path, small_bank: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    bank = ["--no-builtin", "--bank", str(small_bank)]
    assert cli.main(["sheets", *bank]) == 0
    assert "No feedback sheets yet" in capsys.readouterr().out
    with History.open() as h:
        hosted = h.save_sheet(sheet(), timeline())
        h.save_sheet(sheet(item_ids=(QID,), candidate="", interviewer="", ratings=(),
                           created_at=NOW.replace(day=2)))
    assert cli.main(["sheets", *bank]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "2 feedback sheets, newest first:"
    assert out[1].split() == ["id", "date", "question", "candidate", "/", "interviewer",
                              "score"]
    assert out[2].split()[:2] == ["2", "2026-12-02"] and "- / -" in out[2]
    assert out[2].endswith("unrated · 1/2 ticked")
    assert "What is a canary (+1)" in out[3] and "Ada / Bob" in out[3]
    assert out[3].endswith("3.5/4 · 1/2 ticked · transcript")
    assert cli.main(["sheets", "--json", *bank]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [s["transcript"] for s in listed["sheets"]] == [False, True]
    assert listed["sheets"][1]["question"] == "What is a canary"

    target = tmp_path / "sheet.md"
    assert cli.main(["export", "sheet", str(hosted.id), "--format", "md", "-o", str(target),
                     *bank]) == 0
    report = target.read_text(encoding="utf-8")
    assert "## Transcript" in report and "Asked a follow-up" in report
    assert cli.main(["export", "sheet", str(hosted.id), "--format", "html", *bank]) == 0
    assert "<h2>Transcript</h2>" in capsys.readouterr().out


def test_a_join_line_parses_for_the_role_swap() -> None:
    assert parse_join_line("trainer join 127.0.0.1:7879 k7m2q-9xd4h") == (
        "127.0.0.1", 7879, "k7m2q-9xd4h")
    assert parse_join_line(" [::1]:7879  CODE ") == ("::1", 7879, "CODE")
    for bad in ("", "trainer join 127.0.0.1:7879", "127.0.0.1 CODE", "a:b:c x y"):
        with pytest.raises(AccessError):
            parse_join_line(bad)
