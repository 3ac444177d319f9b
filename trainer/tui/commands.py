"""Command palette search over the bank: "practice: <question>", "scenario: S-01 ...",
"glossary: <term>", so any item is a few keystrokes away from any screen."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import Hit, Hits, Provider

from trainer.bank import Question, Scenario, Term
from trainer.tui.plain import esc

if TYPE_CHECKING:
    from trainer.tui.app import TrainerApp


class BankSearch(Provider):
    """Questions (practise or mock), scenarios and glossary terms by name."""

    commands: list[tuple[str, str, Callable[[], None]]]

    def _commands(self, app: TrainerApp) -> list[tuple[str, str, Callable[[], None]]]:
        out: list[tuple[str, str, Callable[[], None]]] = []
        for e in app.workspace.bank.entries.values():
            item = e.item
            if isinstance(item, Question) and e.kind == "question":
                code = f"{item.code} " if item.code else ""
                out.append((f"practice: {code}{e.title}", item.prompt,
                            partial(app.command_practice, e.id)))
                out.append((f"mock: {code}{e.title}", "Mock interview on this question",
                            partial(app.command_mock, e.id)))
            elif isinstance(item, Scenario):
                code = f"{item.code} " if item.code else ""
                out.append((f"scenario: {code}{e.title}", item.briefing[:100],
                            partial(app.command_scenario, e.id)))
            elif isinstance(item, Term):
                out.append((f"glossary: {e.title}", item.definition[:100],
                            partial(app.command_glossary, e.id)))
        return out

    async def startup(self) -> None:
        app = cast("TrainerApp", self.app)
        # While the bank still loads there is nothing to search yet.
        self.commands = self._commands(app) if app.loaded else []

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.commands:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=esc(help_text))
