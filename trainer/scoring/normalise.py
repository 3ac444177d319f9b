"""Word normalisation: one spelling per word, number and unit, and its Snowball stem.

Every raw word of an answer or a keyword goes through `expand` (number words and units to
one form: "five percent" = "5%", "10k" = "10000", "45 s" = "45 second"; British
spellings to American: "anonymised" = "anonymized") and `stem` (irregular forms first:
"took" = "take"). `text.words_of` keeps the result per raw word (`Forms`), and the disk
cache (`idfcache.py`) keeps it for the bank's own words, so most words are looked up,
not worked out.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

# snowballstemmer ships no type information (no py.typed, no stubs package); `stem()` below
# is the one typed door to it.
import snowballstemmer  # type: ignore[import-untyped]

_STEMMER: Final = snowballstemmer.stemmer("english")
STEMMER_MODULE: Final[str] = type(_STEMMER).__module__  # its code is part of every cached stem

_NUMBER_WORDS: Final = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16",
    "seventeen": "17", "eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30",
    "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80",
    "ninety": "90", "hundred": "100", "thousand": "1000", "once": "1",
}

# Irregular forms the stemmer cannot join to their base.
_IRREGULAR: Final = {
    "ran": "run", "took": "take", "taken": "take", "built": "build", "wrote": "write",
    "written": "write", "fell": "fall", "fallen": "fall", "sent": "send", "went": "go",
    "gone": "go", "broke": "break", "broken": "break", "chose": "choose", "chosen": "choose",
    "saw": "see", "seen": "see", "kept": "keep", "led": "lead", "lost": "lose",
    "shut": "shut", "spun": "spin", "swapped": "swap", "hit": "hit", "bought": "buy",
    "caught": "catch", "thought": "think", "found": "find", "held": "hold", "began": "begin",
    "begun": "begin", "drove": "drive", "driven": "drive", "grew": "grow", "grown": "grow",
    "rode": "ride", "rolledback": "rollback", "children": "child", "data": "data",
    "indices": "index", "indexes": "index", "caches": "cache", "cached": "cache",
    "caching": "cache", "did": "do", "done": "do", "made": "make", "got": "get",
    "gotten": "get", "knew": "know", "known": "know", "told": "tell", "brought": "bring",
}

# Units written after a number ("45 s", "2 h") and their one spelling.
UNITS: Final = {
    "ms": "millisecond", "msec": "millisecond", "millisecond": "millisecond",
    "milliseconds": "millisecond", "s": "second", "sec": "second", "secs": "second",
    "seconds": "second", "m": "minute", "min": "minute", "mins": "minute",
    "minutes": "minute", "h": "hour", "hr": "hour", "hrs": "hour", "hours": "hour",
    "pct": "percent", "%": "percent", "percentage": "percent", "x": "x",
}
UNIT_AFTER_NUMBER: Final = {"s": "second", "m": "minute", "h": "hour", "x": "x", "k": "000"}

# British spellings to American: applied to both sides, so an over-eager rewrite
# ("promise" -> "promize") is harmless; only the meeting matters.
_SPELLING: Final = (
    (re.compile(r"^(\w{3,})is(e|ed|es|ing|ation|ations|er|ers)$"), r"\1iz\2"),
    (re.compile(r"^(\w{2,})ys(e|ed|es|ing)$"), r"\1yz\2"),
    (re.compile(r"^(\w{3,})our(s|ed|ing|ite|ites|able)?$"), r"\1or\2"),
    (re.compile(r"^(\w{3,})tre(s)?$"), r"\1ter\2"),
    (re.compile(r"^(\w{3,})ogue(s)?$"), r"\1og\2"),
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    word = _IRREGULAR.get(word, word)
    if word.isdigit() or len(word) <= 3:
        return word
    stemmed: str = _STEMMER.stemWord(word)
    return stemmed


@lru_cache(maxsize=65536)
def american(word: str) -> str:
    if len(word) < 6 or not word.isalpha():
        return word
    for pattern, repl in _SPELLING:
        new = pattern.sub(repl, word)
        if new != word:
            return new
    return word


def expand(word: str) -> list[str]:
    """Number and unit spellings to one form: '10k' -> '10000', '2x' -> '2 x'."""
    if word in _NUMBER_WORDS:
        return [_NUMBER_WORDS[word]]
    if word == "%":
        return ["percent"]
    if word[0].isdigit():
        word = word.replace(",", "")
        m = re.fullmatch(r"(\d+)k", word)
        if m:
            return [m.group(1) + "000"]
        m = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m|h|x|gb|mb|gib|mib|rps)", word)
        if m:
            return [m.group(1), UNITS.get(m.group(2), m.group(2))]
        return [word]
    return [american(word)]


# A raw word's normalised forms with their stems, and whether the last form is a number (a
# unit may follow it).
Forms = tuple[tuple[tuple[str, str], ...], bool]
# raw word -> its Forms: answers reuse a small vocabulary, and this turns the per-word
# pipeline (expand, spelling, stemming) into one lookup.
KNOWN_FORMS: Final[dict[str, Forms]] = {}
KNOWN_FORMS_MAX: Final = 200_000


def normalise_word(raw: str) -> Forms:
    """A raw word's Forms, kept in KNOWN_FORMS: read back from the disk cache's when it
    had the word, else worked out."""
    entry = _from_stored(_STORED.pop(raw)) if raw in _STORED else None
    if entry is None:
        forms = tuple((w, stem(w)) for w in expand(raw))
        entry = forms, bool(forms) and forms[-1][0][0].isdigit()
    if len(KNOWN_FORMS) < KNOWN_FORMS_MAX:
        KNOWN_FORMS[raw] = entry
    return entry


def stored_forms(forms: dict[str, Forms]) -> dict[str, object]:
    """Forms as the disk cache keeps them: raw -> [[form, stem, form, stem...], number]."""
    return {raw: [[x for pair in f for x in pair], digit] for raw, (f, digit) in forms.items()}


def preload(stored: dict[str, object]) -> None:
    """Take Forms made earlier (the bank's words, from the disk cache) as `stored_forms`
    gives them. Each is read back (and checked) when a text first has that word."""
    _STORED.update(stored)


def _from_stored(value: object) -> Forms | None:
    if type(value) is not list or len(value) != 2 or type(value[1]) is not bool:
        return None
    flat = value[0]
    if type(flat) is not list or not flat or len(flat) % 2:
        return None
    try:
        "".join(flat)  # one call in C checks that every item is a string
    except TypeError:
        return None
    return tuple(zip(flat[::2], flat[1::2], strict=True)), value[1]


# raw word -> its Forms as the disk cache had them, not yet read back.
_STORED: Final[dict[str, object]] = {}
