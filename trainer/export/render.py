"""The Jinja environment every export shares, with the filters its templates use.

Templates live in `trainer/export/templates/` and ship in the package. HTML templates
(`*.html.j2`) are autoescaped; bank text reaches them only escaped or through the
`markdown` filter, whose renderer has raw HTML switched off, so a bank containing
`<script>` shows it as text.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

RATING_LABELS = {1: "poor", 2: "mixed", 3: "good", 4: "excellent"}

# Fenced blocks and inline code spans keep their text: `<` there is shown verbatim.
_CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]+`)", re.DOTALL)


@cache
def _markdown_renderer() -> Any:
    from markdown_it import MarkdownIt

    # html=False: raw HTML in bank text is escaped, never passed through.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def markdown_html(text: str) -> Markup:
    """Bank Markdown as safe HTML."""
    return Markup(_markdown_renderer().render(text or ""))


def markdown_text(text: str) -> str:
    """Bank Markdown for a Markdown file: raw HTML tags are escaped outside code, so a
    viewer shows `<script>` instead of running or hiding it."""
    parts = _CODE.split(text or "")
    return "".join(p if i % 2 else p.replace("<", "&lt;") for i, p in enumerate(parts))


def one_line(text: str) -> str:
    return " ".join((text or "").split())


def day(when: datetime | None) -> str:
    return when.date().isoformat() if when else ""


def minutes(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def rating_label(value: int | float | None) -> str:
    if value is None:
        return ""
    return RATING_LABELS.get(int(value), "") if float(value).is_integer() else f"{value:.1f}"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("trainer.export", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(markdown=markdown_html, md_text=markdown_text, one_line=one_line,
                       day=day, minutes=minutes, rating_label=rating_label)
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
