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
from typing import TYPE_CHECKING, Final, NamedTuple, cast

from .normalise import KNOWN_FORMS, UNIT_AFTER_NUMBER, UNITS, Forms, normalise_word

if TYPE_CHECKING:  # lexicon imports this module: the name is for the checker only
    from .lexicon import Lexicon

# Typographic characters that NFKC leaves alone but candidates and editors produce. The
# em dash and horizontal bar stay: they separate clauses ("isn't killed — just removed").
_FOLD: Final = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
    "\u2212": "-", "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None,
    "\ufeff": None,
})

# Words, numbers with an optional unit suffix (5xx, p99, 10k, 2x), the few symbols that
# carry meaning here, and the punctuation that separates clauses and sentences.
_TOKEN: Final = re.compile(
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
_SENTENCE_END: Final = frozenset(".!?;\n")
_CLAUSE_BREAK: Final = frozenset(",:()\u2014\u2015-")
# The breaks that need no look around them ("." may follow an abbreviation, "\n" may be a
# soft wrap).
_CLAUSE_ONLY: Final = _CLAUSE_BREAK | {"--"}
_SENTENCE_ONLY: Final = _SENTENCE_END - {".", "\n"}
# A full stop after these is an abbreviation, not the end of a sentence.
_ABBREVIATIONS: Final = frozenset("e g i eg ie etc vs approx incl cf esp resp min max".split())

# Function words only: quantifiers ("few", "all", "more") and directions ("up", "down",
# "out") change meaning in this domain ("scale up", "few percent"), so they stay.
STOPWORDS: Final = frozenset("""
a an the of to in on at by for from with as into onto about than then so such and or but
if while is are was were be been being am do does did has have had having it its
this that these those there their them they we our us you your i me my he she his her
him what which who whom whose when where why how can could should would will shall may
might must just also here s t d ll m re ve y let lets via e g eg ie etc
""".split())

NEGATIONS: Final = frozenset(
    """
not no never without avoid avoids avoided avoiding nor neither none nobody nothing skip
skips skipping skipped instead rather refuse refuses
""".split()
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
    if text.isascii():
        return text.lower()  # NFKC leaves ASCII as it is, and _FOLD maps none of it
    return unicodedata.normalize("NFKC", text).translate(_FOLD).lower()


RawWord = tuple[str, int, int, int, int]  # word, start, end, clause, sentence


def split_raw(text: str) -> list[RawWord]:
    """(word, start, end, clause, sentence) for each raw word; spans index into `text`."""
    out: list[RawWord] = []
    clause = sentence = 0
    for m in _TOKEN.finditer(text):
        word = m.group()
        if word[0].isalnum() and "'" not in word:  # most tokens: a plain word or number
            out.append((word, m.start(), m.end(), clause, sentence))
            continue
        last = out[-1] if out else ("", 0, -1, 0, 0)
        clause, sentence, more = _separator(text, m, last[0], last[2], clause, sentence)
        out += more
    return out


_NO_WORDS: Final[tuple[RawWord, ...]] = ()


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
        if word == "." and text[m.start() - 2 : m.start()] == "..":
            # An ellipsis is a pause far more often than a sentence's end ("the tempting
            # thing is ALTER TABLE ... RENAME COLUMN").
            return clause + 1, sentence, _NO_WORDS
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


SOFT_WRAP_MIN: Final = 45  # a line this long, cut without punctuation, was wrapped by an editor
_BULLET_START: Final = re.compile(r"[ \t]*(?:[-*+\u2022>]|\d{1,2}[.)])(?:\s|$)")


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


# A word before the lexicon: a Token already (the lexicon passes most words on as they are,
# so it need not copy them), with `norm` and `stem` not yet mapped to a synonym class.
Word = Token
_make: Final = tuple.__new__  # Token(...) runs a Python-level __new__; this is the C one


def words_of(text: str) -> list[Word]:
    """Every word of `text` normalised up to (not including) the lexicon."""
    folded = fold(text)
    words: list[Word] = []
    if len(folded) != len(text):
        # NFKC changed the length (ligatures, full-width forms): map spans back through a
        # per-character fold so they still index the original text.
        pieces: list[str] = []
        offsets: list[int] = []
        for i, ch in enumerate(text):
            f = fold(ch)
            pieces.append(f)
            offsets.extend([i] * len(f))
        offsets.append(len(text))
        folded = "".join(pieces)
        _scan(folded, offsets, 0, len(folded), len(folded), _START, words)
        return words
    # Most of a text is words and numbers between single spaces. The text is cut at
    # newlines and spaces (in C); a piece that is one word, perhaps with a bracket before
    # it or a comma or full stop after it, is a token as it stands, which is what the
    # token pattern would find there (`_piece`, kept per piece). Any other piece is left
    # to the pattern, with the text around it in view, once per piece and context
    # (`_scanned`). The state below is `_scan`'s, carried across pieces. (Compiled,
    # `words.append` and the dict methods are calls in C: bound to a name, they would
    # be generic Python calls; and the token class is a name looked up, a local is not.)
    known_pieces = _PIECES
    make, token = _make, Token
    after_number = False
    clause = sentence = 0
    last, last_end = "", -1  # the last raw word and where it ends, for "e.g."
    size = len(folded)
    line_start = 0
    resume = -1  # the end of a big-O term that spans pieces ("O(n log n)"), once scanned
    for line_no, line in enumerate(folded.split("\n")):
        if line_no and not _soft_wrap(folded, line_start - 1):
            clause += 1  # a newline ends a sentence, unless an editor wrapped the line
            sentence += 1
        pos = line_start
        for piece in line.split(" "):
            if not piece:
                pos += 1
                continue
            end = pos + len(piece)
            if pos < resume:
                if end > resume:  # what follows the term in its last piece ("n),")
                    after_number, clause, sentence, last, last_end = _scan(
                        folded, None, resume, end, min(end + 1, size),
                        (after_number, clause, sentence, last, last_end), words)
                pos = end + 1
                continue
            entry = known_pieces.get(piece)
            if entry is None:
                entry = _piece(piece)
            lead, raw, forms, cut, trail = entry
            if lead < 0:  # not one word: the pattern reads it
                if "o(" in piece and ")" not in piece[piece.index("o(") :]:
                    # A big-O term with spaces in it: the pattern reads it whole.
                    stop = end
                    close = folded.find(")", end, end + 24)
                    if close > 0 and "\n" not in folded[end:close]:
                        stop = resume = close + 1
                    after_number, clause, sentence, last, last_end = _scan(
                        folded, None, pos, stop, min(stop + 1, size),
                        (after_number, clause, sentence, last, last_end), words)
                    pos = end + 1
                    continue
                found, more_clauses, more_sentences, after_number, last_raw, last_at = (
                    _scanned(piece, after_number, folded[pos - 1] if pos else "",
                             folded[end] if end < size else ""))
                for raw, w, st, a, b, c, sn in found:
                    words.append(make(token, (raw, w, st, pos + a, pos + b, clause + c,
                                              sentence + sn)))
                clause += more_clauses
                sentence += more_sentences
                if last_at >= 0:
                    last, last_end = last_raw, pos + last_at
                pos = end + 1
                continue
            clause += lead
            start, stop = pos + lead, end - trail
            last, last_end = raw, stop
            if after_number and raw in _UNIT_WORDS:
                raw = UNIT_AFTER_NUMBER.get(raw) or UNITS[raw]  # "45 s" is seconds
                forms = KNOWN_FORMS.get(raw) or normalise_word(raw)
            pairs, after_number = forms
            for w, st in pairs:
                words.append(make(token, (raw, w, st, start, stop, clause, sentence)))
            if cut:
                clause += 1
                sentence += cut - 1
            pos = end + 1
        line_start += len(line) + 1
    return words


# piece -> (lead, raw, its Forms, cut, trail) when the piece is one word: lead 1 for a "("
# before it, trail 1 for a break after it, cut 0 for none, 1 a clause break, 2 a sentence
# end. Lead -1 (_SCAN) when the token pattern must read the piece. (A marker compared by
# its lead, not by identity: compiled, a tuple constant is unboxed and boxed again, so it
# would never be `is` itself.)
_Piece = tuple[int, str, Forms, int, int]
_PIECES: Final[dict[str, _Piece]] = {}
_PIECES_MAX: Final = 200_000
_SCAN: Final[_Piece] = (-1, "", ((), False), 0, 0)


def _piece(piece: str) -> _Piece:
    lead = piece[0] == "("
    trail = piece[-1] if piece[-1] in _TRAILING else ""
    raw = piece[lead : len(piece) - 1] if trail else piece[lead:]
    entry = _SCAN
    if raw and raw.isascii() and raw.isalnum() and raw != "cannot":
        # A full stop after an abbreviation ("etc.") ends nothing.
        cut = (2 if trail in _SENTENCE_ONLY or trail == "." and raw not in _ABBREVIATIONS
               else 1 if trail and trail != "." else 0)
        entry = (int(lead), raw, KNOWN_FORMS.get(raw) or normalise_word(raw), cut,
                 int(trail != ""))
    if len(_PIECES) < _PIECES_MAX:
        _PIECES[piece] = entry
    return entry


# What the token pattern finds in a piece it must read: the tokens, with spans from the
# piece's start and clause and sentence numbers from its own; the clauses and sentences
# it ends; whether a unit may follow; and its last raw word with where that ends (-1:
# none). It depends on the piece, on whether a number came before it, and on the one
# character either side that the pattern looks at (a space, a newline, or none).
_Found = tuple[str, str, str, int, int, int, int]
_Scanned = tuple[tuple[_Found, ...], int, int, bool, str, int]
_SCANNED: Final[dict[tuple[str, bool, str, str], _Scanned]] = {}


def _scanned(piece: str, after_number: bool, before: str, after: str) -> _Scanned:
    key = (piece, after_number, before, after)
    got = _SCANNED.get(key)
    if got is None:
        # The pattern run as `words_of` would run it there: on the piece with the
        # characters around it, from a state that differs only in what is relative.
        words: list[Word] = []
        start = len(before)
        text = before + piece + after
        number, more, sentences, last, last_end = _scan(
            text, None, start, start + len(piece), len(text), (after_number, 0, 0, "", -1),
            words)
        found = tuple([(t[0], t[1], t[2], t[3] - start, t[4] - start, t[5], t[6])
                       for t in words])
        got = (found, more, sentences, number, last, last_end - start if last_end >= 0 else -1)
        if len(_SCANNED) < _PIECES_MAX:
            _SCANNED[key] = got
    return got


# Punctuation that ends a piece and is a break of its own there (the next character is a
# space, a newline or the end): clause breaks, and sentence ends ("." not after "e.g").
_TRAILING: Final = frozenset(",:);!?.")
_RE_PREFIXED: Final = re.compile(r"re-[a-z]{2,}(?![0-9'])")
# O(1), O(n), O(log n), O(n log n), O(n^2), O(2^n), O(V+E), O(n!): the letters that
# name sizes, "log", digits and operators, nothing else ("O(no way)" is no complexity).
_BIG_O: Final = re.compile(
    r"o\(\s*((?:log|[nmkve0-9])(?:log|[nmkve0-9^*.!+ ]|\((?=[nmkve0-9]{1,3}\)))*?\)?)\s*\)")
_UNIT_WORDS: Final = UNIT_AFTER_NUMBER.keys() | UNITS.keys()
_State = tuple[bool, int, int, str, int]  # after a number, clause, sentence, last word, end
_START: Final[_State] = (False, 0, 0, "", -1)


def _scan(folded: str, offsets: list[int] | None, start: int, stop: int, limit: int,
          state: _State, words: list[Word]) -> _State:
    """The tokens the pattern finds in folded[start:stop] (it sees up to `limit`, so that
    what follows the stretch counts as it does in the whole text), added to `words`;
    `offsets` maps folded positions back to the text's. Returns the state after them."""
    after_number, clause, sentence, last, last_end = state
    skip_to = -1
    make, token = _make, Token
    for m in _TOKEN.finditer(folded, start, limit):
        if m.start() >= stop:
            break  # a newline after the stretch: the caller's
        if m.start() < skip_to:
            continue  # the word a "re-" prefix was joined to
        raw = m.group()
        if raw == "re" and (joined := _RE_PREFIXED.match(folded, m.start(), limit)):
            # "re-deploy" is "redeploy": "re" alone is a stopword (as in "you're"), and
            # the word without it says less ("re-auth" is not "auth").
            skip_to = joined.end()
            more: tuple[RawWord, ...] = ((joined.group().replace("-", ""), *joined.span(),
                                          clause, sentence),)
            raw = more[0][0]
            m = joined
        elif raw == "o" and (big := _BIG_O.match(folded, m.start(), limit)):
            # Complexity in big-O notation is one term: "O(n^2)" is neither "O(n)" nor
            # the words "o", "n" and "2" (the brackets would also cut it into clauses).
            skip_to = big.end()
            more = ((_big_o(big.group(1)), *big.span(), clause, sentence),)
            raw = more[0][0]
            m = big
        if raw in _CLAUSE_ONLY:  # the commonest separators, settled here
            clause += 1
            continue
        if raw in _SENTENCE_ONLY:
            clause += 1
            sentence += 1
            continue
        if skip_to == m.end():
            pass  # a "re-" word or a big-O term, made above
        elif raw == "cannot":  # "can" + "not", as "can't" is read
            more = (("can", *m.span(), clause, sentence), ("not", *m.span(), clause, sentence))
        elif raw[0].isalnum() and "'" not in raw:  # a plain word or number
            more = ((raw, *m.span(), clause, sentence),)
        else:
            clause, sentence, more = _separator(folded, m, last, last_end, clause, sentence)
        for raw, begin, end, c, sn in more:
            last, last_end = raw, end
            if offsets is not None:
                begin, end = offsets[begin], offsets[end - 1] + 1
            if after_number:
                if raw in UNIT_AFTER_NUMBER:
                    raw = UNIT_AFTER_NUMBER[raw]  # "45 s" is seconds, not a possessive
                elif raw in UNITS:
                    raw = UNITS[raw]
            forms: tuple[tuple[str, str], ...]
            if raw.startswith("o("):
                forms, after_number = ((raw, raw),), False  # a big-O term, as written
            else:
                forms, after_number = KNOWN_FORMS.get(raw) or normalise_word(raw)
            for w, st in forms:
                words.append(make(token, (raw, w, st, begin, end, c, sn)))
    return after_number, clause, sentence, last, last_end


def _big_o(inner: str) -> str:
    """One spelling of a complexity: "n log n", "nlogn" and "n*log(n)" are "o(nlogn)";
    "n^2", "n**2" and "n²" (folded to "n2") are "o(n^2)"."""
    inner = re.sub(r"[\s*()]", "", inner)
    inner = re.sub(r"\^+", "^", inner)
    inner = re.sub(r"(?<=[a-z])(\d)$", r"^\1", inner)
    return f"o({inner})"


def normalised_forms(texts: list[str]) -> dict[str, Forms]:
    """The Forms of every word of `texts`, as `words_of` keeps them."""
    out: dict[str, Forms] = {}
    for text in texts:
        for w in words_of(text):
            raw = w[0]
            if raw not in out:
                out[raw] = KNOWN_FORMS.get(raw) or normalise_word(raw)
    return out


def tokenize(text: str, lexicon: Lexicon | None = None) -> list[Token]:
    """Normalised tokens of `text`, with spans into `text` itself, through `lexicon`
    (the built-in one when None)."""
    from .lexicon import default_lexicon

    lex = lexicon if lexicon is not None else default_lexicon()
    return lex.tokens(words_of(text))


# The tokens' fields as parallel tuples: word, norm, stem, start, end, clause, sentence.
Columns = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[int, ...],
                tuple[int, ...], tuple[int, ...], tuple[int, ...]]
NO_COLUMNS: Final[Columns] = ((), (), (), (), (), (), ())


def columns(tokens: list[Token]) -> Columns:
    """One transposition in C, for the several passes over an answer that each read one
    or two fields of every token."""
    if not tokens:
        return NO_COLUMNS
    return cast(Columns, tuple(zip(*tokens, strict=True)))


def content(tokens: list[Token]) -> list[Token]:
    """Tokens that carry meaning (stopwords dropped)."""
    return [t for t in tokens if t.norm not in STOPWORDS]
