"""The history repository: round trips, migrations, corrupt and newer databases."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from study_support import START, FakeClock

from trainer.study import (
    Attempt,
    ConceptOutcome,
    ConceptTick,
    DimensionRating,
    FeedbackSheet,
    History,
    HistoryError,
    NewerDatabaseError,
    ScenarioRun,
    default_path,
)
from trainer.study.db import statements
from trainer.study.migrations import LATEST, MIGRATIONS


def attempt(item_id: str = "q1", score: int = 50, **kw: object) -> Attempt:
    return Attempt(item_id=item_id, answer="an answer", score=score,
                   at=kw.pop("at", START), **kw)  # type: ignore[arg-type]


def test_lives_in_the_data_dir_with_wal_and_schema_version(data_dir: Path) -> None:
    with History.open() as h:
        assert h.path == data_dir / "history.sqlite3" == default_path()
        assert h.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert h.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
        assert h.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert h.notice is None


def test_migrations_are_numbered_in_order_and_split_cleanly() -> None:
    numbers = [n for n, _ in MIGRATIONS]
    assert numbers == list(range(1, len(numbers) + 1))
    for _, script in MIGRATIONS:
        assert all(s.rstrip().endswith(";") for s in statements(script))


def test_reopening_does_not_migrate_again() -> None:
    History.open().close()
    with History.open() as h:
        tables = {r[0] for r in h.conn.execute("SELECT name FROM sqlite_master "
                                               "WHERE type = 'table'")}
    assert {"attempts", "attempt_concepts", "sheets", "scenario_runs", "drafts", "cards",
            "reviews"} <= tables


def test_attempt_round_trip_with_concepts() -> None:
    concepts = (ConceptOutcome("Canary", "matched", 1.0, 3),
                ConceptOutcome("Rollback", "negated", 0.0, 1))
    a = attempt(concepts=concepts, mode="mock", verdict="partial", duration=42.5,
                self_rating=3)
    with History.open() as h:
        saved = h.add_attempt(a)
        assert saved.id is not None
        got = h.attempt(saved.id)
    assert got == saved
    assert got.hit == ("Canary",) and got.missed == ("Rollback",)


def test_attempts_filters_and_last_attempts() -> None:
    with History.open() as h:
        for n in range(3):
            h.add_attempt(attempt("q1", score=10 * n, at=START + timedelta(hours=n)))
        h.add_attempt(attempt("q2", score=77))
        assert [a.score for a in h.attempts("q1")] == [20, 10, 0]
        assert [a.score for a in h.attempts(since=START + timedelta(hours=1))] == [20, 10]
        assert len(h.attempts(limit=2)) == 2
        last = h.last_attempts()
        assert last["q1"].score == 20 and last["q2"].score == 77
        assert set(h.last_attempts(["q2"])) == {"q2"}
        assert h.recent_scores(2) == {"q1": [20, 10], "q2": [77]}
        assert h.attempt_count() == 4


def test_naive_times_are_refused() -> None:
    with History.open() as h, pytest.raises(ValueError, match="naive"):
        h.add_attempt(attempt(at=START.replace(tzinfo=None)))


def test_self_rating_must_be_one_to_four() -> None:
    with pytest.raises(ValueError):
        attempt(self_rating=5)


def test_feedback_sheet_round_trip_and_update() -> None:
    clock = FakeClock()
    sheet = FeedbackSheet(
        item_ids=("q1", "q1.f1"), created_at=START, candidate="Ada", interviewer="Bob",
        ticks=(ConceptTick("q1", "Canary", True), ConceptTick("q1", "Rollback", False)),
        notes="Good pacing", ratings=(DimensionRating("communication", 3, "clear"),
                                      DimensionRating("depth", 2)),
        would_hire=True, hire_level="senior", strengths="structure", improvements="depth",
        self_rating=2, duration=1800.0)
    with History.open(clock=clock) as h:
        saved = h.save_sheet(sheet)
        assert saved.id is not None
        assert h.sheet(saved.id) == saved
        clock.advance(minutes=5)
        updated = h.save_sheet(
            FeedbackSheet(**{**_fields(saved), "notes": "Better", "would_hire": None}))
        got = h.sheet(saved.id)
        assert got == updated and got.notes == "Better" and got.would_hire is None
        assert got.created_at == START and got.updated_at == clock.now
        assert got.mean_rating == 2.5
        assert [s.id for s in h.sheets()] == [saved.id]
        assert h.sheet(999) is None


def _fields(obj: object) -> dict[str, object]:
    return {f: getattr(obj, f) for f in obj.__dataclass_fields__}  # type: ignore[attr-defined]


def test_dimension_ratings_are_one_to_four() -> None:
    with pytest.raises(ValueError, match="depth"):
        DimensionRating("depth", 0)


def test_scenario_run_round_trip_and_progress() -> None:
    run = ScenarioRun(scenario_id="scn-1", seed=7, started_at=START,
                      actions=({"do": "check dashboards", "t": 2},))
    with History.open() as h:
        saved = h.save_scenario_run(run)
        done = h.save_scenario_run(ScenarioRun(
            **{**_fields(saved), "actions": saved.actions + ({"do": "roll back", "t": 5},),
               "outcome": {"resolved": True, "minutes": 5},
               "finished_at": START + timedelta(minutes=5)}))
        assert h.scenario_runs("scn-1") == [done]
        assert h.scenario_runs() == [done]
        assert h.scenario_runs("other") == []


def test_drafts_upsert_and_delete() -> None:
    clock = FakeClock()
    with History.open(clock=clock) as h:
        h.save_draft("q1", "first")
        clock.advance(seconds=3)
        h.save_draft("q1", "first words")
        d = h.draft("q1")
        assert d is not None and d.text == "first words" and d.updated_at == clock.now
        assert [x.item_id for x in h.drafts()] == ["q1"]
        h.delete_draft("q1")
        assert h.draft("q1") is None


def test_failed_transaction_leaves_nothing() -> None:
    with History.open() as h:
        with pytest.raises(RuntimeError), h.transaction():
            h.add_attempt(attempt())
            raise RuntimeError("boom")
        assert h.attempt_count() == 0


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100,
                                     b"SQLite format 3\x00" + b"\xff" * 5000],
                         ids=["garbage", "bad-header"])
def test_corrupt_database_is_moved_aside(data_dir: Path, content: bytes) -> None:
    path = data_dir / "history.sqlite3"
    path.write_bytes(content)
    (data_dir / "history.sqlite3-wal").write_bytes(b"stale")
    with History.open() as h:
        assert h.notice is not None and "moved to" in h.notice
        assert h.attempt_count() == 0
        h.add_attempt(attempt())
    aside = [p for p in data_dir.iterdir() if ".corrupt-" in p.name]
    kept = next(p for p in aside if p.name.endswith("Z"))
    assert kept.read_bytes() == content
    assert (kept.parent / (kept.name + "-wal")).read_bytes() == b"stale"
    assert str(kept) in (h.notice or "")


def test_damaged_pages_are_caught(data_dir: Path) -> None:
    with History.open() as h:
        for n in range(300):
            h.add_attempt(attempt(score=n % 100))
        h.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = data_dir / "history.sqlite3"
    raw = bytearray(path.read_bytes())
    page = 4096
    for p in range(1, len(raw) // page):  # keep the header page, scramble the rest
        raw[p * page + 8:p * page + 200] = b"\xa5" * 192
    path.write_bytes(bytes(raw))
    with History.open() as h:
        assert h.notice is not None
        assert h.attempt_count() == 0


def test_newer_database_is_refused_and_left_alone(data_dir: Path) -> None:
    path = data_dir / "history.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError, match="newer version"):
        History.open()
    assert path.read_bytes() == before
    assert sorted(p.name for p in data_dir.iterdir()) == ["history.sqlite3"]


@pytest.mark.parametrize(("version", "tables", "message"), [
    (1, "CREATE TABLE attempts (x)", "lacks attempt_concepts.attempt_id"),
    (0, "CREATE TABLE notes (body TEXT)", "already holds other tables: notes"),
    (-5, "CREATE TABLE t (x)", "already holds other tables: t"),
])
def test_another_programs_database_is_refused_and_left_alone(
        data_dir: Path, version: int, tables: str, message: str) -> None:
    """Reliability H10, H11: a sound database that is not a trainer history (wrong tables
    at our version, or somebody's own tables) is neither used, migrated nor moved."""
    path = data_dir / "history.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(tables)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(HistoryError, match=message):
        History.open()
    assert path.read_bytes() == before
    assert sorted(p.name for p in data_dir.iterdir()) == ["history.sqlite3"]


def test_a_write_the_disk_refuses_leaves_no_transaction_open(data_dir: Path) -> None:
    """After SQLITE_FULL the transaction is already rolled back: the error that reaches
    the caller is the full disk, and the next write works once there is room."""
    with History.open() as h:
        pages = h.conn.execute("PRAGMA page_count").fetchone()[0]
        h.conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(sqlite3.OperationalError, match="full"):
            h.add_attempt(replace(attempt(), answer="x" * 100_000))
        assert not h.conn.in_transaction
        h.conn.execute("PRAGMA max_page_count = 1000000")
        assert h.add_attempt(attempt()).id is not None


def test_self_rating_can_be_added_after_the_score() -> None:
    with History.open() as h:
        saved = h.add_attempt(attempt())
        h.set_self_rating(saved.id, 2)  # type: ignore[arg-type]
        assert h.attempt(saved.id).self_rating == 2  # type: ignore[arg-type, union-attr]
        with pytest.raises(ValueError):
            h.set_self_rating(saved.id, 0)  # type: ignore[arg-type]
        with pytest.raises(KeyError):
            h.set_self_rating(12345, 3)


def test_one_history_shared_with_worker_threads() -> None:
    import threading

    errors: list[BaseException] = []
    with History.open() as h:
        def work(n: int) -> None:
            try:
                for k in range(50):
                    with h.transaction():
                        h.add_attempt(attempt(f"t{n}-{k}"))
                    h.attempts(limit=5)
            except BaseException as exc:  # reported below, with the thread's traceback
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert h.attempt_count() == 200
