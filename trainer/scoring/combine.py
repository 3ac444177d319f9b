"""How concept credits make a score: the core and depth shares, each saturating.

Core concepts carry CORE_SHARE of the score and saturate at CORE_SATURATION of their
weight (a complete answer may word one idea in a way no alias knows); depth concepts carry
the rest and saturate at DEPTH_SATURATION (a strong answer need not say all of them). A
rubric that marks no depth is all core.
"""

from __future__ import annotations

from .result import ConceptResult

CORE_SHARE = 0.75
CORE_SATURATION = 0.85
DEPTH_SATURATION = 0.5


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
