"""What every importer produces, and the rules they share: stable ids, clean text,
topics as slugs, duplicates and skips counted."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

MAX_TEXT = 100_000  # characters per prompt or answer; longer is not a flashcard
MAX_ITEMS = 50_000


class ImportError_(Exception):
    """The source cannot be read; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class ImportedItem:
    key: str
    """What makes the item itself in its source (note guid, file and question): the id is
    derived from it, so importing the same source again gives the same ids."""
    prompt: str
    answer: str
    topics: tuple[str, ...] = ()
    source: str = ""
    title: str = ""


@dataclass
class ImportResult:
    name: str
    """A short name for the source (deck name, repository name, file stem)."""
    items: list[ImportedItem] = field(default_factory=list)
    skipped_no_answer: int = 0
    duplicates: list[str] = field(default_factory=list)
    """Prompts seen more than once (the first is kept)."""
    licence: str = ""
    attribution: str = ""
    notes: list[str] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set, repr=False)

    def add(self, item: ImportedItem) -> None:
        if not item.prompt.strip():
            return
        if not item.answer.strip():
            self.skipped_no_answer += 1
            return
        if len(self.items) >= MAX_ITEMS:
            raise ImportError_(f"more than {MAX_ITEMS:,} items: split the source")
        folded = " ".join(item.prompt.lower().split())
        if folded in self._seen:
            self.duplicates.append(item.prompt)
            return
        self._seen.add(folded)
        self.items.append(item)


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Text as a bank holds it: no control characters or bidi overrides, Unix newlines,
    no trailing blanks, bounded."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text[:MAX_TEXT]


def slug(text: str, limit: int = 40) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:limit].rstrip("-")


def item_id(prefix: str, item: ImportedItem) -> str:
    """`prefix-first-words-of-the-prompt-1a2b3c`: readable, and stable for the same key."""
    digest = hashlib.sha1(item.key.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    words = slug(item.prompt, 32)
    return f"{prefix}-{words}-{digest}" if words else f"{prefix}-{digest}"


def topic(text: str) -> str:
    return slug(text, 40) or "imported"
