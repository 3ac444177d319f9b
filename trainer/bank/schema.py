"""JSON Schema for bank files, generated from the models.

`trainer bank schema` prints it; `question_bank/schema.json` is its committed output
(a test keeps the two equal), so YAML language servers can complete and check bank files.
"""

from __future__ import annotations

import dataclasses
import json
import types
from enum import Enum
from typing import Any, Literal, Union, get_args, get_origin

from .convert import fields_of
from .models import BankFile


def _ref(cls: type) -> dict[str, str]:
    return {"$ref": f"#/$defs/{cls.__name__}"}


def _type(hint: Any, meta: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(hint) if a is not type(None)]
        return {"anyOf": [_type(inner[0], meta, defs), {"type": "null"}]}
    if origin is tuple:
        item_meta = {"min": 1, "pattern": meta.get("item_pattern")}
        out: dict[str, Any] = {"type": "array", "items": _type(get_args(hint)[0], item_meta, defs)}
        if meta.get("min"):
            out["minItems"] = meta["min"]
        return out
    if origin is Literal:
        return {"enum": list(get_args(hint))}
    if isinstance(hint, type) and issubclass(hint, Enum):
        return {"enum": [m.value for m in hint]}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        _define(hint, defs)
        return _ref(hint)
    if hint is str:
        out = {"type": "string"}
        if meta.get("min"):
            out["minLength"] = 1
        if meta.get("pattern"):
            out["pattern"] = f"^(?:{meta['pattern']})$"
        return out
    if hint is bool:
        return {"type": "boolean"}
    if hint is int or hint is float:
        out = {"type": "integer" if hint is int else "number"}
        if meta.get("min") is not None:
            out["minimum"] = meta["min"]
        if meta.get("max") is not None:
            out["maximum"] = meta["max"]
        return out
    raise TypeError(f"unsupported field type {hint!r}")


def _define(cls: type, defs: dict[str, Any]) -> None:
    if cls.__name__ in defs:
        return
    defs[cls.__name__] = {}  # placeholder first: models refer to each other
    props: dict[str, Any] = {}
    required: list[str] = []
    for f in fields_of(cls):
        prop = _type(f.hint, f.meta, defs)
        if f.meta.get("doc"):
            prop = {"description": f.meta["doc"], **prop}
        props[f.name] = prop
        if f.required:
            required.append(f.name)
    body: dict[str, Any] = {
        "type": "object",
        "description": (cls.__doc__ or "").strip(),
        "properties": props,
        "additionalProperties": False,
    }
    if required:
        body["required"] = required
    defs[cls.__name__] = body


def bank_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    _define(BankFile, defs)
    top = defs.pop("BankFile")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "trainer question bank file",
        **top,
        "minProperties": 1,
        "$defs": dict(sorted(defs.items())),
    }


def schema_text() -> str:
    return json.dumps(bank_schema(), indent=2, ensure_ascii=False) + "\n"
