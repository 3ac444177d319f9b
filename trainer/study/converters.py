"""Converters between SQLite rows and study models, used only by the repository.

JSON columns hold the parts nobody queries by (ticks, ratings, actions, outcomes); the
parts stats aggregate (scores, concepts, times) are plain columns.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from .clock import from_text, optional_text, optional_time, to_text
from .models import (
    Attempt,
    CardRecord,
    ConceptOutcome,
    ConceptTick,
    DimensionRating,
    Draft,
    FeedbackSheet,
    Review,
    ScenarioRun,
    TranscriptEvent,
)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def attempt_params(a: Attempt) -> dict[str, Any]:
    return {"item_id": a.item_id, "mode": a.mode, "answer": a.answer, "score": a.score,
            "verdict": a.verdict, "duration": a.duration, "self_rating": a.self_rating,
            "at": to_text(a.at)}


def concept_params(attempt_id: int, c: ConceptOutcome) -> tuple[Any, ...]:
    return (attempt_id, c.concept, c.status, c.credit, c.weight)


def attempt_from_row(row: sqlite3.Row, concepts: list[sqlite3.Row]) -> Attempt:
    return Attempt(
        id=row["id"], item_id=row["item_id"], mode=row["mode"], answer=row["answer"],
        score=row["score"], verdict=row["verdict"], duration=row["duration"],
        self_rating=row["self_rating"], at=from_text(row["at"]),
        concepts=tuple(ConceptOutcome(c["concept"], c["status"], c["credit"], c["weight"])
                       for c in concepts),
    )


def sheet_params(s: FeedbackSheet) -> dict[str, Any]:
    return {
        "item_ids": dumps(list(s.item_ids)),
        "candidate": s.candidate,
        "interviewer": s.interviewer,
        "ticks": dumps([[t.item_id, t.concept, t.ticked] for t in s.ticks]),
        "notes": s.notes,
        "ratings": dumps([[r.dimension, r.rating, r.note] for r in s.ratings]),
        "would_hire": None if s.would_hire is None else int(s.would_hire),
        "hire_level": s.hire_level,
        "strengths": s.strengths,
        "improvements": s.improvements,
        "self_rating": s.self_rating,
        "duration": s.duration,
        "created_at": to_text(s.created_at),
        "updated_at": to_text(s.updated_at or s.created_at),
    }


def sheet_from_row(row: sqlite3.Row) -> FeedbackSheet:
    hire = row["would_hire"]
    return FeedbackSheet(
        id=row["id"],
        item_ids=tuple(json.loads(row["item_ids"])),
        candidate=row["candidate"],
        interviewer=row["interviewer"],
        ticks=tuple(ConceptTick(i, c, bool(t)) for i, c, t in json.loads(row["ticks"])),
        notes=row["notes"],
        ratings=tuple(DimensionRating(d, r, n) for d, r, n in json.loads(row["ratings"])),
        would_hire=None if hire is None else bool(hire),
        hire_level=row["hire_level"],
        strengths=row["strengths"],
        improvements=row["improvements"],
        self_rating=row["self_rating"],
        duration=row["duration"],
        created_at=from_text(row["created_at"]),
        updated_at=from_text(row["updated_at"]),
    )


def transcript_text(events: tuple[TranscriptEvent, ...]) -> str:
    return dumps([[e.at, e.kind, e.item_id, e.seq, e.text, e.value] for e in events])


def transcript_from_text(text: str) -> tuple[TranscriptEvent, ...]:
    return tuple(TranscriptEvent(float(at), kind, item_id, int(seq), body, value)
                 for at, kind, item_id, seq, body, value in json.loads(text))


def run_params(r: ScenarioRun) -> dict[str, Any]:
    return {"scenario_id": r.scenario_id, "seed": r.seed, "actions": dumps(list(r.actions)),
            "outcome": dumps(r.outcome), "started_at": to_text(r.started_at),
            "finished_at": optional_text(r.finished_at)}


def run_from_row(row: sqlite3.Row) -> ScenarioRun:
    return ScenarioRun(
        id=row["id"], scenario_id=row["scenario_id"], seed=row["seed"],
        actions=tuple(json.loads(row["actions"])), outcome=json.loads(row["outcome"]),
        started_at=from_text(row["started_at"]), finished_at=optional_time(row["finished_at"]),
    )


def draft_from_row(row: sqlite3.Row) -> Draft:
    return Draft(row["item_id"], row["text"], from_text(row["updated_at"]))


def card_params(c: CardRecord) -> dict[str, Any]:
    return {"item_id": c.item_id, "card": dumps(c.card), "due": to_text(c.due),
            "state": c.state, "reps": c.reps, "lapses": c.lapses,
            "last_lapse_day": c.last_lapse_day}


def card_from_row(row: sqlite3.Row) -> CardRecord:
    return CardRecord(item_id=row["item_id"], card=json.loads(row["card"]),
                      due=from_text(row["due"]), state=row["state"], reps=row["reps"],
                      lapses=row["lapses"], last_lapse_day=row["last_lapse_day"])


def review_params(r: Review) -> dict[str, Any]:
    return {"item_id": r.item_id, "rating": r.rating, "score": r.score,
            "self_rating": r.self_rating, "duration_ms": r.duration_ms,
            "attempt_id": r.attempt_id, "at": to_text(r.at)}


def review_from_row(row: sqlite3.Row) -> Review:
    return Review(id=row["id"], item_id=row["item_id"], rating=row["rating"],
                  score=row["score"], self_rating=row["self_rating"],
                  duration_ms=row["duration_ms"], attempt_id=row["attempt_id"],
                  at=from_text(row["at"]))
