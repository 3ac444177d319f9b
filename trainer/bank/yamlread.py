"""Safe, line-aware YAML reading for bank files.

The loader needs three things PyYAML's `safe_load` does not give: the line of every
mapping, key and list item (so each problem is reported as `file:line`), a hard refusal of
tags (banks from other people are data, never code), and bounds that keep hostile input
cheap (deep nesting, alias bombs, huge files). So the values are built here from PyYAML's
event stream, iteratively, with the C parser when it is available.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import Node, ScalarNode
from yaml.resolver import Resolver

from .lines import LineDict, LineList, YamlFloat, YamlInt, YamlProblem

# libyaml is several times faster; fall back to the pure-Python parser.
_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader] = (
    yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
)

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
# Nodes that aliases may add on top of the file's own; a legitimate bank uses few aliases,
# a "billion laughs" file needs millions.
MAX_ALIAS_EXPANSION = 100_000

_STR = "tag:yaml.org,2002:str"
_ALLOWED_TAGS = {None, "!", _STR, "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
# The stubs leave `resolve` unannotated; this is the signature PyYAML's own callers use.
_resolve: Callable[[type[Node], str, tuple[bool, bool]], str] = Resolver().resolve
_CONSTRUCTOR = SafeConstructor()
_SCALAR_BUILDERS: dict[str, Callable[[ScalarNode], bool | int | float | None]] = {
    "tag:yaml.org,2002:null": lambda node: None,
    "tag:yaml.org,2002:bool": _CONSTRUCTOR.construct_yaml_bool,
    "tag:yaml.org,2002:int": _CONSTRUCTOR.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCTOR.construct_yaml_float,
}


@dataclass(slots=True)
class _Frame:
    container: LineDict | LineList
    anchor: str | None
    size: int = 1
    pending_key: Any = None
    pending_key_line: int = 0
    expecting_key: bool = True


def decode(data: bytes, size: int | None = None) -> str:
    """Bytes to text, or a problem naming the line of the first bad byte. `size` is the
    file's real size when known: only the first few MB past the limit are ever read."""
    if len(data) > MAX_BYTES:
        real = max(size or 0, len(data))
        raise YamlProblem(
            0, f"file is {real / 1_048_576:.1f} MB; bank files are limited to 10 MB"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise YamlProblem(line, "not UTF-8 text (binary file or another encoding?)") from None
    nul = text.find("\x00")
    if nul >= 0:
        raise YamlProblem(text.count("\n", 0, nul) + 1, "NUL byte: this looks like a binary file")
    return text


# A plain scalar can only resolve to null, bool, int, float or a timestamp if it starts
# with one of these; checking the first character skips the resolver's regexes for text.
_MAYBE_NOT_TEXT = frozenset("0123456789+-.~:yYnNtTfFoO")


def _scalar(event: yaml.ScalarEvent) -> Any:
    value = event.value
    if not event.implicit[0] or event.tag == _STR:
        return value
    if value and value[0] not in _MAYBE_NOT_TEXT:
        return value
    tag = _resolve(ScalarNode, event.value, (True, False))
    build = _SCALAR_BUILDERS.get(tag)
    if build is None:  # timestamps and the like stay text: banks hold no dates
        return event.value
    try:
        built = build(ScalarNode(tag, event.value))
    except ValueError:  # an integer past Python's 4,300-digit limit: it stays text
        return event.value
    # Numbers keep the text they were written as: `id: 012` or `title: 1.10` is text
    # to a text field, whatever YAML 1.1 makes of it (10, 1.1; and `1:30` is 90).
    if isinstance(built, bool) or built is None:
        return built
    number = YamlInt(built) if isinstance(built, int) else YamlFloat(built)
    number.raw = value
    return number


def _check_tag(tag: str | None, line: int) -> None:
    if tag is not None and tag not in _ALLOWED_TAGS:
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        raise YamlProblem(
            line, f"tag {shown} is not allowed: bank files are plain data, never objects"
        )


def read_yaml(text: str) -> Any:
    """Parse one YAML document into dicts/lists/scalars with line information."""
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    expansion = 0
    documents = 0
    root: Any = None

    def attach(value: Any, line: int, size: int) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        frame = stack[-1]
        frame.size += size
        box = frame.container
        if isinstance(box, LineList):
            box.append(value)
            box.item_lines.append(line)
        elif frame.expecting_key:
            if not isinstance(value, (str, int, float, bool)) and value is not None:
                raise YamlProblem(line, "a mapping key must be plain text")
            frame.pending_key, frame.pending_key_line = str(value), line
            frame.expecting_key = False
        else:
            key = frame.pending_key
            if key in box:
                raise YamlProblem(
                    frame.pending_key_line,
                    f"duplicate key '{key}' (first at line {box.key_lines[key]})",
                )
            box[key] = value
            box.key_lines[key] = frame.pending_key_line
            frame.expecting_key = True

    try:
        for event in yaml.parse(text, Loader=_Loader):
            mark = event.start_mark
            line = mark.line + 1 if mark is not None else 0
            if isinstance(event, yaml.ScalarEvent):
                _check_tag(event.tag, line)
                # A key is a name as written: `on:` is the key "on", not True (YAML 1.1).
                key_slot = (stack and stack[-1].expecting_key
                            and isinstance(stack[-1].container, LineDict))
                value = event.value if key_slot else _scalar(event)
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
                attach(value, line, 1)
            elif isinstance(event, yaml.CollectionStartEvent):
                _check_tag(event.tag, line)
                if len(stack) >= MAX_DEPTH:
                    raise YamlProblem(line, f"nested deeper than {MAX_DEPTH} levels")
                box = (LineDict(line) if isinstance(event, yaml.MappingStartEvent)
                       else LineList(line))
                stack.append(_Frame(box, event.anchor))
            elif isinstance(event, yaml.CollectionEndEvent):
                frame = stack.pop()
                if frame.anchor:
                    anchors[frame.anchor] = (frame.container, frame.size)
                attach(frame.container, frame.container.line, frame.size)
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlProblem(line, "more than one YAML document in one file")
            elif isinstance(event, yaml.AliasEvent):
                anchor = event.anchor
                if anchor is None or anchor not in anchors:
                    raise YamlProblem(line, f"unknown alias *{anchor}")
                value, size = anchors[anchor]
                expansion += size
                if expansion > MAX_ALIAS_EXPANSION:
                    raise YamlProblem(line, "aliases expand too far (alias bomb?)")
                attach(value, line, size)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = mark.line + 1 if mark else 0
        what = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        raise YamlProblem(where, f"YAML syntax error: {what}") from None
    except yaml.reader.ReaderError as exc:
        # The reader knows only a character offset; the user needs the line.
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlProblem(line, f"control character U+{code:04X} is not allowed in a bank "
                          "file (write it as an escape in a double-quoted string)") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(0, f"YAML error: {exc}") from None
    except RecursionError:  # pragma: no cover - the depth limit comes first
        raise YamlProblem(0, f"nested deeper than {MAX_DEPTH} levels") from None
    return root
