"""Rollout steps as written in a scenario: 'setWeight N', 'pause', 'pause S', 'analysis'."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Step:
    kind: str  # setWeight, pause, analysis
    value: int | None = None

    def __str__(self) -> str:
        return self.kind if self.value is None else f"{self.kind} {self.value}"


def parse_step(text: str) -> Step:
    words = text.split()
    if not words:
        raise ValueError("empty step")
    kind = words[0]
    if kind == "setWeight" and len(words) == 2 and words[1].isdigit() and int(words[1]) <= 100:
        return Step(kind, int(words[1]))
    if kind == "pause" and len(words) == 1:
        return Step(kind)
    if kind == "pause" and len(words) == 2 and words[1].isdigit():
        return Step(kind, int(words[1]))
    if kind == "analysis" and len(words) == 1:
        return Step(kind)
    raise ValueError(f"bad step '{text}': use 'setWeight N' (0-100), 'pause', 'pause SECONDS' "
                     "or 'analysis'")


class WeightSteps:
    """setWeight/pause steps for rollouts whose weight takes effect at once (flags, DNS)."""

    def __init__(self, texts: tuple[str, ...], set_weight: Callable[[int, int], None]) -> None:
        self.steps = [parse_step(s) for s in texts]
        self.set_weight = set_weight
        self.index = 0
        self.paused = False
        self.halted = False  # rolled back: no further steps
        self._until: int | None = None

    @property
    def done(self) -> bool:
        return self.index >= len(self.steps)

    def tick(self, t: int) -> None:
        while not (self.done or self.paused or self.halted):
            step = self.steps[self.index]
            if step.kind == "setWeight":
                self.set_weight(t, step.value or 0)
            elif step.kind == "pause" and step.value is None:
                self.paused = True
                return
            elif step.kind == "pause":
                if self._until is None:
                    self._until = t + step.value
                if t < self._until:
                    return
                self._until = None
            self.index += 1

    def promote(self, full: bool, t: int) -> None:
        if full:
            self.index = len(self.steps)
            self.set_weight(t, 100)
        else:
            self.index += 1
        self.paused = False
        self._until = None
