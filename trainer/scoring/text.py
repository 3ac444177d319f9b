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
from typing import TYPE_CHECKING, NamedTuple, cast

# snowballstemmer ships no type information (no py.typed, no stubs package); `stem()` below
# is the one typed door to it.
import snowballstemmer  # type: ignore[import-untyped]

if TYPE_CHECKING:  # lexicon imports this module: the name is for the checker only
    from .lexicon import Lexicon

_STEMMER = snowballstemmer.stemmer("english")
STEMMER_MODULE: str = type(_STEMMER).__module__  # its code is part of every cached stem

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
    # Most tokens are a run of letters followed by neither a digit nor an apostrophe: the
    # alternatives below would match exactly that run, so it is tried first, in one scan.
    r"[a-z]++(?![0-9'])"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?[a-z]*"  # 10,000 and 5,000ms
    # 1.5x, v2.14.0, 99.9; the letters are taken possessively: giving one back can never
    # make a digit follow, and it spares a scan back over every plain word.
    r"|[a-z]*+\d+(?:\.\d+)+[a-z]*"
    r"|[a-z0-9]+(?:'[a-z]+)?"  # words, 5xx, p99, don't
    r"|%|\$"
    r"|[.!?;](?=[\s*_)\]'\"]|$)"  # sentence ends ("e.g." and "v1.2" are handled below)
    r"|\n|:(?=\s|$)|[,()\u2014\u2015]|(?<=\s)-{1,2}(?=\s)"  # clause breaks
)
_SENTENCE_END = frozenset(".!?;\n")
_CLAUSE_BREAK = frozenset(",:()\u2014\u2015-")
# The breaks that need no look around them ("." may follow an abbreviation, "\n" may be a
# soft wrap).
_CLAUSE_ONLY = _CLAUSE_BREAK | {"--"}
_SENTENCE_ONLY = _SENTENCE_END - {".", "\n"}
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
        last = out[-1] if out else ("", 0, -1, 0, 0)
        clause, sentence, more = _separator(text, m, last[0], last[2], clause, sentence)
        out += more
    return out


_NO_WORDS: tuple[RawWord, ...] = ()


def _separator(text: str, m: re.Match[str], last: str, last_end: int, clause: int,
               sentence: int) -> tuple[int, int, tuple[RawWord, ...]]:
    """Everything but a plain word (`last` is the raw word before it, ending at
    `last_end`): a break, giving the clause and sentence numbers after it; or a
    contraction or a symbol, giving its words."""
    word = m.group()
    if word == "\n" and _soft_wrap(text, m.start()):
        return clause, sentence, _NO_WORDS  # a hard-wrapped line of prose goes on
    if word in _SENTENCE_END:
        if word == "." and last in _ABBREVIATIONS and last_end == m.start():
            return clause, sentence, _NO_WORDS
        return clause + 1, sentence + 1, _NO_WORDS
    if word in _CLAUSE_BREAK or word == "--":
        return clause + 1, sentence, _NO_WORDS
    start, end = m.span()
    if word.endswith("n't") and len(word) > 3:
        base = word[:-3]
        base = {"wo": "will", "ca": "can", "sha": "shall"}.get(base, base)
        return clause, sentence, ((base, start, end, clause, sentence),
                                  ("not", start, end, clause, sentence))
    if "'" in word:
        head, _, tail = word.partition("'")
        # "I'd" carries a modal: it marks a predicate.
        modal = {"d": "would", "ll": "will"}.get(tail)
        if modal is None:
            return clause, sentence, ((head, start, end, clause, sentence),)
        return clause, sentence, ((head, start, end, clause, sentence),
                                  (modal, start, end, clause, sentence))
    return clause, sentence, ((word, start, end, clause, sentence),)


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


# A word before the lexicon: a Token already (the lexicon passes most words on as they are,
# so it need not copy them), with `norm` and `stem` not yet mapped to a synonym class.
Word = Token
_make = tuple.__new__  # Token(...) runs a Python-level __new__; this is the C one


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
    # One pass over the text: split (as `split_raw` does) and normalise each word as it
    # comes; separators and contractions, the rare tokens, go through `_separator`.
    words: list[Word] = []
    append = words.append
    get = _NORMALISED.get
    after_number = False
    clause = sentence = 0
    last, last_end = "", -1  # the last raw word and where it ends, for "e.g."
    for m in _TOKEN.finditer(folded):
        raw = m.group()
        if raw[0].isalnum() and "'" not in raw and offsets is None:
            # Most tokens: a plain word or number, in a text NFKC left as it was. This is
            # the loop below for one word, written out: it is most of the time spent.
            last, last_end = raw, m.end()
            if after_number:
                if raw in _UNIT_AFTER_NUMBER:
                    raw = _UNIT_AFTER_NUMBER[raw]  # "45 s" is seconds, not a possessive
                elif raw in _UNITS:
                    raw = _UNITS[raw]
            forms, after_number = get(raw) or _normalised(raw)
            for w, st in forms:
                append(_make(Token, (raw, w, st, m.start(), last_end, clause, sentence)))
            continue
        if raw in _CLAUSE_ONLY:  # the commonest separators, settled here
            clause += 1
            continue
        if raw in _SENTENCE_ONLY:
            clause += 1
            sentence += 1
            continue
        if raw[0].isalnum() and "'" not in raw:
            more: tuple[RawWord, ...] = ((raw, *m.span(), clause, sentence),)
        else:
            clause, sentence, more = _separator(folded, m, last, last_end, clause, sentence)
        for raw, start, end, c, sn in more:
            last, last_end = raw, end
            if offsets is not None:
                start, end = offsets[start], offsets[end - 1] + 1
            if after_number:
                if raw in _UNIT_AFTER_NUMBER:
                    raw = _UNIT_AFTER_NUMBER[raw]  # "45 s" is seconds, not a possessive
                elif raw in _UNITS:
                    raw = _UNITS[raw]
            forms, after_number = get(raw) or _normalised(raw)
            for w, st in forms:
                append(_make(Token, (raw, w, st, start, end, c, sn)))
    return words


def _normalised(raw: str) -> Forms:
    entry = _from_stored(_STORED.pop(raw)) if raw in _STORED else None
    if entry is None:
        forms = tuple((w, stem(w)) for w in expand(raw))
        entry = forms, bool(forms) and forms[-1][0][0].isdigit()
    if len(_NORMALISED) < _NORMALISED_MAX:
        _NORMALISED[raw] = entry
    return entry


# A raw word's normalised forms with their stems, and whether the last form is a number (a
# unit may follow it).
Forms = tuple[tuple[tuple[str, str], ...], bool]
# raw word -> its Forms: answers reuse a small vocabulary, and this turns the per-word
# pipeline (expand, spelling, stemming) into one lookup.
_NORMALISED: dict[str, Forms] = {}
_NORMALISED_MAX = 200_000


def normalised_forms(texts: list[str]) -> dict[str, Forms]:
    """The Forms of every word of `texts`, as `words_of` keeps them."""
    out: dict[str, Forms] = {}
    for text in texts:
        for w in words_of(text):
            raw = w[0]
            if raw not in out:
                out[raw] = _NORMALISED.get(raw) or _normalised(raw)
    return out


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
_STORED: dict[str, object] = {}


def tokenize(text: str, lexicon: Lexicon | None = None) -> list[Token]:
    """Normalised tokens of `text`, with spans into `text` itself, through `lexicon`
    (the built-in one when None)."""
    from .lexicon import default_lexicon

    lex = lexicon if lexicon is not None else default_lexicon()
    return lex.tokens(words_of(text))


# The tokens' fields as parallel tuples: word, norm, stem, start, end, clause, sentence.
Columns = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[int, ...],
                tuple[int, ...], tuple[int, ...], tuple[int, ...]]
NO_COLUMNS: Columns = ((), (), (), (), (), (), ())


def columns(tokens: list[Token]) -> Columns:
    """One transposition in C, for the several passes over an answer that each read one
    or two fields of every token."""
    if not tokens:
        return NO_COLUMNS
    return cast(Columns, tuple(zip(*tokens, strict=True)))


def content(tokens: list[Token]) -> list[Token]:
    """Tokens that carry meaning (stopwords dropped)."""
    return [t for t in tokens if t.norm not in STOPWORDS]
