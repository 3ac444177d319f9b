"""Real processes against one history: kill -9 loses nothing committed, and two writers
at once both succeed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from trainer.study import History

ROOT = Path(__file__).resolve().parents[1]

WRITER = textwrap.dedent("""
    import sys
    from datetime import UTC, datetime
    from trainer.study import Attempt, ConceptOutcome, History, SpacedRepetition

    name, count = sys.argv[1], int(sys.argv[2])
    print("ready", flush=True)
    sys.stdin.readline()  # start together, so even creating the database races
    history = History.open()
    srs = SpacedRepetition.deterministic(history)
    for n in range(count):
        history.add_attempt(Attempt(
            item_id=f"{name}-{n}", answer="x" * 2000, score=n % 100,
            at=datetime.now(UTC), concepts=(ConceptOutcome("c", "missed"),)))
        # Every writer reviews the same card: a read-modify-write on one row.
        srs.review("shared-card", score=70)
        print(n + 1, flush=True)  # only after the commit
    history.close()
""")


def _spawn(name: str, count: int, data_dir: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "TRAINER_HOME": str(data_dir)}
    return subprocess.Popen([sys.executable, "-c", WRITER, name, str(count)], cwd=ROOT, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_kill_9_loses_nothing_committed(data_dir: Path) -> None:
    proc = _spawn("killed", 100_000, data_dir)
    assert proc.stdout is not None and proc.stdin is not None
    assert proc.stdout.readline().strip() == "ready"
    proc.stdin.write("go\n")
    proc.stdin.flush()
    committed = 0
    while committed < 150:
        committed = int(proc.stdout.readline())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    with History.open() as h:
        assert h.notice is None
        assert h.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = h.attempt_count()
        assert stored >= committed
        ids = {a.item_id for a in h.attempts()}
        assert {f"killed-{n}" for n in range(committed)} <= ids
        card = h.card("shared-card")
        assert card is not None and card.reps >= committed


def _run_together(procs: list[subprocess.Popen[str]], timeout: float) -> list[str]:
    """Start the writers on one signal so they really overlap; their stderr, all exit 0."""
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    errors = []
    for p in procs:
        _, err = p.communicate(timeout=timeout)
        assert p.returncode == 0, err
        errors.append(err)
    return errors


def test_two_processes_writing_at_once_both_succeed(data_dir: Path) -> None:
    count = 150
    for err in _run_together([_spawn(name, count, data_dir) for name in ("one", "two")], 120):
        assert "locked" not in err
    with History.open() as h:
        assert h.attempt_count() == 2 * count
        card = h.card("shared-card")
        # No lost update: every review of the shared card was applied on top of the last.
        assert card is not None and card.reps == 2 * count
        assert len(h.reviews("shared-card")) == 2 * count


def test_two_processes_creating_the_database_at_once(data_dir: Path) -> None:
    _run_together([_spawn(name, 5, data_dir) for name in ("a", "b", "c")], 60)
    with History.open() as h:
        assert h.attempt_count() == 15


@pytest.mark.parametrize("error", ["attempt to write a readonly database",
                                   "database or disk is full", "disk I/O error",
                                   "unable to open database file"])
def test_an_unwritable_history_is_never_moved_aside(tmp_path: Path, error: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only file, a full disk or an I/O error is not damage (reliability H12, H15)."""
    import sqlite3

    from trainer.study import History, HistoryError
    from trainer.study import db as dbmod

    path = tmp_path / "history.sqlite3"
    with History.open(path) as h:
        h.save_draft("q", "keep me")
    before = path.read_bytes()

    def failing(conn, p):  # noqa: ANN001, ANN202
        raise sqlite3.OperationalError(error)

    monkeypatch.setattr(dbmod, "_prepare", failing)
    with pytest.raises(HistoryError) as exc:
        History.open(path)
    assert "Nothing was changed" in str(exc.value)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.corrupt-*"))
    monkeypatch.undo()
    with History.open(path) as h:
        assert h.draft("q").text == "keep me"


def test_history_is_private_to_the_user(tmp_path: Path) -> None:
    import stat

    folder = tmp_path / "new-home"
    with History.open(folder / "history.sqlite3") as h:
        h.save_draft("q", "private")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for f in folder.glob("history.sqlite3*"):
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
