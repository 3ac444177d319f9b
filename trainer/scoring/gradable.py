"""What the grader reads of an item: `Question`, `FollowUp` and `Scenario` all provide it.

Read-only properties, so the frozen bank models satisfy the protocol as they are. It is a
static contract only: nothing checks it at run time, so grading pays nothing for it.
"""

from __future__ import annotations

from typing import Protocol

from trainer.bank import Concept, Level, Misconception, RedFlag


class Gradable(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def level(self) -> Level | None: ...

    @property
    def rubric(self) -> tuple[Concept, ...]: ...

    @property
    def misconceptions(self) -> tuple[Misconception, ...]: ...

    @property
    def red_flags(self) -> tuple[RedFlag, ...]: ...

    @property
    def prompt_text(self) -> str:
        """What the candidate is asked: a question's prompt, a scenario's briefing."""
        ...

    @property
    def model_text(self) -> str:
        """The strong answer a rubric is drafted from when the item has none."""
        ...
