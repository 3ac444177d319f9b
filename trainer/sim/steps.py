"""Rollout steps: parsed by the bank's grammar (`Step`, `parse_step`, re-exported here),
run by `WeightSteps` for rollouts whose weight takes effect at once (flags, DNS)."""

from __future__ import annotations

from collections.abc import Callable

from trainer.bank.simgrammar import Step, parse_step

__all__ = ["Step", "WeightSteps", "parse_step"]


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
            elif step.kind == "pause":
                if step.value is None:  # until promoted
                    self.paused = True
                    return
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
