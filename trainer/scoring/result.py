"""The one result object every face renders: CLI, app and exports.

A `ScoreResult` says what was matched (with the answer spans), what was missed (with
hints), which red flags fired, which steps came out of order, the 0-100 score and the
verdict. `to_dict()` is the JSON shape `trainer grade` writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

# matched: stated and explained; partial: only named, or only part of the phrase; negated:
# said negatively; missed; self: the candidate says the answer covered it ("I covered that").
ConceptStatus = Literal["matched", "partial", "negated", "missed", "self"]
Evidence = Literal["explained", "named", "partial", "self", ""]


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
    evidence: Evidence = ""
    core: bool = True


@dataclass(frozen=True, slots=True)
class MisconceptionResult:
    """A wrong claim heard in the answer, why it is wrong and the correct rule."""

    keyword: str
    why: str
    penalty: int
    span: Span
    correction: str = ""


RedFlagResult = MisconceptionResult  # the older name


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
    misconceptions: tuple[MisconceptionResult, ...] = ()
    order_problems: tuple[OrderProblem, ...] = ()
    order_checked: bool = False
    drafted: bool = False
    # Feedback about the answer as a whole ("you named X, Y and Z but did not say...").
    notices: tuple[str, ...] = ()
    # A drafted rubric's quality estimate, 0..1 (1.0 for authored rubrics).
    rubric_quality: float = 1.0

    @property
    def red_flags(self) -> tuple[MisconceptionResult, ...]:
        return self.misconceptions

    @property
    def named_only(self) -> tuple[ConceptResult, ...]:
        return tuple(c for c in self.concepts if c.evidence == "named")

    @property
    def matched(self) -> tuple[ConceptResult, ...]:
        return tuple(c for c in self.concepts if c.status in ("matched", "partial", "self"))

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
                    "evidence": c.evidence,
                    "core": c.core,
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
            "misconceptions": [
                {"keyword": r.keyword, "why": r.why, "correction": r.correction,
                 "penalty": r.penalty, "span": [r.span.start, r.span.end, r.span.text]}
                for r in self.misconceptions
            ],
            "order_problems": [p.message for p in self.order_problems],
            "notices": list(self.notices),
            "drafted_rubric": self.drafted,
            **({"rubric_quality": round(self.rubric_quality, 2)} if self.drafted else {}),
        }
