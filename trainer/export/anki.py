"""Anki: the fields of a card, and the `.apkg` deck built with genanki.

Called by `trainer export --format anki` (and, for the fields, by the CSV export).
Notes get `guid = genanki.guid_for(bank id)`, so re-importing an export after the bank
changed updates the existing notes instead of adding duplicates, and Anki keeps their
review history. The model and deck ids below were picked once at random; changing
them would make Anki treat every later export as a new note type and deck.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from .content import CardView, ExportContent
from .render import render

MODEL_ID = 1_607_392_319
DECK_ID = 2_059_400_110
MODEL_NAME = "trainer interview card"
TERM_MODEL_ID = 1_284_661_507
TERM_MODEL_NAME = "trainer glossary term"
TERM_FIELDS = ("Id", "Term", "Definition", "Aliases")
DECK_NAME = "trainer: deployment interviews"
FIELDS = ("Id", "Front", "Back")

CARD_CSS = """\
.card { font-family: system-ui, sans-serif; font-size: 17px; text-align: left;
        color: #1b1f24; background: #fff; max-width: 46em; margin: auto; }
.context, .meta { color: #59636e; font-size: 14px; }
.prompt { font-weight: bold; margin: .4em 0; }
.last { background: #fff8c5; padding: .3em .5em; }
table { border-collapse: collapse; font-size: 14px; }
td, th { border: 1px solid #d0d7de; padding: 2px 5px; }
"""


@dataclass(frozen=True, slots=True)
class AnkiFields:
    guid: str
    id: str
    front: str
    back: str
    tags: tuple[str, ...]


def card_fields(card: CardView) -> AnkiFields:
    """The HTML fields of one card; bank text in them is escaped by the templates."""
    import genanki

    return AnkiFields(
        guid=genanki.guid_for(card.id),
        id=card.id,
        front=render("anki_front.html.j2", c=card).strip(),
        back=render("anki_back.html.j2", c=card).strip(),
        tags=card.tags,
    )


def write_apkg(content: ExportContent, path: Path) -> int:
    """Write the deck; returns the number of notes."""
    import genanki

    model = genanki.Model(
        MODEL_ID, MODEL_NAME,
        fields=[{"name": f} for f in FIELDS],
        templates=[{
            "name": "Question",
            "qfmt": "{{Front}}",
            "afmt": "{{FrontSide}}<hr id=answer>{{Back}}",
        }],
        css=CARD_CSS,
        sort_field_index=0,
    )
    # Glossary terms are a note type of their own: a term on the front, its definition
    # on the back, so Anki can schedule and filter them apart from interview questions.
    term_model = genanki.Model(
        TERM_MODEL_ID, TERM_MODEL_NAME,
        fields=[{"name": f} for f in TERM_FIELDS],
        templates=[{
            "name": "Term",
            "qfmt": '<div class="prompt">{{Term}}</div>',
            "afmt": "{{FrontSide}}<hr id=answer>{{Definition}}"
                    '<div class="meta">{{Aliases}}</div>',
        }],
        css=CARD_CSS,
        sort_field_index=0,
    )
    deck = genanki.Deck(DECK_ID, DECK_NAME)
    cards = content.cards
    for card in cards:
        f = card_fields(card)
        deck.add_note(genanki.Note(model=model, fields=[f.id, f.front, f.back],
                                   tags=list(f.tags), guid=f.guid))
    for term_id, term in content.glossary:
        deck.add_note(genanki.Note(
            model=term_model, guid=genanki.guid_for(term_id),
            fields=[term_id, escape(term.term), escape(term.definition),
                    escape(", ".join(term.aliases))],
            tags=["glossary", *(f"topic::{t}" for t in term.topics)]))
    genanki.Package(deck).write_to_file(str(path))
    return len(cards) + len(content.glossary)
