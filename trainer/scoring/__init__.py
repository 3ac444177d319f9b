"""Rubric scoring: normalisation, keyword matching, red flags, order, drafted rubrics.

Never imports textual; the CLI, the app and the exports all render `ScoreResult`.
"""

from .draft import draft_rubric
from .grader import Grader, verdict
from .result import ConceptResult, OrderProblem, RedFlagResult, ScoreResult, Span

__all__ = ["ConceptResult", "Grader", "OrderProblem", "RedFlagResult", "ScoreResult", "Span",
           "draft_rubric", "verdict"]
