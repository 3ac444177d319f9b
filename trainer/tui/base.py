"""Typed access from screens to the app and its workspace.

`self.app` is `App[Any]` to the type checker; these bases give screens `self.trainer`
(the `TrainerApp`) and `self.workspace` (the loaded bank, history, grader and scheduler),
so every use of them is checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from trainer.application import Workspace
    from trainer.tui.app import TrainerApp

ResultT = TypeVar("ResultT")


class TrainerScreen(Screen[ResultT]):
    @property
    def trainer(self) -> TrainerApp:
        return cast("TrainerApp", self.app)

    @property
    def workspace(self) -> Workspace:
        return self.trainer.workspace


class TrainerModal(ModalScreen[ResultT]):
    @property
    def trainer(self) -> TrainerApp:
        return cast("TrainerApp", self.app)

    @property
    def workspace(self) -> Workspace:
        return self.trainer.workspace
