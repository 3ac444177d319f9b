"""The one result object every face renders: CLI, app and exports.

A `ScoreResult` says what was matched (with the answer spans), what was missed (with
hints), which red flags fired, which steps came out of order, the 0-100 score and the
verdict. `to_dict()` is the JSON shape `trainer grade` writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

ConceptStatus = Literal["matched", "partial", "negated", "missed"]


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the answer: `answer[start:end] == text`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class ConceptResult:
    concept: str
    weight: int
    credit: float
    status: ConceptStatus
    keyword: str = ""
    spans: tuple[Span, ...] = ()
    hint: str = ""


@dataclass(frozen=True, slots=True)
class RedFlagResult:
    keyword: str
    why: str
    penalty: int
    span: Span


@dataclass(frozen=True, slots=True)
class OrderProblem:
    """Two outline steps given the wrong way round."""

    first: str
    then: str

    @property
    def message(self) -> str:
        return f"'{self.first}' should come before '{self.then}'"


@dataclass(frozen=True, slots=True)
class ScoreResult:
    item_id: str
    score: int
    verdict: str
    level: str | None
    concepts: tuple[ConceptResult, ...]
    red_flags: tuple[RedFlagResult, ...] = ()
    order_problems: tuple[OrderProblem, ...] = ()
    order_checked: bool = False
    drafted: bool = False

    @property
    def matched(self) -> tuple[ConceptResult, ...]:
        return tuple(c for c in self.concepts if c.status in ("matched", "partial"))

    @property
    def missed(self) -> tuple[ConceptResult, ...]:
        return tuple(c for c in self.concepts if c.status in ("missed", "negated"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "verdict": self.verdict,
            "matched": [
                {
                    "concept": c.concept,
                    "weight": c.weight,
                    "credit": round(c.credit, 2),
                    "keyword": c.keyword,
                    "spans": [[s.start, s.end, s.text] for s in c.spans],
                }
                for c in self.matched
            ],
            "missed": [
                {"concept": c.concept, "weight": c.weight, "hint": c.hint,
                 "negated": c.status == "negated",
                 "spans": [[s.start, s.end, s.text] for s in c.spans]}
                for c in self.missed
            ],
            "red_flags": [
                {"keyword": r.keyword, "why": r.why, "penalty": r.penalty,
                 "span": [r.span.start, r.span.end, r.span.text]}
                for r in self.red_flags
            ],
            "order_problems": [p.message for p in self.order_problems],
            "drafted_rubric": self.drafted,
        }
