"""`History`: the one class in front of the history database.

The app, the CLI (`trainer stats`, `trainer export`, `trainer grade --record`), the
scheduler (`trainer.study.srs`) and progress (`trainer.study.progress`) all go through it.
Every write is its own short BEGIN IMMEDIATE transaction, committed before the method
returns, so what a method wrote survives a crash right after it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from trainer import paths

from . import converters as cv
from .cardstore import CardStore
from .clock import Clock, from_text, to_text, utcnow
from .db import DB_NAME, migrate, open_database
from .models import (
    Attempt,
    CoverageClaim,
    Draft,
    FeedbackSheet,
    ScenarioRun,
    TranscriptEvent,
    check_rating,
)


def default_path() -> Path:
    return paths.data_dir() / DB_NAME


class History(CardStore):
    """Study history: attempts, feedback sheets, scenario runs, drafts, cards and reviews."""

    def __init__(self, conn: sqlite3.Connection, path: Path, notice: str | None = None,
                 clock: Clock = utcnow) -> None:
        self.conn = conn
        self.path = path
        self.notice = notice
        """Set when a damaged database was moved aside on open; show it to the user."""
        self.clock = clock
        self.lock = threading.RLock()
        """Held for every query and transaction: the app uses one History from its UI
        thread and from worker threads, and a transaction must not swallow another
        thread's writes."""
        self._depth = 0

    @classmethod
    def open(cls, path: Path | None = None, *, clock: Clock = utcnow) -> History:
        """Open (creating or migrating) the database; raises `HistoryError` when unusable."""
        path = path or default_path()
        conn, notice = open_database(path)
        return cls(conn, path, notice, clock)

    @classmethod
    def unsaved(cls, reason: str, path: Path | None = None, *,
                clock: Clock = utcnow) -> History:
        """A history in memory, for when the real one cannot be used: the app still opens
        for practice, and `notice` says that nothing will be kept, and why."""
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        migrate(conn)
        notice = (f"Your history cannot be saved ({reason}). You can practise, but nothing "
                  "you do now will be kept.")
        history = cls(conn, path or default_path(), notice, clock)
        history.saving = False
        return history

    saving = True  # False for `unsaved()` histories

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; nested uses join the outer one."""
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self.conn
                self._depth = 0
                self.conn.execute("COMMIT")
            except BaseException:
                self._depth = 0
                # SQLite has already rolled back after some errors (a full disk, an I/O
                # error); a second ROLLBACK would hide the real cause behind its own.
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def _all(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        with self.lock:
            return self.conn.execute(sql, params).fetchall()

    # -- attempts ---------------------------------------------------------------------

    def add_attempt(self, attempt: Attempt) -> Attempt:
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO attempts (item_id, mode, answer, score, verdict, duration, "
                "self_rating, at) VALUES (:item_id, :mode, :answer, :score, :verdict, "
                ":duration, :self_rating, :at)", cv.attempt_params(attempt))
            attempt_id = cur.lastrowid
            assert attempt_id is not None
            conn.executemany("INSERT INTO attempt_concepts VALUES (?, ?, ?, ?, ?)",
                             [cv.concept_params(attempt_id, c) for c in attempt.concepts])
        return replace(attempt, id=attempt_id)

    def attempts(self, item_id: str | None = None, *, since: datetime | None = None,
                 limit: int | None = None) -> list[Attempt]:
        """Attempts, newest first, optionally for one item and/or since a time."""
        where, params = [], []
        if item_id is not None:
            where.append("item_id = ?")
            params.append(item_id)
        if since is not None:
            where.append("at >= ?")
            params.append(to_text(since))
        sql = "SELECT * FROM attempts"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY at DESC, id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self._with_concepts(self._all(sql, params))

    def attempt(self, attempt_id: int) -> Attempt | None:
        found = self._with_concepts(self._all("SELECT * FROM attempts WHERE id = ?",
                                              (attempt_id,)))
        return found[0] if found else None

    def last_attempts(self, item_ids: Iterable[str] | None = None) -> dict[str, Attempt]:
        """The latest attempt of each item (of every item when `item_ids` is None)."""
        rows = self._all(
            "SELECT a.* FROM attempts a JOIN (SELECT item_id, max(at) AS at FROM attempts "
            "GROUP BY item_id) m ON a.item_id = m.item_id AND a.at = m.at ORDER BY a.id")
        wanted = None if item_ids is None else set(item_ids)
        rows = [r for r in rows if wanted is None or r["item_id"] in wanted]
        return {a.item_id: a for a in self._with_concepts(rows)}

    def recent_scores(self, per_item: int = 3) -> dict[str, list[int]]:
        """The latest `per_item` scores of every attempted item, newest first."""
        rows = self._all(
            "SELECT item_id, score FROM (SELECT item_id, score, row_number() OVER "
            "(PARTITION BY item_id ORDER BY at DESC, id DESC) AS n FROM attempts) "
            "WHERE n <= ? ORDER BY item_id, n", (per_item,))
        out: dict[str, list[int]] = {}
        for r in rows:
            out.setdefault(r["item_id"], []).append(r["score"])
        return out

    def score_summary(self) -> dict[str, tuple[int, int, int]]:
        """(attempts, latest score, best score) of every attempted item."""
        # SQLite's bare-column rule: with max(at), `score` comes from the latest row.
        rows = self._all("SELECT item_id, count(*), score, max(at), "
                         "(SELECT max(score) FROM attempts b WHERE b.item_id = a.item_id) "
                         "FROM attempts a GROUP BY item_id")
        return {r[0]: (r[1], r[2], r[4]) for r in rows}

    def set_self_rating(self, attempt_id: int, self_rating: int | None) -> None:
        """Add (or clear) the candidate's own 1-4 rating once they have seen the score."""
        check_rating(self_rating, "self_rating")
        with self.transaction() as conn:
            cur = conn.execute("UPDATE attempts SET self_rating = ? WHERE id = ?",
                               (self_rating, attempt_id))
            if cur.rowcount == 0:
                raise KeyError(f"no attempt {attempt_id}")

    def rescore_attempt(self, attempt: Attempt) -> None:
        """Replace an attempt's score, verdict and concepts (after "I covered that")."""
        assert attempt.id is not None
        with self.transaction() as conn:
            cur = conn.execute("UPDATE attempts SET score = ?, verdict = ? WHERE id = ?",
                               (attempt.score, attempt.verdict, attempt.id))
            if cur.rowcount == 0:
                raise KeyError(f"no attempt {attempt.id}")
            conn.execute("DELETE FROM attempt_concepts WHERE attempt_id = ?", (attempt.id,))
            conn.executemany("INSERT INTO attempt_concepts VALUES (?, ?, ?, ?, ?)",
                             [cv.concept_params(attempt.id, c) for c in attempt.concepts])

    # -- coverage claims ("I covered that") -----------------------------------------------

    def add_claim(self, claim: CoverageClaim) -> CoverageClaim:
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO coverage_claims (attempt_id, item_id, concept, answer, at) "
                "VALUES (?, ?, ?, ?, ?)",
                (claim.attempt_id, claim.item_id, claim.concept, claim.answer,
                 to_text(claim.at)))
        return replace(claim, id=cur.lastrowid)

    def claims(self, item_id: str | None = None) -> list[CoverageClaim]:
        sql = "SELECT * FROM coverage_claims"
        params: tuple[str, ...] = ()
        if item_id is not None:
            sql += " WHERE item_id = ?"
            params = (item_id,)
        return [CoverageClaim(r["item_id"], r["concept"], r["answer"], from_text(r["at"]),
                              r["attempt_id"], r["id"])
                for r in self._all(sql + " ORDER BY id", params)]

    def write_problem(self) -> str | None:
        """Why nothing could be written now (read-only file or folder, full disk, lock),
        or None. Takes and releases the write lock; writes nothing."""
        try:
            with self.lock:
                self.conn.execute("BEGIN IMMEDIATE")
                self.conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            return str(exc)
        return None

    def attempt_count(self) -> int:
        count: int = self._all("SELECT count(*) FROM attempts")[0][0]
        return count

    def _with_concepts(self, rows: list[sqlite3.Row]) -> list[Attempt]:
        if not rows:
            return []
        by_attempt: dict[int, list[sqlite3.Row]] = {r["id"]: [] for r in rows}
        ids = list(by_attempt)
        for start in range(0, len(ids), 500):  # SQLite caps bound parameters per query
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for c in self._all(f"SELECT * FROM attempt_concepts WHERE attempt_id IN ({marks}) "
                               "ORDER BY rowid", chunk):
                by_attempt[c["attempt_id"]].append(c)
        return [cv.attempt_from_row(r, by_attempt[r["id"]]) for r in rows]

    # -- feedback sheets --------------------------------------------------------------

    def save_sheet(self, sheet: FeedbackSheet,
                   transcript: Iterable[TranscriptEvent] | None = None) -> FeedbackSheet:
        """Insert a new sheet (id None) or update an existing one; returns it with its id.
        A `transcript` (a hosted interview's timeline) is written in the same transaction,
        replacing the one kept before."""
        sheet = replace(sheet, updated_at=self.clock())
        params = cv.sheet_params(sheet)
        cols = list(params)
        with self.transaction() as conn:
            if sheet.id is None:
                cur = conn.execute(
                    f"INSERT INTO sheets ({', '.join(cols)}) "
                    f"VALUES ({', '.join(':' + c for c in cols)})", params)
                sheet = replace(sheet, id=cur.lastrowid)
            else:
                sets = ", ".join(f"{c} = :{c}" for c in cols if c != "created_at")
                cur = conn.execute(f"UPDATE sheets SET {sets} WHERE id = :id",
                                   {**params, "id": sheet.id})
                if cur.rowcount == 0:
                    raise KeyError(f"no feedback sheet {sheet.id}")
            if transcript is not None:
                self._write_transcript(conn, sheet.id, tuple(transcript))
        return sheet

    def save_transcript(self, sheet_id: int, transcript: Iterable[TranscriptEvent]) -> None:
        """Replace the transcript kept with a saved sheet (`KeyError` when there is none)."""
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM sheets WHERE id = ?", (sheet_id,)).fetchone() is None:
                raise KeyError(f"no feedback sheet {sheet_id}")
            self._write_transcript(conn, sheet_id, tuple(transcript))

    def _write_transcript(self, conn: sqlite3.Connection, sheet_id: int | None,
                          events: tuple[TranscriptEvent, ...]) -> None:
        conn.execute("INSERT INTO sheet_transcripts VALUES (?, ?, ?) ON CONFLICT(sheet_id) "
                     "DO UPDATE SET events = excluded.events, updated_at = excluded.updated_at",
                     (sheet_id, cv.transcript_text(events), to_text(self.clock())))

    def transcript(self, sheet_id: int) -> tuple[TranscriptEvent, ...] | None:
        """The timeline kept with a sheet; None for a sheet without one (one-screen mode)."""
        rows = self._all("SELECT events FROM sheet_transcripts WHERE sheet_id = ?",
                         (sheet_id,))
        return cv.transcript_from_text(rows[0]["events"]) if rows else None

    def sheets_with_transcript(self) -> set[int]:
        return {r["sheet_id"] for r in self._all("SELECT sheet_id FROM sheet_transcripts")}

    def sheet(self, sheet_id: int) -> FeedbackSheet | None:
        rows = self._all("SELECT * FROM sheets WHERE id = ?", (sheet_id,))
        return cv.sheet_from_row(rows[0]) if rows else None

    def sheets(self) -> list[FeedbackSheet]:
        return [cv.sheet_from_row(r) for r in
                self._all("SELECT * FROM sheets ORDER BY created_at DESC, id DESC")]

    # -- scenario runs ----------------------------------------------------------------

    def save_scenario_run(self, run: ScenarioRun) -> ScenarioRun:
        """Insert a run (id None) or update it as it progresses; returns it with its id."""
        params = cv.run_params(run)
        with self.transaction() as conn:
            if run.id is None:
                cur = conn.execute(
                    "INSERT INTO scenario_runs (scenario_id, seed, actions, outcome, "
                    "started_at, finished_at) VALUES (:scenario_id, :seed, :actions, "
                    ":outcome, :started_at, :finished_at)", params)
                return replace(run, id=cur.lastrowid)
            cur = conn.execute(
                "UPDATE scenario_runs SET scenario_id = :scenario_id, seed = :seed, "
                "actions = :actions, outcome = :outcome, started_at = :started_at, "
                "finished_at = :finished_at WHERE id = :id", {**params, "id": run.id})
            if cur.rowcount == 0:
                raise KeyError(f"no scenario run {run.id}")
        return run

    def scenario_runs(self, scenario_id: str | None = None) -> list[ScenarioRun]:
        if scenario_id is None:
            rows = self._all("SELECT * FROM scenario_runs ORDER BY started_at DESC, id DESC")
        else:
            rows = self._all("SELECT * FROM scenario_runs WHERE scenario_id = ? "
                             "ORDER BY started_at DESC, id DESC", (scenario_id,))
        return [cv.run_from_row(r) for r in rows]

    # -- drafts -----------------------------------------------------------------------

    def save_draft(self, item_id: str, text: str, at: datetime | None = None) -> Draft:
        draft = Draft(item_id, text, at or self.clock())
        with self.transaction() as conn:
            conn.execute("INSERT INTO drafts VALUES (?, ?, ?) ON CONFLICT(item_id) DO UPDATE "
                         "SET text = excluded.text, updated_at = excluded.updated_at",
                         (item_id, text, to_text(draft.updated_at)))
        return draft

    def draft(self, item_id: str) -> Draft | None:
        rows = self._all("SELECT * FROM drafts WHERE item_id = ?", (item_id,))
        return cv.draft_from_row(rows[0]) if rows else None

    def drafts(self) -> list[Draft]:
        return [cv.draft_from_row(r) for r in
                self._all("SELECT * FROM drafts ORDER BY updated_at DESC")]

    def delete_draft(self, item_id: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM drafts WHERE item_id = ?", (item_id,))
