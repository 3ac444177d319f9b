"""Markdown question files: trainer's own study-sheet export, `Q:`/`A:` pairs, or headings
as questions with the text below them as answers."""

from __future__ import annotations

import html
import re
from pathlib import Path

from .html import inline_html
from .items import ImportedItem, ImportError_, ImportResult, topic

MAX_FILE = 50 * 1024 * 1024
_EXPORT_ITEM = re.compile(
    r'<a id="([^"]+)"></a>\s*\n##\s+(?P<title>.*?)\n(?P<body>.*?)(?=\n<a id="|\n---\n|\Z)',
    re.S)
_QA = re.compile(r"^\s*(?:\*\*)?(?:Q|Question)\s*[:.](?:\*\*)?\s*(.+?)\n\s*(?:\*\*)?"
                 r"(?:A|Answer)\s*[:.](?:\*\*)?\s*(.*?)(?=\n\s*(?:\*\*)?(?:Q|Question)\s*[:.]|\Z)",
                 re.S | re.M | re.I)
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)


def read_markdown(path: Path) -> ImportResult:
    try:
        if path.stat().st_size > MAX_FILE:
            raise ImportError_(f"{path} is larger than 50 MB")
        text = path.read_text(encoding="utf-8-sig", errors="replace").replace("\r\n", "\n")
    except OSError as exc:
        raise ImportError_(f"cannot read {path}: {exc.strerror}") from None
    result = ImportResult(name=path.stem)
    if "<summary>Model answer</summary>" in text and "**Q.**" in text:
        _trainer_export(text, path, result)
    elif _QA.search(text):
        for m in _QA.finditer(text):
            _add(result, path, text, m.start(), m.group(1), m.group(2), ())
    else:
        _headings(text, path, result)
    if not result.items and not result.skipped_no_answer:
        raise ImportError_(f"{path}: no questions found (expected trainer's Markdown export, "
                           "'Q:'/'A:' pairs, or headings with answers below them)")
    return result


def _add(result: ImportResult, path: Path, text: str, at: int, prompt: str, answer: str,
         topics: tuple[str, ...], key: str = "") -> None:
    prompt, answer = inline_html(prompt), inline_html(answer)
    line = text.count("\n", 0, at) + 1
    result.add(ImportedItem(key=key or f"md:{prompt}", prompt=prompt, answer=answer,
                            topics=topics, source=f"{path.name}:{line}"))


def _trainer_export(text: str, path: Path, result: ImportResult) -> None:
    """Round trip of `trainer export --format md`: the id is kept as the key, so exporting
    and importing again gives the same item ids."""
    for m in _EXPORT_ITEM.finditer(text):
        body = m.group("body")
        prompt = re.search(r"^\*\*Q\.\*\*\s*(.+)$", body, re.M)
        answer = re.search(r"<summary>Model answer</summary>\s*(.*?)(?:\n\*\*Key concepts\*\*|"
                           r"\n\*\*Outline\*\*|\n\*\*Misconceptions\*\*|\n\*\*Glossary\*\*|"
                           r"\n\*\*See also|</details>)", body, re.S)
        if prompt is None:
            continue
        meta = re.search(r"\*Topics:\*\s*([^·\n]+)", body)
        topics = tuple(topic(t) for t in meta.group(1).split(",")) if meta else ()
        _add(result, path, text, m.start(), html.unescape(prompt.group(1)),
             html.unescape(answer.group(1)) if answer else "", topics, key=f"md:{m.group(1)}")


def _headings(text: str, path: Path, result: ImportResult) -> None:
    heads = list(_HEADING.finditer(text))
    if not heads:
        return
    depth = max(len(h.group(1)) for h in heads)  # the deepest level holds the questions
    for i, h in enumerate(heads):
        if len(h.group(1)) != depth:
            continue
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        parent = next((p.group(2) for p in reversed(heads[:i]) if len(p.group(1)) < depth),
                      None)
        _add(result, path, text, h.start(), h.group(2), text[h.end():end],
             (topic(parent),) if parent else ())
