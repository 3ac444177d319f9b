"""Glossary: search terms (by name, alias or definition) and read them."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Markdown, OptionList
from textual.widgets.option_list import Option

from trainer.bank import Term


def term_markdown(term: Term, bank) -> str:  # noqa: ANN001
    lines = [f"# {term.term}", term.definition]
    if term.aliases:
        lines.append("**Also:** " + ", ".join(term.aliases))
    if term.related:
        names = []
        for ref in term.related:
            entry = bank.get(ref)
            names.append(f"{entry.title} ({entry.kind.replace('_', '-')})" if entry else ref)
        lines.append("**Related:** " + "; ".join(names))
    if term.source:
        lines.append(f"*Source: {term.source}*")
    return "\n\n".join(lines)


class GlossaryScreen(Screen[None]):

    CSS_PATH = ["misc.tcss"]
    BINDINGS = [
        Binding("escape", "home", "Home", id="glossary.home"),
        Binding("ctrl+f", "search", "Search", id="glossary.search", priority=True),
    ]

    def __init__(self, term_id: str | None = None) -> None:
        super().__init__()
        self.start = term_id

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="glossary"):
            with Vertical(id="glossary-list"):
                yield Input(placeholder="search terms", id="glossary-search")
                yield OptionList(id="terms")
            with VerticalScroll(id="glossary-body"):
                yield Markdown(id="term")
        yield Footer()

    def on_mount(self) -> None:
        self.entries = [e for e in self.app.bank.entries.values() if e.kind == "term"]
        self.filter("")
        if self.start:
            self.show(self.start)
        self.query_one("#glossary-search", Input).focus()

    def filter(self, text: str) -> None:
        needle = text.lower().strip()

        def rank(e) -> int:  # noqa: ANN001
            t: Term = e.item
            if needle in t.term.lower():
                return 0
            if any(needle in a.lower() for a in t.aliases):
                return 1
            return 2 if needle in t.definition.lower() else 3

        hits = [e for e in self.entries if not needle or rank(e) < 3]
        hits.sort(key=lambda e: (rank(e), e.item.term.lower()) if needle else e.item.term.lower())
        terms = self.query_one("#terms", OptionList)
        terms.clear_options()
        terms.add_options([Option(Content(e.item.term), id=e.id) for e in hits])
        if hits:
            terms.highlighted = 0
            self.show(hits[0].id)

    def show(self, term_id: str) -> None:
        entry = self.app.bank.get(term_id)
        if entry is not None and entry.kind == "term":
            self.query_one("#term", Markdown).update(term_markdown(entry.item, self.app.bank))

    @on(Input.Changed, "#glossary-search")
    def search_changed(self, event: Input.Changed) -> None:
        self.filter(event.value)

    @on(Input.Submitted, "#glossary-search")
    def search_submitted(self) -> None:
        self.query_one("#terms", OptionList).focus()

    @on(OptionList.OptionHighlighted, "#terms")
    def term_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.show(event.option.id)

    def action_search(self) -> None:
        self.query_one("#glossary-search", Input).focus()

    def action_home(self) -> None:
        self.dismiss()
