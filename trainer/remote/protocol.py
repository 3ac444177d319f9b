"""The wire format between the interviewer's hub and the candidate's client.

One JSON object per line, UTF-8, each line at most `MAX_LINE` bytes. Every message is one
of the frozen dataclasses below and nothing else: `encode` refuses any other object, and
`decode` accepts only the types of one direction, with exactly their fields, each of the
declared type and within its bounds. So what the candidate can ever receive is the
`HOST_SENDS` allow-list: a prompt read aloud, the clock, their own draft, and whether the
interview goes on. A bank item never crosses the wire (`hub.ask_for` copies its prompt and
nothing else), so the rubric, hints, red flags and notes stay in the interviewer's process;
and this module imports nothing of the bank, so neither does the candidate's process.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import MISSING, dataclass, fields
from typing import Literal, get_args

PROTOCOL_VERSION = 1
MAX_LINE = 128 * 1024
"""Bytes per line, newline included; a longer line ends the connection."""
MAX_TEXT = 16_000
"""Characters of an answer. Even all escaped (6 bytes each) it fits in `MAX_LINE`."""
MAX_PROMPT = 4_000
"""Characters of a prompt; the longest in the built-in bank has about 500."""
MAX_COMMENT = 2_000
MAX_CODE = 200

AskKind = Literal["question", "follow-up"]
RefusalReason = Literal["wrong code", "locked", "busy", "ended", "version", "bad message"]
REFUSALS: dict[str, str] = {
    "wrong code": "the join code is wrong",
    "locked": "too many wrong codes: the interviewer has to issue a new code",
    "busy": "another candidate is already in this interview",
    "ended": "this interview has ended",
    "version": "the interviewer runs a different version of trainer",
    "bad message": "the client sent something the interviewer's trainer does not accept",
}


_SURROGATE = re.compile("[\ud800-\udfff]")


class ProtocolError(ValueError):
    """A line that is not one of the expected messages; the connection is dropped."""


# ---- host -> candidate: the allow-list --------------------------------------------------

@dataclass(frozen=True, slots=True)
class Welcome:
    """The join is accepted; the current state follows."""


@dataclass(frozen=True, slots=True)
class Refused:
    reason: RefusalReason

    def __post_init__(self) -> None:
        _member(self.reason, RefusalReason, "reason")


@dataclass(frozen=True, slots=True)
class Ask:
    """A prompt to answer. `seq` numbers the prompts of the interview (1, 2, ...); a
    follow-up carries its question's prompt as context. No count of what is left."""

    seq: int
    kind: AskKind
    prompt: str
    question: str = ""

    def __post_init__(self) -> None:
        _count(self.seq, "seq", low=1)
        _member(self.kind, AskKind, "kind")
        _text(self.prompt, "prompt", MAX_PROMPT)
        _text(self.question, "question", MAX_PROMPT)


@dataclass(frozen=True, slots=True)
class Draft:
    """The candidate's own answer so far, re-sent on a rejoin."""

    seq: int
    text: str

    def __post_init__(self) -> None:
        _count(self.seq, "seq", low=1)
        _text(self.text, "text", MAX_TEXT)


@dataclass(frozen=True, slots=True)
class Clock:
    """Interview time; the client counts on from it while `running`."""

    elapsed: float
    running: bool

    def __post_init__(self) -> None:
        if not math.isfinite(self.elapsed) or not 0 <= self.elapsed < 10 ** 7:
            raise ProtocolError("elapsed out of range")


@dataclass(frozen=True, slots=True)
class Ended:
    """The interviewer ended the interview: time for the candidate's ratings."""


@dataclass(frozen=True, slots=True)
class Bye:
    """The interviewer's session closes now; there is nothing to rejoin."""


@dataclass(frozen=True, slots=True)
class Ping:
    """Sent by either side when idle, so a silent dead link is noticed."""


# ---- candidate -> host -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Hello:
    code: str
    version: int

    def __post_init__(self) -> None:
        _text(self.code, "code", MAX_CODE)
        _count(self.version, "version")


@dataclass(frozen=True, slots=True)
class Answer:
    """The whole answer to prompt `seq` as it stands (sent while typing, debounced)."""

    seq: int
    text: str

    def __post_init__(self) -> None:
        _count(self.seq, "seq", low=1)
        _text(self.text, "text", MAX_TEXT)


@dataclass(frozen=True, slots=True)
class SelfRating:
    rating: int

    def __post_init__(self) -> None:
        _count(self.rating, "rating", low=1, high=4)


@dataclass(frozen=True, slots=True)
class RateInterviewer:
    rating: int
    comment: str = ""

    def __post_init__(self) -> None:
        _count(self.rating, "rating", low=1, high=4)
        _text(self.comment, "comment", MAX_COMMENT)


HostMessage = Welcome | Refused | Ask | Draft | Clock | Ended | Bye | Ping
CandidateMessage = Hello | Answer | SelfRating | RateInterviewer | Ping
Message = HostMessage | CandidateMessage

_NAMES: dict[type, str] = {
    Welcome: "welcome", Refused: "refused", Ask: "ask", Draft: "draft", Clock: "clock",
    Ended: "ended", Bye: "bye", Ping: "ping", Hello: "hello", Answer: "answer",
    SelfRating: "self_rating", RateInterviewer: "rate_interviewer",
}
HOST_SENDS: dict[str, type] = {_NAMES[t]: t for t in get_args(HostMessage)}
"""The allow-list: everything the candidate's side can be sent."""
CANDIDATE_SENDS: dict[str, type] = {_NAMES[t]: t for t in get_args(CandidateMessage)}


def encode(message: Message) -> bytes:
    name = _NAMES.get(type(message))
    if name is None:
        raise ProtocolError(f"not a protocol message: {type(message).__name__}")
    body: dict[str, object] = {"type": name}
    for f in fields(message):
        body[f.name] = getattr(message, f.name)
    line = json.dumps(body, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode("utf-8") + b"\n"
    if len(line) > MAX_LINE:
        raise ProtocolError(f"{name} message of {len(line)} bytes is over the limit")
    return line


def decode_host(line: bytes) -> HostMessage:
    """A line the candidate received; anything off the allow-list is a `ProtocolError`."""
    message = _decode(line, HOST_SENDS)
    assert isinstance(message, HostMessage)
    return message


def decode_candidate(line: bytes) -> CandidateMessage:
    message = _decode(line, CANDIDATE_SENDS)
    assert isinstance(message, CandidateMessage)
    return message


def _decode(line: bytes, allowed: dict[str, type]) -> object:
    if len(line) > MAX_LINE:
        raise ProtocolError("line over the size limit")
    try:
        body = json.loads(line.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ProtocolError(f"not a JSON line: {exc}") from None
    if not isinstance(body, dict):
        raise ProtocolError("not a JSON object")
    cls = allowed.get(str(body.pop("type", "")))
    if cls is None:
        raise ProtocolError("unknown message type")
    declared = {f.name: f for f in fields(cls)}
    required = {name for name, f in declared.items() if f.default is MISSING}
    if not required <= set(body) <= set(declared):
        raise ProtocolError(f"{_NAMES[cls]}: wrong fields")
    for key, value in body.items():
        if not _of_type(value, declared[key].type):
            raise ProtocolError(f"{_NAMES[cls]}.{key}: wrong type")
    try:
        return cls(**body)
    except TypeError as exc:
        raise ProtocolError(f"{_NAMES[cls]}: {exc}") from None


def _of_type(value: object, annotation: object) -> bool:
    # Annotations are strings (postponed evaluation); bool is checked before int because
    # True is an int to Python but not a count or a rating to us.
    kind = str(annotation)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str)  # str and the Literal aliases, checked in __post_init__


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not allowed")


def _text(value: str, name: str, limit: int) -> None:
    if len(value) > limit:
        raise ProtocolError(f"{name} longer than {limit} characters")
    if _SURROGATE.search(value):  # JSON can carry them; UTF-8, SQLite and terminals cannot
        raise ProtocolError(f"{name} has a lone surrogate")


def _count(value: int, name: str, *, low: int = 0, high: int = 10 ** 9) -> None:
    if not low <= value <= high:
        raise ProtocolError(f"{name} out of range")


def _member(value: str, alias: object, name: str) -> None:
    if value not in get_args(alias):
        raise ProtocolError(f"{name}: unexpected value")
