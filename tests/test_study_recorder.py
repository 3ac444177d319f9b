"""`trainer grade --record`: each graded line becomes an attempt (and a card review)."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trainer.commands import grade_cmd
from trainer.study import History, NewerDatabaseError
from trainer.study.migrations import LATEST


def _grade(small_bank: Path, tmp_path: Path, lines: list[dict[str, object]]) -> int:
    source = tmp_path / "answers.jsonl"
    source.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    args = argparse.Namespace(banks=[small_bank], no_builtin=True, question=None,
                              input=str(source), output=str(tmp_path / "out.jsonl"),
                              record=True)
    return grade_cmd.run(args)


def test_graded_lines_are_recorded(small_bank: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    rc = _grade(small_bank, tmp_path, [
        {"question": "canary-basics", "answer": "a small slice, compare to baseline",
         "mode": "mock", "duration": 95, "time": "2024-05-01T10:00:00+02:00",
         "self_rating": 3},
        {"question": "canary-basics.f1", "answer": "1% first", "time": "2024-05-01T08:30:00"},
        {"question": "term-canary", "answer": "not gradable"},
    ])
    assert rc == 1  # the glossary line failed to grade and is not recorded
    assert "recorded 2 attempts" in capsys.readouterr().err
    with History.open() as h:
        first, second = sorted(h.attempts(), key=lambda a: a.item_id)
        assert (first.item_id, first.mode, first.duration, first.self_rating) == (
            "canary-basics", "mock", 95.0, 3)
        assert first.at == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
        assert "Roll back when worse" in first.missed
        assert second.mode == "grade" and second.at == datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
        assert [r.item_id for r in h.reviews()] == ["canary-basics", "canary-basics.f1"]
        assert h.reviews("canary-basics")[0].rating == 3  # the self-rating wins


def test_bad_optional_keys_are_reported_and_ignored(small_bank: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    rc = _grade(small_bank, tmp_path, [
        {"question": "canary-basics", "answer": "roll back", "time": "yesterday",
         "duration": -3, "self_rating": 9}])
    assert rc == 0
    err = capsys.readouterr().err
    assert "ignoring time='yesterday'" in err and "duration=-3" in err and "self_rating=9" in err
    with History.open() as h:
        (a,) = h.attempts()
        assert a.duration is None and a.self_rating is None


def test_a_newer_database_stops_grading_with_exit_2(small_bank: Path, tmp_path: Path,
                                                    data_dir: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    conn = sqlite3.connect(data_dir / "history.sqlite3")
    conn.execute(f"PRAGMA user_version = {LATEST + 5}")
    conn.close()
    with pytest.raises(SystemExit) as stop:
        _grade(small_bank, tmp_path, [{"question": "canary-basics", "answer": "x"}])
    assert stop.value.code == 2
    assert "newer version of trainer" in capsys.readouterr().err
    with pytest.raises(NewerDatabaseError):
        History.open()
