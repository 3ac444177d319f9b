"""Keyword phrases compiled for the matcher, and the bank's IDF weights.

A keyword goes through the same normaliser as answers (`text.py`, `lexicon.py`): it becomes
the stems of its content words (a synonym class is one stem), with its words before
stemming for typos, its run-together form ("roll back" -> "rollback"), and whether it
states a negation itself ("no 502s"). A numeric range ("1-5%") becomes one range token
that any number inside it matches. Compiled keywords are kept by the lexicon, and on disk
(`idfcache.py`).
"""

from __future__ import annotations

import math
import re
from typing import Final

from .lexicon import Lexicon, default_lexicon
from .negation import negated_tokens
from .text import NEGATIONS, STOPWORDS, fold, tokenize

RANGE_PREFIX: Final = "#range:"
# A compiled keyword as the disk cache keeps it (`idfcache.py`): the fields of a Pattern
# after its text (stems, has_negation, joined, words).
PatternRow = tuple[tuple[str, ...], bool, str | None, tuple[str, ...]]


class Pattern:
    """One keyword phrase, compiled; `joined` is the phrase run together ("roll back" ->
    "rollback") so that spelling meets it too. `words` are the words before stemming,
    for typos the stemmer cuts differently ("sepraate" is one letter swap from
    "separate", but its stem is far from "separ").

    Immutable by convention. A plain class, not a frozen dataclass: `warm()` makes one
    per keyword of the bank (thousands) in every batch, and a frozen dataclass's
    __init__ costs twice as much. Compiled (setup.py), it is a native class: the matcher
    reads its fields as struct members, not through attribute lookups."""

    __slots__ = ("has_negation", "joined", "keys", "repeats", "single", "stems", "text",
                 "typed", "window", "words")

    def __init__(self, text: str, stems: tuple[str, ...], has_negation: bool,
                 joined: str | None = None, words: tuple[str, ...] = ()) -> None:
        self.text = text
        self.stems = stems
        self.has_negation = has_negation
        self.joined = joined
        self.words = words
        # Derived, for the matcher: per stem, the word its typos are sought by ("" for
        # none) and the key its lookup is kept under in an answer's index.
        n = len(stems)
        typed = words if len(words) == n else ("",) * n
        self.typed: tuple[str, ...] = typed
        # Indexed, not zipped: compiled, a loop over range() is native, and zip(...,
        # strict=True) a generic call (warm() makes thousands of patterns).
        keys = tuple([lookup_key(stems[k], typed[k]) for k in range(n)])
        self.keys: tuple[str, ...] = keys
        self.single = n == 1 and not joined  # its positions are its matches
        self.repeats = n > 1 and len(set(keys)) < n  # a word said twice ("one by one")
        self.window = n + 3 + n // 2  # how far apart its words may be, by default

    def _fields(self) -> tuple[str, tuple[str, ...], bool, str | None, tuple[str, ...]]:
        return self.text, self.stems, self.has_negation, self.joined, self.words

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pattern) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (f"Pattern(text={self.text!r}, stems={self.stems!r}, has_negation="
                f"{self.has_negation!r}, joined={self.joined!r}, words={self.words!r})")


def lookup_key(s: str, word: str) -> str:
    return s if not word or word == s else f"{s}\0{word}"


def _pattern(text: str, stems: tuple[str, ...], has_negation: bool,
             words: tuple[str, ...] = ()) -> Pattern:
    plain = 2 <= len(stems) <= 3 and not any(s.startswith(("#", "~")) for s in stems)
    return Pattern(text, stems, has_negation, "".join(stems) if plain else None,
                   words if len(words) == len(stems) else ())


_RANGE: Final = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(?:-|to)\s*(\d[\d,]*(?:\.\d+)?)")


def compile_keyword(text: str, lexicon: Lexicon | None = None) -> Pattern:
    """A keyword as stems; a numeric range ("1-5%", "30 to 60 s") becomes one range
    token that any number inside it matches, so "1%" meets "1-5%"."""
    lex = lexicon if lexicon is not None else default_lexicon()
    got = lex.compiled.get(text)
    if got is None:
        # Made from the disk cache's row when `Grader.warm()` left one, which costs a
        # fraction of compiling it.
        row = lex.stored.pop(text, None)
        if row is not None:
            stems, has_negation, joined, words = row
            got = Pattern(text, stems, has_negation, joined, words)
        else:
            got = _compile(text, lex)
        lex.compiled[text] = got
    return got


def _compile(text: str, lex: Lexicon) -> Pattern:
    folded = fold(text)
    m = _RANGE.search(folded)
    # Only a range with a unit or words around it ("1-5%", "every 10-15 s") stands for
    # any number inside it; a bare "5-10" would match every small number in an answer,
    # and "180 to 52" is a change, not a range.
    lo, hi = (float(g.replace(",", "")) for g in m.groups()) if m else (0.0, 0.0)
    if m and lo < hi and folded.strip() != m.group(0):
        head = compile_keyword(text[: m.start()], lex).stems if m.start() else ()
        tail = compile_keyword(f"{m.group(2)}{text[m.end():]}", lex).stems[1:]
        stems = (*head, f"{RANGE_PREFIX}{lo}:{hi}", *tail)
        return _pattern(text, stems, any(t.word in NEGATIONS for t in tokenize(text, lex)))
    tokens = tokenize(text, lex)
    # A keyword that judges what it names ("splitting it up is the mistake") states its
    # rejection itself, as one with "not" does: matched literally, never read as negated.
    has_neg = any(t.word in NEGATIONS or t.norm in NEGATIONS for t in tokens) or (
        len(tokens) > 1 and any(negated_tokens(tokens, text)))
    kept = [t for t in tokens if t.norm not in STOPWORDS or has_neg and t.norm in NEGATIONS]
    if not kept:  # a keyword made only of stopwords ("as is") keeps them
        kept = tokens
    return _pattern(text, tuple(t.stem for t in kept), has_neg, tuple(t.norm for t in kept))


def idf_weights(stems: tuple[str, ...], idf: dict[str, float] | None) -> list[float]:
    if not idf:
        return [1.0] * len(stems)
    default = max(idf.values(), default=1.0)
    return [idf.get(s, default) for s in stems]


def inverse_document_frequency(documents: list[str],
                               lexicon: Lexicon | None = None) -> dict[str, float]:
    """Smoothed IDF of each stem over the documents (questions and answers of a bank)."""
    df: dict[str, int] = {}
    for doc in documents:
        for s in {t.stem for t in tokenize(doc, lexicon) if t.norm not in STOPWORDS}:
            df[s] = df.get(s, 0) + 1
    n = len(documents)
    return {s: math.log((n + 1) / (c + 0.5)) + 1.0 for s, c in df.items()}
