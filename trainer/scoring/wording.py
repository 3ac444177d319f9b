"""Words about a score that every face shows the same way (CLI, app, exports)."""

from __future__ import annotations

from .draft import LOW_QUALITY
from .result import ConceptResult, ScoreResult


def credit_note(c: ConceptResult) -> str:
    """How a credited concept counted, after its name: '' for full credit."""
    if c.status == "self":
        return " (you said you covered it)"
    if c.evidence == "named":
        return f" (named, not explained: {c.credit:.0%})"
    if c.status == "partial":
        return f" (partly, {c.credit:.0%})"
    return ""


def drafted_confidence(result: ScoreResult) -> str:
    if result.rubric_quality < LOW_QUALITY:
        return "low confidence: rate yourself against the model answer"
    return f"confidence {result.rubric_quality:.0%}"
