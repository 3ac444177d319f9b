"""Study sheets for people: Markdown (answers folded in <details>) and printable HTML.

Called by `trainer export --format md|html` and the app's export screen.
"""

from __future__ import annotations

from .content import ExportContent
from .render import render
from .svgcharts import charts


def _context(content: ExportContent) -> dict[str, object]:
    return {"title": content.title, "questions": content.questions, "cards": content.cards,
            "notes": content.notes, "options": content.options}


def render_markdown(content: ExportContent) -> str:
    return render("study.md.j2", **_context(content))


def render_html(content: ExportContent) -> str:
    """One self-contained page: inline print CSS, no scripts, fonts or images to fetch;
    with history, the progress charts as inline SVG."""
    return render("study.html.j2", **_context(content), charts=charts(content.trends))
