"""Text from banks and users, made safe to write to a terminal.

Control characters (C0 except tab and newline, DEL, C1) start escape sequences that can
set the clipboard, retitle the window or clear the screen, and bidi overrides reorder what
the reader sees. `visible()` shows each as an escape (`\\u001b`, `\\u202e`) instead; every
CLI command writes through `SafeStream`, so no message, listing or explanation passes one
raw. The escape is JSON's own, so `--json` output stays valid JSON with the same strings.
"""

from __future__ import annotations

import re
from typing import TextIO

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def visible(text: str) -> str:
    return _UNSAFE.sub(_escape, text)


class SafeStream:
    """A text stream that writes `visible()` text to the stream it wraps."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        return self.inner.write(visible(text))

    def __getattr__(self, name: str) -> object:  # flush, fileno, isatty, encoding...
        return getattr(self.inner, name)
