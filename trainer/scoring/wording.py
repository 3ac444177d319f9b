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


def _names(names: list[str]) -> str:
    shown = [f"'{n}'" for n in names[:4]]
    if len(names) > 4:
        shown.append(f"{len(names) - 4} more")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def list_notice(named: list[str], cap: int) -> str:
    if not named:
        return ("This reads as a list of terms: say what each one does in this situation "
                "to earn credit.")
    return (f"You named {_names(named)} but did not say what they do here; a list of terms "
            f"is capped at {cap}.")


def named_notice(named: list[str]) -> str:
    return (f"You named {_names(named)} without saying how they apply here; explaining them "
            "earns full credit.")


def swap_notice(swaps: list[tuple[str, str, str]], words: dict[str, str]) -> str:
    """`swaps`: (phrase of the model answer, what it says it of, what the answer said it
    of), by stems; `words` names the stems."""
    said = [f"'{phrase}' goes with {words.get(own, own)}, not {words.get(other, other)}"
            for phrase, own, other in swaps[:4]]
    return "You traded the two sides' properties: " + "; ".join(said) + "."
