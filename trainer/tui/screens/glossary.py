"""Glossary: search terms (by name, alias or definition) and read them."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Input, Markdown, OptionList
from textual.widgets.option_list import Option

from trainer.bank import Bank, Term
from trainer.tui.base import TrainerScreen


def term_markdown(term: Term, bank: Bank) -> str:
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


class GlossaryScreen(TrainerScreen[None]):

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
        self.entries = [(e.id, e.item) for e in self.workspace.bank.entries.values()
                        if isinstance(e.item, Term)]
        self.filter("")
        if self.start:
            self.show(self.start)
        self.query_one("#glossary-search", Input).focus()

    def filter(self, text: str) -> None:
        needle = text.lower().strip()

        def rank(t: Term) -> int:
            if needle in t.term.lower():
                return 0
            if any(needle in a.lower() for a in t.aliases):
                return 1
            return 2 if needle in t.definition.lower() else 3

        hits = [(tid, t) for tid, t in self.entries if not needle or rank(t) < 3]
        hits.sort(key=lambda h: (rank(h[1]), h[1].term.lower()) if needle
                  else (0, h[1].term.lower()))
        terms = self.query_one("#terms", OptionList)
        terms.clear_options()
        terms.add_options([Option(Content(t.term), id=tid) for tid, t in hits])
        if hits:
            terms.highlighted = 0
            self.show(hits[0][0])

    def show(self, term_id: str) -> None:
        term = self.workspace.bank.term(term_id)
        if term is not None:
            self.query_one("#term", Markdown).update(term_markdown(term, self.workspace.bank))

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
