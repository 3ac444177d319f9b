"""Imported items as one YAML bank file that `trainer bank check` accepts."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from .items import ImportResult, item_id, slug


class _Literal(str):
    """Multi-line text, written as a YAML literal block so it reads like the source."""


def _literal(dumper: yaml.SafeDumper, value: _Literal) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Literal, _literal)


def _text(value: str) -> str:
    # A literal block cannot hold trailing spaces on a line or a tab-led line reliably.
    return _Literal(value) if "\n" in value and " \n" not in value else value


def bank_document(result: ImportResult, prefix: str, grading: dict[str, str]) -> dict[str, Any]:
    where = ", ".join(x for x in (result.attribution, result.licence) if x)
    questions = []
    for item in result.items:
        qid = item_id(prefix, item)
        entry: dict[str, Any] = {"id": qid, "prompt": _text(item.prompt),
                                 "model_answer": _text(item.answer)}
        if item.topics:
            entry["topics"] = list(item.topics)
        entry["source"] = f"{item.source} ({where})" if where else item.source
        mode = grading.get(qid)
        if mode:
            entry["grading"] = mode
        questions.append(entry)
    return {"questions": questions}


def write_bank(result: ImportResult, out: Path, *, prefix: str | None = None,
               grading: dict[str, str] | None = None) -> Path:
    """Write the bank to `out` (a file, or a folder to hold `<name>.yaml`), atomically: a
    re-import replaces the file in one step, and the ids stay those of the last import."""
    prefix = prefix or slug(result.name, 24) or "imported"
    target = out / f"{prefix}.yaml" if out.is_dir() else out
    document = bank_document(result, prefix, grading or {})
    text = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    header = (f"# Imported by `trainer import` from {result.name}; edit freely, but a new "
              "import replaces this file.\n")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".import-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(header + text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
