"""Exports: study sheets (Markdown, printable HTML), Anki decks and CSV, feedback reports.

Never imports textual; `trainer export` and the app's export screen both call
`export()` (or `build_content()` plus one renderer) and `render_sheet()`.
"""

from __future__ import annotations

from pathlib import Path

from trainer.bank import Bank
from trainer.study import History

from .anki import card_fields, write_apkg
from .anki_csv import render_csv
from .content import CardView, ExportContent, ExportOptions, build_content
from .feedback import SHEET_FORMATS, render_sheet
from .sheets import render_html, render_markdown

FORMATS = ("md", "html", "anki", "csv")
SUFFIXES = {"md": ".md", "html": ".html", "anki": ".apkg", "csv": ".csv"}


def export(bank: Bank, fmt: str, path: Path, options: ExportOptions | None = None,
           history: History | None = None) -> ExportContent:
    """Write one export to `path` and return what went into it."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    content = build_content(bank, options or ExportOptions(), history)
    if fmt == "anki":
        write_apkg(content, path)
        return content
    text = {"md": render_markdown, "html": render_html, "csv": render_csv}[fmt](content)
    # newline="" keeps the CSV's own line ends; the rest are plain "\n" text.
    path.write_text(text, encoding="utf-8", newline="")
    return content


__all__ = [
    "FORMATS", "SHEET_FORMATS", "SUFFIXES", "CardView", "ExportContent", "ExportOptions",
    "build_content", "card_fields", "export", "render_csv", "render_html", "render_markdown",
    "render_sheet", "write_apkg",
]
