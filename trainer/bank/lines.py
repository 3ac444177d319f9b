"""Containers that remember where in a file they came from, and the reading error.

Kept apart from `yamlread` so that code handling already-parsed banks (the converter, the
cache) does not import PyYAML: a cached bank loads without it.
"""

from __future__ import annotations

from typing import Any


class YamlProblem(Exception):
    """A file that cannot be read as bank YAML; `line` is 1-based (0 = whole file)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class LineDict(dict[str, Any]):
    """A mapping that remembers its own line and the line of each key."""

    __slots__ = ("line", "key_lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class LineList(list[Any]):
    """A sequence that remembers its own line and the line of each item."""

    __slots__ = ("line", "item_lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


class YamlInt(int):
    """An integer read from a plain scalar, with the text as written (`012`, `1:30`)."""

    raw: str


class YamlFloat(float):
    """A float read from a plain scalar, with the text as written (`1.10`)."""

    raw: str


def literal(value: object) -> object:
    """The text a number was written as, for fields that hold text."""
    raw = getattr(value, "raw", None)
    return raw if isinstance(raw, str) else value
