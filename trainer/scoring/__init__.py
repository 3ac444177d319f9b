"""Rubric scoring: normalisation, lexicon, matching, evidence, misconceptions, drafts.

Never imports textual; the CLI, the app and the exports all render `ScoreResult`.
"""

from .draft import DraftedRubric, draft_rubric
from .grader import Grader
from .lexicon import Lexicon
from .result import (
    ConceptResult,
    MisconceptionResult,
    OrderProblem,
    RedFlagResult,
    ScoreResult,
    Span,
)
from .verdicts import verdict

__all__ = ["ConceptResult", "DraftedRubric", "Grader", "Lexicon", "MisconceptionResult",
           "OrderProblem", "RedFlagResult", "ScoreResult", "Span", "draft_rubric", "verdict"]
