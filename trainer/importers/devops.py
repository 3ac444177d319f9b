"""A local clone of the devops-exercises repository: questions in `<details>` blocks.

Its licence (CC BY-NC-ND 3.0) allows reading it, not shipping it: the importer reads the
user's own clone at run time, and every item says where it came from and under what terms.
"""

from __future__ import annotations

import re
from pathlib import Path

from .html import inline_html
from .items import ImportedItem, ImportError_, ImportResult, topic

_BLOCK = re.compile(r"<details>\s*<summary>(.*?)</summary>(.*?)</details>", re.S | re.I)
_HEADING = re.compile(r"^#{1,4}\s+(.+?)\s*#*\s*$", re.M)
_WRAP_START = re.compile(r"^\s*(?:<br\s*/?>\s*)*<b>", re.I)
_WRAP_END = re.compile(r"</b>\s*$", re.I)
MAX_FILE = 20 * 1024 * 1024
SKIPPED = {".git", "node_modules", ".github", "images", "scripts"}


def read_devops(root: Path) -> ImportResult:
    if not root.is_dir():
        raise ImportError_(f"{root} is not a folder: give the path of your local clone")
    files = sorted(p for p in root.rglob("*.md")
                   if not SKIPPED.intersection(p.relative_to(root).parts) and p.is_file())
    if not files:
        raise ImportError_(f"{root} holds no Markdown files")
    result = ImportResult(name=root.name, licence=_licence(root),
                          attribution=_origin(root) or f"the {root.name} repository")
    for path in files:
        if path.stat().st_size > MAX_FILE:
            result.notes.append(f"{path.relative_to(root)}: skipped, larger than 20 MB")
            continue
        _read_file(root, path, result)
    if not result.items and not result.skipped_no_answer:
        raise ImportError_(f"{root} has no <details> question blocks")
    return result


def _read_file(root: Path, path: Path, result: ImportResult) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    rel = path.relative_to(root).as_posix()
    parts = path.relative_to(root).parts
    # topics/<name>/README.md: the folder names the topic; elsewhere the nearest heading.
    folder = parts[1] if len(parts) > 2 and parts[0] == "topics" else None
    headings = [(m.start(), m.group(1)) for m in _HEADING.finditer(text)]
    for m in _BLOCK.finditer(text):
        prompt = inline_html(m.group(1))
        # The repository wraps each answer in <br><b>...</b>: a layout habit, not bold text.
        body = _WRAP_END.sub("", _WRAP_START.sub("", m.group(2)))
        answer = inline_html(body)
        line = text.count("\n", 0, m.start()) + 1
        near = next((h for start, h in reversed(headings) if start < m.start()), None)
        name = folder or (inline_html(near) if near else path.stem)
        result.add(ImportedItem(key=f"{rel}\n{prompt}", prompt=prompt, answer=answer,
                                topics=(topic(name),), source=f"{rel}:{line}"))


def _licence(root: Path) -> str:
    for name in ("LICENSE", "LICENSE.md", "LICENSE.txt", "COPYING"):
        path = root / name
        if path.is_file():
            head = path.read_text(encoding="utf-8", errors="replace")[:2000]
            if "NonCommercial-NoDerivs 3.0" in head or "BY-NC-ND 3.0" in head:
                return "CC BY-NC-ND 3.0"
            first = next((ln.strip() for ln in head.splitlines() if ln.strip()), "")
            return first[:80]
    return ""


def _origin(root: Path) -> str:
    config = root / ".git" / "config"
    if not config.is_file():
        return ""
    m = re.search(r'\[remote "origin"\][^\[]*?url\s*=\s*(\S+)', config.read_text(
        encoding="utf-8", errors="replace"))
    return m.group(1) if m else ""


__all__ = ["read_devops"]
