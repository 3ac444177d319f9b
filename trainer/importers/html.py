"""HTML in imported fields (Anki notes, Markdown with inline tags) to Markdown text with no
tags left. Parsing is BeautifulSoup's pure-Python html.parser: nothing in the input runs."""

from __future__ import annotations

import html
import re

from .items import clean

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_FENCE = re.compile(r"(^```.*?^```[ \t]*$)", re.S | re.M)


def html_to_markdown(text: str) -> str:
    """A whole HTML field (Anki's front or back) as Markdown."""
    if "<" not in text and "&" not in text:
        return clean(text)
    from markdownify import markdownify

    converted = markdownify(text, heading_style="ATX", bullets="-", strip=["script", "style"],
                            escape_asterisks=False, escape_underscores=False)
    return clean(_TAG.sub("", converted))


def inline_html(text: str) -> str:
    """Markdown that carries a few inline tags (<b>, <code>, <br>, <a>): the tags become
    Markdown, others go, code fences are left as written."""
    parts = _FENCE.split(text)
    for i in range(0, len(parts), 2):  # the odd parts are fenced code
        parts[i] = _inline(parts[i])
    return clean("".join(parts))


def _inline(text: str) -> str:
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    text = re.sub(r"</?(?:b|strong)\s*>", "**", text, flags=re.I)
    text = re.sub(r"</?(?:i|em)\s*>", "*", text, flags=re.I)
    text = re.sub(r"</?code\s*>", "`", text, flags=re.I)
    text = re.sub(r"<a\s[^>]*href=\"([^\"]+)\"[^>]*>(.*?)</a>", r"[\2](\1)", text,
                  flags=re.I | re.S)
    text = _TAG.sub("", text)
    text = re.sub(r"\*\*\s*\*\*", "", text)  # an emptied <b></b>
    return html.unescape(text)
