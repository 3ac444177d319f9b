"""Normalised tokens of an answer or a keyword, each with the span of text it came from.

The scorer compares ideas, not spellings, so both sides go through the same pipeline:
Unicode NFKC and typographic quotes folded, lower case, contractions split ("wouldn't" ->
"would not"), hyphens and slashes split ("roll-back" -> "roll back"; the matcher rejoins
neighbours so "rollback" still matches), British spellings to American ("anonymised" =
"anonymized"), number words and units unified ("five percent" = "5%"), every word reduced
to its Snowball stem so inflections meet, and finally the lexicon (`lexicon.py`), which
maps each synonym class to one token ("revert" = "roll back").

Every token keeps the character span of the original text it came from (so feedback can
highlight the words that earned or lost credit), its clause (negation never reaches past
one) and its sentence (no match spans two).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

# snowballstemmer ships no type information (no py.typed, no stubs package); `stem()` below
# is the one typed door to it.
import snowballstemmer  # type: ignore[import-untyped]

if TYPE_CHECKING:  # lexicon imports this module: the name is for the checker only
    from .lexicon import Lexicon

_STEMMER = snowballstemmer.stemmer("english")

# Typographic characters that NFKC leaves alone but candidates and editors produce. The
# em dash and horizontal bar stay: they separate clauses ("isn't killed — just removed").
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
    "\u2212": "-", "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None,
    "\ufeff": None,
})

# Words, numbers with an optional unit suffix (5xx, p99, 10k, 2x), the few symbols that
# carry meaning here, and the punctuation that separates clauses and sentences.
_TOKEN = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?[a-z]*"  # 10,000 and 5,000ms
    r"|[a-z]*\d+(?:\.\d+)+[a-z]*"  # 1.5x, v2.14.0, 99.9
    r"|[a-z0-9]+(?:'[a-z]+)?"  # words, 5xx, p99, don't
    r"|%|\$"
    r"|[.!?;](?=[\s*_)\]'\"]|$)"  # sentence ends ("e.g." and "v1.2" are handled below)
    r"|\n|:(?=\s|$)|[,()\u2014\u2015]|(?<=\s)-{1,2}(?=\s)"  # clause breaks
)
_SENTENCE_END = frozenset(".!?;\n")
_CLAUSE_BREAK = frozenset(",:()\u2014\u2015-")
# A full stop after these is an abbreviation, not the end of a sentence.
_ABBREVIATIONS = frozenset("e g i eg ie etc vs approx incl cf esp resp min max".split())

# Function words only: quantifiers ("few", "all", "more") and directions ("up", "down",
# "out") change meaning in this domain ("scale up", "few percent"), so they stay.
STOPWORDS = frozenset("""
a an the of to in on at by for from with as into onto about than then so such and or but
if while is are was were be been being am do does did has have had having it its
this that these those there their them they we our us you your i me my he she his her
him what which who whom whose when where why how can could should would will shall may
might must just also here s t d ll m re ve y let lets via e g eg ie etc
""".split())

NEGATIONS = frozenset(
    """
not no never without avoid avoids avoided avoiding nor neither none nobody nothing skip
skips skipping skipped instead rather refuse refuses
""".split()
)

_NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16",
    "seventeen": "17", "eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30",
    "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80",
    "ninety": "90", "hundred": "100", "thousand": "1000", "once": "1",
}

# Irregular forms the stemmer cannot join to their base.
_IRREGULAR = {
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
_UNITS = {
    "ms": "millisecond", "msec": "millisecond", "millisecond": "millisecond",
    "milliseconds": "millisecond", "s": "second", "sec": "second", "secs": "second",
    "seconds": "second", "m": "minute", "min": "minute", "mins": "minute",
    "minutes": "minute", "h": "hour", "hr": "hour", "hrs": "hour", "hours": "hour",
    "pct": "percent", "%": "percent", "percentage": "percent", "x": "x",
}
_UNIT_AFTER_NUMBER = {"s": "second", "m": "minute", "h": "hour", "x": "x", "k": "000"}

# British spellings to American: applied to both sides, so an over-eager rewrite
# ("promise" -> "promize") is harmless; only the meeting matters.
_SPELLING = (
    (re.compile(r"^(\w{3,})is(e|ed|es|ing|ation|ations|er|ers)$"), r"\1iz\2"),
    (re.compile(r"^(\w{2,})ys(e|ed|es|ing)$"), r"\1yz\2"),
    (re.compile(r"^(\w{3,})our(s|ed|ing|ite|ites|able)?$"), r"\1or\2"),
    (re.compile(r"^(\w{3,})tre(s)?$"), r"\1ter\2"),
    (re.compile(r"^(\w{3,})ogue(s)?$"), r"\1og\2"),
)


class Token(NamedTuple):  # a tuple: answers make thousands, and tuples are cheapest
    """One normalised word: `word` as typed (folded), `norm` after spelling and lexicon,
    `stem` for comparison."""

    word: str
    norm: str
    stem: str
    start: int
    end: int
    clause: int
    sentence: int


def fold(text: str) -> str:
    """Unicode-normalised, lower-cased text of the same length as far as possible."""
    return unicodedata.normalize("NFKC", text).translate(_FOLD).lower()


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


RawWord = tuple[str, int, int, int, int]  # word, start, end, clause, sentence


def split_raw(text: str) -> list[RawWord]:
    """(word, start, end, clause, sentence) for each raw word; spans index into `text`."""
    out: list[RawWord] = []
    append = out.append
    clause = sentence = 0
    for m in _TOKEN.finditer(text):
        word = m.group()
        if word[0].isalnum() and "'" not in word:  # most tokens: a plain word or number
            append((word, m.start(), m.end(), clause, sentence))
            continue
        if word == "\n" and _soft_wrap(text, m.start()):
            continue  # a hard-wrapped line of prose goes on in the next line
        if word in _SENTENCE_END:
            if word == "." and out and out[-1][0] in _ABBREVIATIONS and out[-1][2] == m.start():
                continue
            clause += 1
            sentence += 1
            continue
        if word in _CLAUSE_BREAK or word == "--":
            clause += 1
            continue
        start, end = m.span()
        if word.endswith("n't") and len(word) > 3:
            base = word[:-3]
            base = {"wo": "will", "ca": "can", "sha": "shall"}.get(base, base)
            append((base, start, end, clause, sentence))
            append(("not", start, end, clause, sentence))
            continue
        if "'" in word:
            head, _, tail = word.partition("'")
            append((head, start, end, clause, sentence))
            if tail == "d":  # "I'd" carries a modal: it marks a predicate
                append(("would", start, end, clause, sentence))
            elif tail == "ll":
                append(("will", start, end, clause, sentence))
            continue
        append((word, start, end, clause, sentence))
    return out


SOFT_WRAP_MIN = 45  # a line this long, cut without punctuation, was wrapped by an editor
_BULLET_START = re.compile(r"[ \t]*(?:[-*+\u2022>]|\d{1,2}[.)])(?:\s|$)")


def _soft_wrap(text: str, i: int) -> bool:
    """Is the newline at i a wrap inside a paragraph rather than the end of a line of its
    own? Lines of a list (short, or the next one bulleted) keep their break."""
    start = text.rfind("\n", 0, i) + 1
    line = text[start:i].rstrip()
    if len(line) < SOFT_WRAP_MIN or line[-1:] in ".:;!?,":
        return False
    nxt = text[i + 1 : i + 120]
    if not nxt.strip() or nxt[:1] == "\n" or _BULLET_START.match(nxt):
        return False
    return not _BULLET_START.match(line) or len(line) >= SOFT_WRAP_MIN


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
            return [m.group(1), _UNITS.get(m.group(2), m.group(2))]
        return [word]
    return [american(word)]


Word = tuple[str, str, str, int, int, int, int]  # word, norm, stem, start, end, clause, sent


def words_of(text: str) -> list[Word]:
    """Every word of `text` normalised up to (not including) the lexicon."""
    folded = fold(text)
    offsets: list[int] | None = None
    if len(folded) != len(text):
        # NFKC changed the length (ligatures, full-width forms): map spans back through a
        # per-character fold so they still index the original text.
        pieces: list[str] = []
        offsets = []
        for i, ch in enumerate(text):
            f = fold(ch)
            pieces.append(f)
            offsets.extend([i] * len(f))
        offsets.append(len(text))
        folded = "".join(pieces)
    words: list[Word] = []
    append = words.append
    cache = _NORMALISED
    after_number = False
    for raw, start, end, clause, sentence in split_raw(folded):
        if offsets is not None:
            start, end = offsets[start], offsets[end - 1] + 1
        if after_number:
            if raw in _UNIT_AFTER_NUMBER:
                raw = _UNIT_AFTER_NUMBER[raw]  # "45 s" is seconds, not a possessive
            elif raw in _UNITS:
                raw = _UNITS[raw]
        forms = cache.get(raw)
        if forms is None:
            forms = tuple((w, stem(w)) for w in expand(raw))
            if len(cache) < 200_000:
                cache[raw] = forms
        for w, st in forms:
            append((raw, w, st, start, end, clause, sentence))
        after_number = bool(forms) and forms[-1][0][0].isdigit()
    return words


# raw word -> its normalised forms and stems: answers reuse a small vocabulary, and this
# turns the per-word pipeline (expand, spelling, stemming) into one lookup.
_NORMALISED: dict[str, tuple[tuple[str, str], ...]] = {}


def tokenize(text: str, lexicon: Lexicon | None = None) -> list[Token]:
    """Normalised tokens of `text`, with spans into `text` itself, through `lexicon`
    (the built-in one when None)."""
    from .lexicon import default_lexicon

    lex = lexicon if lexicon is not None else default_lexicon()
    return lex.tokens(words_of(text))


def content(tokens: list[Token]) -> list[Token]:
    """Tokens that carry meaning (stopwords dropped)."""
    return [t for t in tokens if t.norm not in STOPWORDS]
