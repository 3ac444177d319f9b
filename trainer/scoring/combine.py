"""How concept credits make a score: the core and depth shares, each saturating.

Core concepts carry CORE_SHARE of the score and saturate at CORE_SATURATION of their
weight (a complete answer may word one idea in a way no alias knows); depth concepts carry
the rest and saturate at DEPTH_SATURATION (a strong answer need not say all of them). A
rubric that marks no depth is all core. The grader then stretches the upper range of an
authored rubric's score (`stretched`).
"""

from __future__ import annotations

from typing import Final

from .result import ConceptResult

# An authored rubric's score (0-100) past STRETCH_FROM is stretched so that FULL_AT earns
# 100: a complete answer in a candidate's own words leaves some credit behind (an idea
# worded the way no alias says it, a depth point skipped), as CORE_SATURATION allows for
# within the core; scores at or below STRETCH_FROM (wrong, vague, off-topic answers) are
# left as they are. Chosen on the blind-practice answers (self-graded; the rubrics were
# tuned on them): MAE 13.2 -> 12.2 there, 13.8 -> 13.0 on the dev set, Pearson unchanged.
# A drafted rubric's score is not stretched: its coverage blend is calibrated on its own.
STRETCH_FROM: Final = 30
FULL_AT: Final = 90
CORE_SHARE: Final = 0.75
CORE_SATURATION: Final = 0.85
DEPTH_SATURATION: Final = 0.5


def combine(concepts: list[ConceptResult]) -> float:
    """0..1 from concept credits: core and depth shares, each saturating."""
    core = [c for c in concepts if c.core]
    depth = [c for c in concepts if not c.core]
    if not core:
        core, depth = depth, []

    def frac(group: list[ConceptResult]) -> float:
        total = sum(c.weight for c in group)
        return sum(c.weight * c.credit for c in group) / total if total else 0.0

    core_part = min(1.0, frac(core) / CORE_SATURATION)
    if not depth:
        return core_part
    depth_part = min(1.0, frac(depth) / DEPTH_SATURATION)
    return CORE_SHARE * core_part + (1 - CORE_SHARE) * depth_part


def stretched(score: float) -> float:
    """An authored rubric's score, stretched above STRETCH_FROM so FULL_AT earns 100."""
    if score <= STRETCH_FROM:
        return score
    return min(100.0, STRETCH_FROM + (score - STRETCH_FROM) * (100 - STRETCH_FROM)
               / (FULL_AT - STRETCH_FROM))
