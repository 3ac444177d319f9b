"""Numbered schema migrations for the history database.

`PRAGMA user_version` holds the number of the last migration applied. A migration is
append-only: never edit a released one, add the next number instead. `trainer.study.db`
applies the missing ones inside one write transaction when it opens the database.

Times are stored as ISO-8601 UTC text ("2024-05-01T09:30:00.000000+00:00"): readable in
any SQLite browser, and it sorts in time order, so range queries use the indexes.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, """
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            item_id TEXT NOT NULL,
            mode TEXT NOT NULL,
            answer TEXT NOT NULL,
            score INTEGER NOT NULL,
            verdict TEXT NOT NULL DEFAULT '',
            duration REAL,
            self_rating INTEGER,
            at TEXT NOT NULL
        );
        -- score rides along so "latest score per item" never touches the wide rows.
        CREATE INDEX attempts_item_at ON attempts(item_id, at, score);
        CREATE INDEX attempts_at ON attempts(at);
        -- Calibration reads only self-rated attempts; this keeps it off the wide rows too.
        CREATE INDEX attempts_self_rated ON attempts(at, self_rating, score)
            WHERE self_rating IS NOT NULL;

        -- One row per rubric concept per attempt, so "most missed" is one GROUP BY.
        CREATE TABLE attempt_concepts (
            attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
            concept TEXT NOT NULL,
            status TEXT NOT NULL,
            credit REAL NOT NULL,
            weight INTEGER NOT NULL
        );
        CREATE INDEX attempt_concepts_attempt ON attempt_concepts(attempt_id);
        CREATE INDEX attempt_concepts_concept ON attempt_concepts(concept, status);

        CREATE TABLE sheets (
            id INTEGER PRIMARY KEY,
            item_ids TEXT NOT NULL,
            candidate TEXT NOT NULL DEFAULT '',
            interviewer TEXT NOT NULL DEFAULT '',
            ticks TEXT NOT NULL DEFAULT '[]',
            notes TEXT NOT NULL DEFAULT '',
            ratings TEXT NOT NULL DEFAULT '[]',
            would_hire INTEGER,
            hire_level TEXT,
            strengths TEXT NOT NULL DEFAULT '',
            improvements TEXT NOT NULL DEFAULT '',
            self_rating INTEGER,
            duration REAL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE scenario_runs (
            id INTEGER PRIMARY KEY,
            scenario_id TEXT NOT NULL,
            seed INTEGER NOT NULL,
            actions TEXT NOT NULL,
            outcome TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT
        );
        CREATE INDEX scenario_runs_scenario ON scenario_runs(scenario_id, started_at);

        CREATE TABLE drafts (
            item_id TEXT PRIMARY KEY,
            text TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        -- Keyed by bank id, not by content, so editing a question keeps its history.
        CREATE TABLE cards (
            item_id TEXT PRIMARY KEY,
            card TEXT NOT NULL,
            due TEXT NOT NULL,
            state INTEGER NOT NULL,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0,
            last_lapse_day TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX cards_due ON cards(due);

        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            item_id TEXT NOT NULL,
            rating INTEGER NOT NULL,
            score INTEGER,
            self_rating INTEGER,
            duration_ms INTEGER,
            attempt_id INTEGER REFERENCES attempts(id) ON DELETE SET NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX reviews_item_at ON reviews(item_id, at);
        CREATE INDEX reviews_at ON reviews(at);
    """),
    (2, """
        -- "I covered that": the candidate says a missed concept is in their answer. The
        -- answer is kept with the claim so bank authors can grow the rubric's aliases.
        CREATE TABLE coverage_claims (
            id INTEGER PRIMARY KEY,
            attempt_id INTEGER REFERENCES attempts(id) ON DELETE SET NULL,
            item_id TEXT NOT NULL,
            concept TEXT NOT NULL,
            answer TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX coverage_claims_item ON coverage_claims(item_id, concept);
    """),
    (3, """
        -- FSRS parameters fitted to the user's own reviews (`trainer scheduler fit`). The
        -- newest row is the one the scheduler uses; older rows stay, to compare with.
        CREATE TABLE scheduler_parameters (
            id INTEGER PRIMARY KEY,
            parameters TEXT NOT NULL,
            reviews INTEGER NOT NULL,
            fitted_at TEXT NOT NULL,
            metrics TEXT NOT NULL DEFAULT '{}'
        );
    """),
    (4, """
        -- The timeline of a hosted interview (`trainer mock host`), kept with its feedback
        -- sheet: prompts asked, answer and note snapshots, ticks, ratings, in order. A JSON
        -- list nobody queries by; its own table so listing sheets never reads it.
        CREATE TABLE sheet_transcripts (
            sheet_id INTEGER PRIMARY KEY REFERENCES sheets(id) ON DELETE CASCADE,
            events TEXT NOT NULL DEFAULT '[]',
            updated_at TEXT NOT NULL
        );
    """),
)

LATEST = MIGRATIONS[-1][0]
