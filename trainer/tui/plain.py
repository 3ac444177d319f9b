"""Bank and user text in widgets: always literal, never Textual markup.

Banks come from other people, so their text must not make links, actions or styles:
`[@click=app.screenshot(...)]` in a prompt would otherwise run an app action when clicked,
and a stray `[/]` crashes the renderer. Widgets get `Content` built from the text, and
markup strings of the app's own escape every piece of bank text with `esc()`.
"""

from __future__ import annotations

from textual.content import Content
from textual.markup import escape


def plain(text: str) -> Content:
    """The text exactly as written."""
    return Content(text)


def esc(text: object) -> str:
    """Text to put inside one of the app's own markup strings."""
    return escape(str(text))
