"""Command palette search over the bank: "practice: <question>", "scenario: S-01 ...",
"glossary: <term>", so any item is a few keystrokes away from any screen."""

from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider

from trainer.tui.plain import esc


class BankSearch(Provider):
    """Questions (practise or mock), scenarios and glossary terms by name."""

    def _commands(self) -> list[tuple[str, str, object]]:
        app = self.app
        out: list[tuple[str, str, object]] = []
        for e in app.bank.entries.values():  # type: ignore[attr-defined]
            if e.kind == "question":
                code = f"{e.item.code} " if e.item.code else ""
                out.append((f"practice: {code}{e.title}", e.item.prompt,
                            partial(app.command_practice, e.id)))  # type: ignore[attr-defined]
                out.append((f"mock: {code}{e.title}", "Mock interview on this question",
                            partial(app.command_mock, e.id)))  # type: ignore[attr-defined]
            elif e.kind == "scenario":
                code = f"{e.item.code} " if e.item.code else ""
                out.append((f"scenario: {code}{e.title}", e.item.briefing[:100],
                            partial(app.command_scenario, e.id)))  # type: ignore[attr-defined]
            elif e.kind == "term":
                out.append((f"glossary: {e.title}", e.item.definition[:100],
                            partial(app.command_glossary, e.id)))  # type: ignore[attr-defined]
        return out

    async def startup(self) -> None:
        # While the bank still loads there is nothing to search yet.
        self.commands = self._commands() if self.app.loaded else []  # type: ignore[attr-defined]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.commands:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback,  # type: ignore[arg-type]
                          help=esc(help_text))
