"""Numbered kinds as the things a prompt compares: "a Type I and a Type II error", "type 1
and type 2 diabetes", "stage 2 versus stage 3".

Such a prompt sets a noun beside itself; what tells the two sides apart is the number
after it, which is no word of its own to bind a phrase to (a digit, a roman numeral, and
"I" a stopword besides). A kind is the noun's stem and the number's value together,
written "type#1", so "Type I", "type 1", "type one" and "Type-I" are one subject, and the
binding (`binding.py`) treats it as it treats a compared word.
"""

from __future__ import annotations

from .matcher import AnswerIndex
from .text import STOPWORDS, Token

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9,
          "x": 10}


def number_of(word: str) -> int | None:
    """The value a kind's number is written with ("2", "ii" -> 2; the normaliser has made
    "two" a "2" already); None for any other word."""
    if word.isdigit() and len(word) <= 2:
        return int(word)
    return _ROMAN.get(word)


def kind_at(tokens: list[Token], k: int) -> str:
    """The kind the number at k names with the noun before it ("type#2"), or ""."""
    if k == 0:
        return ""
    value = number_of(tokens[k].norm) or number_of(tokens[k].word)
    noun = tokens[k - 1]
    if value is None or noun.norm in STOPWORDS or not noun.word.isalpha():
        return ""
    if noun.clause != tokens[k].clause:
        return ""
    return f"{noun.stem}#{value}"


def is_kind(head: str) -> bool:
    return "#" in head


def prompt_kinds(prompt: list[Token]) -> set[str]:
    """The kinds a prompt names when it names two or more of one noun ("Type I ... Type
    II"); none otherwise (a lone "step 3" compares nothing)."""
    found = {kind for k in range(len(prompt)) if (kind := kind_at(prompt, k))}
    by_noun: dict[str, set[str]] = {}
    for kind in found:
        by_noun.setdefault(kind.split("#", 1)[0], set()).add(kind)
    return {kind for kinds in by_noun.values() if len(kinds) >= 2 for kind in kinds}


def kind_positions(index: AnswerIndex, kinds: frozenset[str] | set[str]) -> list[tuple[int, str]]:
    """(position of the number, kind) wherever `index` names one of `kinds`."""
    out: list[tuple[int, str]] = []
    if not kinds:
        return out
    tokens, positions = index.tokens, index.positions
    nouns = {kind.split("#", 1)[0] for kind in kinds}
    for noun in nouns:
        for a, _, _ in positions.get(noun, ()):
            if a + 1 < len(tokens) and (kind := kind_at(tokens, a + 1)) in kinds:
                out.append((a + 1, kind))
    return out


def kind_names(prompt: str, tokens: list[Token]) -> dict[str, str]:
    """Each kind as the prompt writes it ("type#1": "Type I"), to name it by."""
    names: dict[str, str] = {}
    for k in range(len(tokens)):
        kind = kind_at(tokens, k)
        if kind:
            names.setdefault(kind, prompt[tokens[k - 1].start : tokens[k].end])
    return names
