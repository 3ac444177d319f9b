"""Bring your own bank: other people's question material into trainer's bank format.

`read(kind, path)` turns a local clone of devops-exercises, an Anki deck (.apkg), an Anki
CSV export or a Markdown file into `ImportedItem`s; `write_bank(result, out)` writes them as
one YAML bank file that `trainer bank check` accepts. Input is data: nothing in it runs,
its HTML becomes plain Markdown, control characters are dropped, and sizes are bounded.
Called by `trainer import` only. Never imports textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .items import ImportedItem, ImportError_, ImportResult

if TYPE_CHECKING:
    from pathlib import Path

KINDS = ("devops-exercises", "anki", "csv", "markdown")


def write_bank(result: ImportResult, out: Path, *, prefix: str | None = None,
               grading: dict[str, str] | None = None) -> Path:
    """`write.write_bank`, imported when called: every command builds the parser that
    names KINDS, and only `trainer import` needs PyYAML's emitter (about 15 ms)."""
    from .write import write_bank as write

    return write(result, out, prefix=prefix, grading=grading)


def read(kind: str, path: str) -> ImportResult:
    """Items of one source; `ImportError_` when the source cannot be read at all."""
    from pathlib import Path

    source = Path(path)
    if kind == "devops-exercises":
        from .devops import read_devops

        return read_devops(source)
    if kind == "anki":
        from .anki import read_apkg

        return read_apkg(source)
    if kind == "csv":
        from .csvfile import read_csv

        return read_csv(source)
    if kind == "markdown":
        from .markdown import read_markdown

        return read_markdown(source)
    raise ImportError_(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")


__all__ = ["KINDS", "ImportError_", "ImportResult", "ImportedItem", "read", "write_bank"]
