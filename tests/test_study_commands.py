"""`trainer locate`, `trainer stats` and `trainer export`, run as the CLI will run them.

The parsers are wired into cli.py separately; here `add_parser` builds them on a parser
of our own and `run(args)` is called with the parsed namespace.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_export_golden import apkg_notes

from trainer.commands import export_cmd, grade_cmd, study_cmd
from trainer.study import DimensionRating, FeedbackSheet, History
from trainer.study.migrations import LATEST


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="trainer")
    parser.add_argument("--bank", dest="banks", action="append", type=Path, default=None)
    parser.add_argument("--no-builtin", dest="no_builtin", action="store_true")
    sub = parser.add_subparsers(dest="command")
    study_cmd.add_parser(sub)
    export_cmd.add_parser(sub)
    args = parser.parse_args(list(argv))
    args.banks = args.banks or []
    return args


def run(*argv: str) -> int:
    args = parse(*argv)
    module = export_cmd if args.command == "export" else study_cmd
    return module.run(args)


def record(small_bank: Path, tmp_path: Path) -> None:
    source = tmp_path / "mock.jsonl"
    source.write_text(
        json.dumps({"question": "canary-basics", "answer": "small slice, roll back",
                    "mode": "transcript", "self_rating": 4}) + "\n"
        + json.dumps({"question": "canary-basics.f1", "answer": "no clue"}) + "\n",
        encoding="utf-8")
    args = argparse.Namespace(banks=[small_bank], no_builtin=True, question=None,
                              input=str(source), output=str(tmp_path / "graded.jsonl"),
                              record=True)
    assert grade_cmd.run(args) == 0


def test_locate(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("locate", "--json") == 0
    where = json.loads(capsys.readouterr().out)
    assert where == {"data_dir": str(data_dir), "config_dir": str(data_dir / "config"),
                     "cache_dir": str(data_dir / "cache"),
                     "history": str(data_dir / "history.sqlite3")}
    assert run("locate") == 0
    assert f"history     {data_dir / 'history.sqlite3'}" in capsys.readouterr().out


def test_recorded_grades_show_in_stats(small_bank: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    record(small_bank, tmp_path)
    capsys.readouterr()
    assert run("stats", "--json", "--bank", str(small_bank), "--no-builtin") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["attempts"] == 2 and data["totals"]["reviews"] == 2
    missed = {m["concept"] for m in data["most_missed"]}
    assert missed == {"Compare with the baseline", "One to five percent"}
    assert data["calibration"]["n"] == 1
    assert run("stats", "--bank", str(small_bank), "--no-builtin") == 0
    text = capsys.readouterr().out
    assert text.startswith("2 attempts on 2 items, 2 reviews")
    assert "canary" in text and "One to five percent" in text and "calibration" in text


def test_stats_refuses_a_newer_database(data_dir: Path, small_bank: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    conn = sqlite3.connect(data_dir / "history.sqlite3")
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    assert run("stats", "--bank", str(small_bank), "--no-builtin") == 2
    assert "newer version of trainer" in capsys.readouterr().err


def test_stats_recovers_from_a_corrupt_database(data_dir: Path, small_bank: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (data_dir / "history.sqlite3").write_bytes(b"garbage" * 1000)
    assert run("stats", "--bank", str(small_bank), "--no-builtin") == 0
    err = capsys.readouterr().err
    assert "could not be read" in err and "history.sqlite3.corrupt-" in err


@pytest.mark.parametrize("fmt", ["md", "html", "anki", "csv"])
def test_export_every_format(small_bank: Path, tmp_path: Path, fmt: str,
                             capsys: pytest.CaptureFixture[str]) -> None:
    record(small_bank, tmp_path)
    out = tmp_path / f"out.{fmt}"
    assert run("export", "--format", fmt, "--with-history", "--bank", str(small_bank),
               "--no-builtin", "-o", str(out)) == 0
    assert "2 cards from 1 question" in capsys.readouterr().err
    if fmt == "anki":
        notes = apkg_notes(out)
        assert [n["fields"][0] for n in notes] == ["canary-basics", "canary-basics.f1",
                                                    "term-canary"]  # the glossary note type
        assert "Your last attempt" in notes[1]["fields"][2]  # type: ignore[index]
    else:
        assert "Your last attempt" in out.read_text(encoding="utf-8")


def test_export_to_stdout_and_filters(small_bank: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert run("export", "--format", "md", "--level", "mid", "--bank", str(small_bank),
               "--no-builtin") == 0
    assert capsys.readouterr().out.startswith("# Deployment interview study sheet")
    assert run("export", "--format", "md", "--due", "--bank", str(small_bank),
               "--no-builtin") == 0
    assert "nothing matched" in capsys.readouterr().err


def test_export_errors(small_bank: Path, tmp_path: Path,
                       capsys: pytest.CaptureFixture[str]) -> None:
    bank = ["--bank", str(small_bank), "--no-builtin"]
    assert run("export", "--format", "md", "--topic", "nope", *bank) == 2
    assert "no cards have topic nope; topics: canary" in capsys.readouterr().err
    assert run("export", "--format", "anki", *bank) == 2
    assert "-o PATH.apkg" in capsys.readouterr().err
    assert run("export", "sheet", "--format", "md", *bank) == 2
    assert run("export", "sheet", "41", "--format", "md", *bank) == 2
    assert "no feedback sheet 41" in capsys.readouterr().err
    assert run("export", "sheet", "1", "--format", "csv", *bank) == 2
    with pytest.raises(SystemExit):
        parse("export", "--format", "md", "--weakest", "0")


def test_export_sheet(small_bank: Path, tmp_path: Path,
                      capsys: pytest.CaptureFixture[str]) -> None:
    with History.open() as h:
        sheet = h.save_sheet(FeedbackSheet(
            item_ids=("canary-basics",), created_at=datetime(2024, 3, 4, tzinfo=UTC),
            candidate="<b>Ada</b>", ratings=(DimensionRating("depth", 3),), would_hire=False))
    bank = ["--bank", str(small_bank), "--no-builtin"]
    out = tmp_path / "sheet.html"
    assert run("export", "sheet", str(sheet.id), "--format", "html", "-o", str(out), *bank) == 0
    html = out.read_text(encoding="utf-8")
    assert "&lt;b&gt;Ada&lt;/b&gt;" in html and "<b>Ada" not in html
    assert "Would hire:</strong> no" in html
    assert run("export", "sheet", str(sheet.id), "--format", "md", *bank) == 0
    assert "- [ ] Small slice of traffic *(not assessed)*" in capsys.readouterr().out


def test_export_never_replaces_a_file_without_force(tmp_path: Path, capsys) -> None:
    """Reliability F8: `-o notes.txt` of an existing file is refused, exit 2."""
    from trainer.cli import main

    notes = tmp_path / "notes.txt"
    notes.write_text("my own notes", encoding="utf-8")
    assert main(["export", "--format", "anki", "-o", str(notes)]) == 2
    assert "exists; add --force" in capsys.readouterr().err
    assert notes.read_text(encoding="utf-8") == "my own notes"
    assert main(["export", "--format", "md", "-o", str(notes), "--force"]) == 0
    assert "<details>" in notes.read_text(encoding="utf-8")
