"""Anki's CSV/TXT export ("Notes in Plain Text"): `#key:value` header lines, then one note
per row — front, back and the columns the header names (tags, deck, guid)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .html import html_to_markdown
from .items import ImportedItem, ImportError_, ImportResult, clean, topic

SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|",
              "colon": ":"}
MAX_FILE = 200 * 1024 * 1024


def read_csv(path: Path) -> ImportResult:
    try:
        if path.stat().st_size > MAX_FILE:
            raise ImportError_(f"{path} is larger than 200 MB")
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise ImportError_(f"cannot read {path}: {exc.strerror}") from None
    header: dict[str, str] = {}
    lines = text.splitlines(keepends=True)
    body_start = 0
    while body_start < len(lines) and lines[body_start].startswith("#") \
            and ":" in lines[body_start]:
        key, _, value = lines[body_start][1:].strip().partition(":")
        header[key.strip().lower()] = value.strip()
        body_start += 1
    sep = header.get("separator", "")
    delimiter = SEPARATORS.get(sep.lower(), sep[:1]) if sep else _sniff(lines[body_start:])
    as_html = header.get("html", "false").lower() == "true"
    column = {name: int(header[f"{name} column"]) - 1 for name in ("tags", "deck", "guid")
              if header.get(f"{name} column", "").isdigit()}
    convert = html_to_markdown if as_html else clean
    result = ImportResult(name=path.stem)
    reader = csv.reader(io.StringIO("".join(lines[body_start:])), delimiter=delimiter)
    first_line = body_start + 1
    try:
        for row in reader:
            n = first_line + reader.line_num - 1
            fields = [f for i, f in enumerate(row) if i not in column.values()]
            if len(fields) < 2:
                continue
            tags = row[column["tags"]].split() if "tags" in column and len(row) > column[
                "tags"] else []
            deck = row[column["deck"]] if "deck" in column and len(row) > column["deck"] else ""
            guid = row[column["guid"]] if "guid" in column and len(row) > column["guid"] else ""
            prompt, answer = convert(fields[0]), convert(fields[1])
            topics = [topic(t.replace("::", "-")) for t in tags]
            if deck:
                topics.append(topic(deck.split("::")[-1]))
            result.add(ImportedItem(key=f"csv:{guid}" if guid else f"csv:{prompt}",
                                    prompt=prompt, answer=answer,
                                    topics=tuple(dict.fromkeys(topics)),
                                    source=f"{path.name}:{n}"))
    except csv.Error as exc:
        raise ImportError_(f"{path}: not CSV this importer can read ({exc})") from None
    return result


def _sniff(lines: list[str]) -> str:
    sample = "".join(lines[:20])
    return "\t" if sample.count("\t") >= sample.count(",") else ","
