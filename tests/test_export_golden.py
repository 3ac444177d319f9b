"""Golden files for every export format, from a small bank and a pinned history.

After an intended change to a template, regenerate and review the diff:

    TRAINER_REGEN_GOLDEN=1 python -m pytest tests/test_export_golden.py

The .apkg itself holds timestamps, so its golden file is the notes it contains (guid,
fields, tags) as JSON.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from study_support import EXPORT_BANK, FakeClock, bank_at, graded

from trainer.bank import Bank
from trainer.export import ExportOptions, export, render_sheet
from trainer.study import (
    ConceptTick,
    DimensionRating,
    FeedbackSheet,
    History,
    SpacedRepetition,
    record_answer,
)

GOLDEN = Path(__file__).parent / "data" / "export_golden"
REGEN = bool(os.environ.get("TRAINER_REGEN_GOLDEN"))


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
    assert path.exists(), f"missing {path}; run TRAINER_REGEN_GOLDEN=1 python -m pytest {__file__}"
    assert actual == path.read_bytes().decode("utf-8"), (
        f"{name} differs from the golden file; if intended, regenerate (see module docstring)")


def apkg_notes(path: Path) -> list[dict[str, object]]:
    """The notes inside an .apkg: a zip holding the Anki collection as SQLite."""
    with zipfile.ZipFile(path) as z, tempfile.TemporaryDirectory() as tmp:
        name = next(n for n in z.namelist() if n.startswith("collection.anki2"))
        db = Path(tmp) / "collection.anki2"
        db.write_bytes(z.read(name))
        conn = sqlite3.connect(db)
        try:
            rows = conn.execute("SELECT guid, flds, tags FROM notes ORDER BY id").fetchall()
        finally:
            conn.close()
    return [{"guid": g, "fields": f.split("\x1f"), "tags": t.split()} for g, f, t in rows]


@pytest.fixture
def bank(tmp_path: Path) -> Bank:
    path = tmp_path / "export.yaml"
    path.write_text(EXPORT_BANK, encoding="utf-8")
    return bank_at(path)


@pytest.fixture
def history(bank: Bank):  # type: ignore[no-untyped-def]
    clock = FakeClock()
    h = History.open(clock=clock)
    srs = SpacedRepetition.deterministic(h, bank, clock=clock)
    for item_id, answer in (("canary-basics", "roll back if worse"),
                            ("canary-basics.f1", "one percent, 1%")):
        record_answer(srs, item_id, answer, graded(bank, item_id, answer))
    yield h
    h.close()


@pytest.mark.parametrize("fmt", ["md", "html", "csv"])
def test_text_formats_match_golden(bank: Bank, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"study.{fmt}"
    export(bank, fmt, out, ExportOptions(title="Golden sheet"))
    check_golden(f"study.{fmt}", out.read_bytes().decode("utf-8"))


def test_markdown_with_history_matches_golden(bank: Bank, history: History,
                                              tmp_path: Path) -> None:
    out = tmp_path / "history.md"
    export(bank, "md", out, ExportOptions(title="Golden sheet", with_history=True), history)
    check_golden("study_with_history.md", out.read_text(encoding="utf-8"))


def test_anki_notes_match_golden(bank: Bank, tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    export(bank, "anki", out, ExportOptions())
    check_golden("anki_notes.json",
                 json.dumps(apkg_notes(out), indent=2, ensure_ascii=False) + "\n")


def _sheet() -> FeedbackSheet:
    return FeedbackSheet(
        id=7, item_ids=("canary-basics", "gone-item"), candidate="Ada", interviewer="Bob",
        created_at=datetime(2024, 3, 4, 9, 0, tzinfo=UTC),
        updated_at=datetime(2024, 3, 4, 10, 0, tzinfo=UTC),
        ticks=(ConceptTick("canary-basics", "Small slice of traffic", True),
               ConceptTick("gone-item", "Old concept", False)),
        notes="Clear structure; *rushed* the rollback part.",
        ratings=(DimensionRating("communication", 3, "clear | calm"),
                 DimensionRating("technical depth", 2)),
        would_hire=True, hire_level="mid", strengths="Starts from the blast radius.",
        improvements="Name the metrics compared.", self_rating=2, duration=1830)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_feedback_sheet_matches_golden(bank: Bank, fmt: str) -> None:
    check_golden(f"sheet.{fmt}", render_sheet(_sheet(), bank, fmt))
