"""Turn line-aware YAML values into the typed models, collecting every problem.

Called by the loader for each file. Conversion never stops at the first problem: a bad
field is reported and skipped so that one run shows the author everything to fix.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
import types
import typing
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin

from .lines import LineDict, LineList, literal


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a bank, at a place an editor can jump to."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    hint: Any
    required: bool
    meta: dict[str, Any]


@cache
def fields_of(cls: type) -> tuple[_Field, ...]:
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        out.append(_Field(f.name, hints[f.name], required, dict(f.metadata)))
    return tuple(out)


def _label(cls: type) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", cls.__name__).lower()


def _type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"true/false ({value})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    return f"text ({value[:40]!r})"


# No count, rate or duration in a bank comes near this; past it, the simulator's float
# arithmetic overflows (an integer of 400 digits cannot even become a float).
MAX_MAGNITUDE = 10**15


def _shown(value: int | float) -> str:
    text = str(value)
    return text if len(text) <= 40 else f"{text[:20]}... ({len(text)} digits)"


class Converter:
    """Converts values for one file, appending problems to `problems`."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def model(self, cls: type, value: Any, line: int, what: str) -> Any:
        if not isinstance(value, LineDict):
            self.error(line, f"{what or 'file'}: expected a mapping, got {_type_name(value)}")
            return None
        ident = value.get("id") or value.get("term")
        # Name an item by its id where it has one: "follow-up 'x.f1'" beats a list index.
        label = f"{_label(cls)} '{ident}'" if isinstance(ident, str) and ident else what
        specs = fields_of(cls)
        known = {f.name for f in specs}
        for key in value:
            if key not in known:
                guess = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                tip = f"; did you mean '{guess[0]}'?" if guess else ""
                allowed = ", ".join(sorted(known))
                where = f"{label}: " if label else ""
                extra = "" if guess else f" (allowed: {allowed})"
                self.error(value.key_lines[key], f"{where}unknown key '{key}'{tip}{extra}")
        kwargs: dict[str, Any] = {}
        ok = True
        for f in specs:
            if f.name not in value:
                if f.required:
                    self.error(value.line, f"{label}: missing required key '{f.name}'")
                    ok = False
                continue
            sub_line = value.key_lines[f.name]
            sub_what = f"{label}.{f.name}" if label else f.name
            converted = self.value(f.hint, value[f.name], sub_line, sub_what, f.meta)
            if converted is _BAD:
                ok = False if f.required else ok
                continue
            kwargs[f.name] = converted
        if not ok:
            return None
        return cls(**kwargs)

    def value(self, hint: Any, value: Any, line: int, what: str, meta: dict[str, Any]) -> Any:
        kind, arg = _shape(hint)
        if kind == "str":
            if value.__class__ is str and not meta:  # the common case, kept cheap
                return value
            return self.text(value, line, what, meta)
        if kind == "optional":
            return None if value is None else self.value(arg, value, line, what, meta)
        if kind == "tuple":
            return self.sequence(arg, value, line, what, meta)
        if kind == "choice":
            return self.choice(arg, value, line, what)
        if kind == "enum":
            got = self.choice(tuple(m.value for m in hint), value, line, what)
            return _BAD if got is _BAD else hint(got)
        if kind == "model":
            got = self.model(hint, value, line, what)
            return _BAD if got is None else got
        if hint is bool:
            if isinstance(value, bool):
                return value
            self.error(line, f"{what}: expected true or false, got {_type_name(value)}")
            return _BAD
        if hint is int or hint is float:
            return self.number(hint, value, line, what, meta)
        raise TypeError(f"unsupported field type {hint!r}")  # a bug in models.py

    def number(self, hint: type[int] | type[float], value: Any, line: int, what: str,
               meta: dict[str, Any]) -> Any:
        integer = hint is int
        if not isinstance(value, int if integer else (int, float)) or isinstance(value, bool):
            wanted = "an integer" if integer else "a number"
            self.error(line, f"{what}: expected {wanted}, got {_type_name(value)}")
            return _BAD
        if isinstance(value, float) and not math.isfinite(value):  # YAML's .inf and .nan
            self.error(line, f"{what}: must be a finite number, got {value}")
            return _BAD
        bound = "an integer " if integer else ""
        shown = _shown(value)
        low = meta.get("min")
        if low is not None and value < low:
            self.error(line, f"{what}: must be {bound}>= {low}, got {shown}")
            return _BAD
        high = meta.get("max")
        if high is not None and value > high:
            self.error(line, f"{what}: must be {bound}<= {high}, got {shown}")
            return _BAD
        if abs(value) > MAX_MAGNITUDE:
            self.error(line, f"{what}: must be at most {MAX_MAGNITUDE:.0e} in size, got {shown}")
            return _BAD
        return hint(value)  # a plain number, not the reader's YamlInt or YamlFloat

    def text(self, value: Any, line: int, what: str, meta: dict[str, Any]) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = literal(value)  # `title: 1.10` means the text 1.10, as written
            value = value if isinstance(value, str) else str(value)
        if not isinstance(value, str):
            self.error(line, f"{what}: expected text, got {_type_name(value)}")
            return _BAD
        if meta.get("min") and not value.strip():
            self.error(line, f"{what}: must not be empty")
            return _BAD
        pattern = meta.get("pattern")
        if pattern and value and not re.fullmatch(pattern, value):
            self.error(
                line,
                f"{what}: '{value}' is not a valid id (lower-case letters, digits, '.', '_', '-')",
            )
            return _BAD
        return value

    def sequence(self, item: Any, value: Any, line: int, what: str, meta: dict[str, Any]) -> Any:
        if value is None:
            value = LineList(line)
        if isinstance(value, str) and item is str:
            value_list = LineList(line)  # `topics: canary` is a list of one
            value_list.append(value)
            value_list.item_lines.append(line)
            value = value_list
        if not isinstance(value, LineList):
            self.error(line, f"{what}: expected a list, got {_type_name(value)}")
            return _BAD
        low = meta.get("min", 0)
        if len(value) < low:
            kind = "keyword list" if what.endswith("keywords") else "list"
            need = "at least one entry" if low == 1 else f"at least {low} entries"
            self.error(line, f"{what}: empty {kind}; needs {need}" if not value
                       else f"{what}: needs {need}")
            return _BAD
        item_meta = {"min": 1}
        if "item_pattern" in meta:
            item_meta["pattern"] = meta["item_pattern"]
        out = []
        for i, (sub, sub_line) in enumerate(zip(value, value.item_lines, strict=True)):
            got = self.value(item, sub, sub_line, f"{what}[{i + 1}]", item_meta)
            if got is not _BAD and got is not None:
                out.append(got)
        return tuple(out)

    def choice(self, options: tuple[str, ...], value: Any, line: int, what: str) -> Any:
        if isinstance(value, str) and value in options:
            return value
        shown = value if isinstance(value, str) else _type_name(value)
        guess = difflib.get_close_matches(str(value).lower(), options, n=1, cutoff=0.5)
        tip = f"; did you mean '{guess[0]}'?" if guess else ""
        self.error(line, f"{what}: must be one of {', '.join(options)}; got '{shown}'{tip}")
        return _BAD


_BAD = object()


@cache
def _shape(hint: Any) -> tuple[str, Any]:
    """How to convert a value for this type hint, worked out once per hint."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return "optional", next(a for a in get_args(hint) if a is not type(None))
    if origin is tuple:
        return "tuple", get_args(hint)[0]
    if origin is Literal:
        return "choice", get_args(hint)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return "enum", None
    if dataclasses.is_dataclass(hint):
        return "model", None
    if hint is str:
        return "str", None
    return "plain", None
