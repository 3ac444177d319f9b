"""Opening the history database safely: WAL, busy timeout, migrations, recovery.

Called by `History.open()` only. The rules it enforces:
- a database written by a newer trainer (user_version above ours) is refused with
  `NewerDatabaseError` before anything is written to it, not even the WAL switch;
- a file that is not a database, or fails the integrity check, is renamed to
  `history.sqlite3.corrupt-<timestamp>` (with its -wal/-shm files) and a fresh database is
  created; the caller gets a notice to show. A read-only file or folder, a full disk or an
  I/O error is no damage: nothing is renamed and `HistoryError` says why;
- WAL with synchronous=NORMAL keeps every committed transaction through a kill -9 (only
  a power cut can lose the last few), and lets readers run beside one writer;
- a busy timeout makes a second writing process wait its turn instead of failing with
  "database is locked"; writes use BEGIN IMMEDIATE so they never deadlock on upgrade.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from .migrations import LATEST, MIGRATIONS

DB_NAME = "history.sqlite3"
BUSY_TIMEOUT_S = 15.0
SIDE_FILES = ("-wal", "-shm", "-journal")


class HistoryError(Exception):
    """The history database cannot be used; the message says why and what to do."""


class NewerDatabaseError(HistoryError):
    """The database was written by a newer trainer; it is left exactly as it is."""


def open_database(path: Path) -> tuple[sqlite3.Connection, str | None]:
    """A ready connection, and a notice for the user when a damaged file was moved aside."""
    try:
        # Answers and self-ratings are private: the folder is the user's alone, and so is
        # the file (SQLite gives its -wal and -shm files the same mode).
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise HistoryError(f"cannot create the data folder {path.parent}: {exc.strerror}") from exc
    conn = _connect(path)
    try:
        _prepare(conn, path)
        return conn, None
    except sqlite3.DatabaseError as exc:
        if _is_busy(exc):
            conn.close()
            raise HistoryError(f"{path} stayed locked by another program for "
                               f"{BUSY_TIMEOUT_S:.0f} s; close it and try again") from exc
        if not _is_damage(exc):
            # Read-only file or folder, full disk, I/O error: the file is fine, so it is
            # never renamed; the user is told why it cannot be used.
            conn.close()
            raise HistoryError(f"cannot use the history database {path}: {exc}. Nothing "
                               "was changed; fix the cause (permissions, free space) or "
                               "point --data-dir elsewhere.") from exc
        # Moved while still open: on close SQLite deletes a WAL it could not use, and that
        # WAL may hold the very transactions someone will want to recover.
        try:
            aside = move_aside(path)
        finally:
            conn.close()
        notice = (f"the history database {path} could not be read ({exc}); it was moved to "
                  f"{aside} and a fresh one was started")
    except BaseException:
        conn.close()
        raise
    conn = _connect(path)
    try:
        _prepare(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise HistoryError(f"cannot create a history database at {path}: {exc}") from exc
    return conn, notice


def move_aside(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    try:
        path.rename(aside)
        # A stale WAL beside a fresh database would be replayed into it, so it goes too.
        for suffix in SIDE_FILES:
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.rename(aside.with_name(aside.name + suffix))
    except OSError as exc:
        raise HistoryError(f"the history database {path} is unreadable and could not be "
                           f"moved aside: {exc.strerror}") from exc
    return aside


_DAMAGE = ("malformed", "not a database", "integrity check failed", "encrypted",
           "file is not", "unsupported file format")


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    """Is the file itself broken (as opposed to unwritable, full, or locked)?"""
    text = str(exc).lower()
    return any(marker in text for marker in _DAMAGE)


def _is_busy(exc: sqlite3.DatabaseError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _connect(path: Path) -> sqlite3.Connection:
    try:
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves (History.transaction).
        # check_same_thread=False: History serialises use with its own lock, so the app's
        # worker threads (exports, stats) can share the UI thread's connection.
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error as exc:
        raise HistoryError(f"cannot open {path}: {exc}") from exc
    conn.row_factory = sqlite3.Row
    return conn


def _prepare(conn: sqlite3.Connection, path: Path) -> None:
    # The version and the tables are read in one read transaction: another process may be
    # creating the history at this moment, and its tables seen beside the version read
    # before its commit would look like somebody else's database.
    _retry_busy(lambda: conn.execute("BEGIN"))
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > LATEST:
            raise NewerDatabaseError(
                f"{path} was written by a newer version of trainer (schema {version}; this "
                f"version knows up to {LATEST}). Upgrade trainer, or point --data-dir at "
                "another folder; the file was not changed.")
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError(f"integrity check failed: {check}")
        _check_tables(conn, path, version)
    except BaseException:
        if conn.in_transaction:
            with suppress(sqlite3.Error):  # the first error is the one to report
                conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    _retry_busy(lambda: _use_wal(conn))
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    if version < LATEST:
        migrate(conn)


@cache
def _expected_tables(version: int) -> dict[str, frozenset[str]]:
    """Each table's columns after migrations up to `version`, read off a scratch copy."""
    scratch = sqlite3.connect(":memory:")
    try:
        for number, script in MIGRATIONS:
            if number <= version:
                scratch.executescript(script)
        return _tables(scratch)
    finally:
        scratch.close()


def _tables(conn: sqlite3.Connection) -> dict[str, frozenset[str]]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {n: frozenset(r[1] for r in conn.execute(f"PRAGMA table_info({n!r})"))
            for n in names}


def _check_tables(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Refuse a database that is sound but is not a trainer history (another program's
    file, or one edited by hand): using it would fail later, and migrating it would write
    our tables into somebody else's data. It is not damaged, so it is left alone."""
    have = _tables(conn)
    if version <= 0:
        problem = "it already holds other tables: " + ", ".join(sorted(have)) if have else ""
    else:
        want = _expected_tables(version)
        gaps = [f"{t}.{c}" for t, cols in sorted(want.items())
                for c in sorted(cols - have.get(t, frozenset()))]
        problem = f"it lacks {', '.join(gaps[:3])}{' ...' if len(gaps) > 3 else ''}" if gaps else ""
    if problem:
        raise HistoryError(
            f"{path} is an SQLite database but not a trainer history ({problem}). Nothing "
            "was changed; move it away or point --data-dir at another folder.")


def _use_wal(conn: sqlite3.Connection) -> None:
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode != "wal":
            raise sqlite3.OperationalError(f"could not switch to WAL (journal mode is {mode})")


def _retry_busy(step: Callable[[], object], tries: int = 50) -> None:
    # Switching to WAL needs a moment of exclusive access, which SQLite does not wait for
    # through the busy handler when two processes create the database at the same time.
    for n in range(tries):
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or n == tries - 1:
                raise
            time.sleep(0.05)


def migrate(conn: sqlite3.Connection) -> None:
    """Apply the missing migrations in one transaction (another process may race us)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for number, script in MIGRATIONS:
            if number > version:
                for statement in statements(script):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number:d}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def statements(script: str) -> Iterator[str]:
    """The SQL statements of a script, for running inside our own transaction
    (`executescript` would commit it first)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            yield buf.strip()
            buf = ""
    rest = "\n".join(ln for ln in buf.splitlines() if not ln.strip().startswith("--"))
    if rest.strip():
        raise ValueError(f"incomplete SQL statement in migration: {rest.strip()[:60]}")
