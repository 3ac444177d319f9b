"""Finding keyword phrases in an answer: typo-tolerant, window-based, negation-aware.

A keyword phrase matches when all of its content words occur (as stems or lexicon classes,
as a typo of one, as two neighbouring words run together, or one word split in two) within
a small window of one sentence, in any order. Each match reports the answer span it covers
and whether it is negated (`negation.py`).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from .lexicon import Lexicon, default_lexicon
from .negation import negated_tokens
from .text import NEGATIONS, STOPWORDS, Token, fold, tokenize

RANGE_PREFIX = "#range:"
_NONE: list[tuple[int, int, float]] = []
FUZZY_QUALITY = 0.85


@dataclass(frozen=True, slots=True)
class Pattern:
    """One keyword phrase, compiled; `joined` is the phrase run together ("roll back" ->
    "rollback") so that spelling meets it too."""

    text: str
    stems: tuple[str, ...]
    has_negation: bool
    joined: str | None = None
    # The words before stemming, for typos the stemmer cuts differently ("sepraate" is
    # one letter swap from "separate", but its stem is far from "separ").
    words: tuple[str, ...] = ()


def _pattern(text: str, stems: tuple[str, ...], has_negation: bool,
             words: tuple[str, ...] = ()) -> Pattern:
    plain = 2 <= len(stems) <= 3 and not any(s.startswith(("#", "~")) for s in stems)
    return Pattern(text, stems, has_negation, "".join(stems) if plain else None,
                   words if len(words) == len(stems) else ())


_RANGE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(?:-|to)\s*(\d[\d,]*(?:\.\d+)?)")


def _number(norm: str) -> float | None:
    try:
        value = float(norm)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def compile_keyword(text: str, lexicon: Lexicon | None = None) -> Pattern:
    """A keyword as stems; a numeric range ("1-5%", "30 to 60 s") becomes one range
    token that any number inside it matches, so "1%" meets "1-5%"."""
    lex = lexicon if lexicon is not None else default_lexicon()
    got = lex.compiled.get(text)
    if got is None:
        got = lex.compiled[text] = _compile(text, lex)
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
    has_neg = any(t.word in NEGATIONS or t.norm in NEGATIONS for t in tokens)
    kept = [t for t in tokens if t.norm not in STOPWORDS or has_neg and t.norm in NEGATIONS]
    if not kept:  # a keyword made only of stopwords ("as is") keeps them
        kept = tokens
    return _pattern(text, tuple(t.stem for t in kept), has_neg, tuple(t.norm for t in kept))


@dataclass(slots=True)
class Match:
    """Where a pattern was found: token range, quality 0..1, share found, negation."""

    first: int
    last: int
    quality: float
    share: float  # weighted share of the phrase's words found (1.0 = all of them)
    complete: bool
    negated: bool = False
    ordered: bool = True  # the words come in the keyword's order


@dataclass(slots=True)
class AnswerIndex:
    """Positions of every stem (and joined neighbour pair) in one answer."""

    tokens: list[Token]
    positions: dict[str, list[tuple[int, int, float]]] = field(default_factory=dict)
    negated: list[bool] = field(default_factory=list)
    _buckets: dict[str, set[str]] = field(default_factory=dict)
    _word_buckets: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    numbers: list[tuple[int, float]] = field(default_factory=list)
    text: str = ""
    lexicon: Lexicon | None = None
    _lookups: dict[str, list[tuple[int, int, float]]] = field(default_factory=dict)
    _start_cache: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, text: str, known: frozenset[str] = frozenset(),
              lexicon: Lexicon | None = None) -> AnswerIndex:
        """Index `text`. Words in `known` (the bank's vocabulary) are real words, so they
        are never taken for a typo of another word ("assets" is not "asserted")."""
        tokens = tokenize(text, lexicon)
        index = cls(tokens, text=text, lexicon=lexicon or default_lexicon())
        pos = index.positions
        get = pos.get
        numbers = index.numbers
        prev_stem, prev_clause = "", -1
        for i, t in enumerate(tokens):
            st = t.stem
            hits = get(st)
            if hits is None:
                pos[st] = [(i, i, 1.0)]
            else:
                hits.append((i, i, 1.0))
            if st[0].isdigit():
                value = _number(t.norm)
                if value is not None:
                    numbers.append((i, value))
            if t.clause == prev_clause:
                # "roll back" / "rolled back" also read as "rollback"; "time out" as
                # "timeout". Joining stems (not re-stemming the pair) keeps this cheap.
                joined = prev_stem + st
                hits = get(joined)
                if hits is None:
                    pos[joined] = [(i - 1, i, 1.0)]
                else:
                    hits.append((i - 1, i, 1.0))
            prev_stem, prev_clause = st, t.clause
        # Typo candidates are looked up by first letter: a typo rarely changes it, and the
        # bucket keeps the fuzzy comparisons per keyword to a handful.
        buckets, words = index._buckets, index._word_buckets
        for st, norm in {(t.stem, t.norm) for t in tokens}:
            if len(st) >= 5 and st not in known and st.isalpha():
                buckets.setdefault(st[0], set()).add(st)
                if len(norm) >= 6 and norm.isalpha():
                    words.setdefault(norm[0], []).append((norm, st))
        index.negated = negated_tokens(tokens, text)
        return index

    def _starts(self, hits: list[tuple[int, int, float]]) -> list[int]:
        key = id(hits)
        got = self._start_cache.get(key)
        if got is None:
            got = self._start_cache[key] = [p[0] for p in hits]
        return got

    def lookup(self, s: str, fuzzy: bool = True, word: str = "") -> list[tuple[int, int, float]]:
        """Positions of stem `s` (typed as `word`) in answer order, exact (quality 1) or
        as a likely typo (lower quality). The lists are shared: callers must not change
        them."""
        if not fuzzy:
            return self.positions.get(s, _NONE)
        key = s if not word or word == s else f"{s}\0{word}"
        got = self._lookups.get(key)
        if got is None:
            got = self._lookups[key] = self._lookup(s, word)
        return got

    def _lookup(self, s: str, word: str = "") -> list[tuple[int, int, float]]:
        if s.startswith(RANGE_PREFIX):
            lo, hi = map(float, s[len(RANGE_PREFIX):].split(":"))
            return [(i, i, 1.0) for i, v in self.numbers if lo <= v <= hi]
        exact = self.positions.get(s, _NONE)
        if s.startswith("~"):
            # A class token: a typo of any of its one-word members counts.
            near = []
            if self.lexicon is not None:
                for member in self.lexicon.single_words(s):
                    near += self._near(member)
        else:
            near = self._near(s)  # nothing for short or non-alphabetic stems
        if word and word != s and not exact:
            near = near + [(st, q) for st, q in self._near_words(word) if st != s]
        if not near:
            return exact
        out = list(exact)
        for w, q in dict(near).items():
            out += [(a, b, q) for a, b, _ in self.positions[w]]
        out.sort()
        return out

    def _near_words(self, word: str) -> list[tuple[str, float]]:
        """Stems of answer words that are a typo of `word` as written."""
        if len(word) < 6 or not word.isalpha():
            return []
        limit = 1 if len(word) < 9 else 2
        n = len(word)
        return [(st, FUZZY_QUALITY) for norm, st in self._word_buckets.get(word[0], ())
                if norm != word and -limit <= len(norm) - n <= limit
                and OSA.distance(word, norm, score_cutoff=limit) <= limit]

    def _near(self, s: str) -> list[tuple[str, float]]:
        if len(s) < 6 or not s.isalpha():
            return []
        bucket = self._buckets.get(s[0])
        if not bucket:
            return []
        limit = 1 if len(s) < 9 else 2
        n = len(s)
        return [(w, FUZZY_QUALITY) for w in bucket
                if w != s and -limit <= len(w) - n <= limit
                and OSA.distance(s, w, score_cutoff=limit) <= limit]

    def find(self, pattern: Pattern, weights: list[float] | None = None,
             min_share: float = 1.0, window: int | None = None) -> list[Match]:
        """Every place the pattern occurs inside one sentence, including occurrences that
        have at least `min_share` of its words (by `weights`) within the window."""
        stems = pattern.stems
        if not stems:
            return []
        if len(stems) == 1 and not pattern.joined:
            # One word (most keywords after the lexicon): its positions are the matches.
            hits = self.lookup(stems[0], True, pattern.words[0] if pattern.words else "")
            if not hits:
                return []
            matches = [Match(a, b, q, 1.0, True) for a, b, q in hits]
            self._negate(matches, pattern)
            return matches
        whole = self.lookup(pattern.joined, fuzzy=False) if pattern.joined else []
        matches = [Match(a, b, q, 1.0, True) for a, b, q in whole]
        if min_share >= 1.0:
            # Every word is needed (most keywords): stop at the first one that is absent.
            present = []
            words = pattern.words or ("",) * len(stems)
            for s, word in zip(stems, words, strict=True):
                h = self.lookup(s, True, word)
                if not h:
                    self._negate(matches, pattern)
                    return matches
                present.append((h, 1.0))
            total = float(len(stems))
        else:
            weights = weights or [1.0] * len(stems)
            total = sum(weights)
            words = pattern.words or ("",) * len(stems)
            present = [(h, w) for s, word, w in zip(stems, words, weights, strict=True)
                       if (h := self.lookup(s, True, word))]
        if not present or sum(w for _, w in present) < min_share * total - 1e-9:
            self._negate(matches, pattern)
            return matches
        if window is None:
            window = len(stems) + 3 + len(stems) // 2
        # Anchor on the rarest word when every word is needed; when a share will do, any
        # present word can be where the phrase is ("same instance type" is met by "a
        # different instance type" even if "same" occurs elsewhere).
        anchors = (range(len(present)) if min_share < 1.0 else
                   [min(range(len(present)), key=lambda k: len(present[k][0]))])
        seen: set[tuple[int, int]] = set()
        for anchor_k in anchors:
            self._anchored(present, anchor_k, stems, window, total, min_share, matches, seen)
        self._negate(matches, pattern)
        return matches

    def _anchored(self, present: list[tuple[list[tuple[int, int, float]], float]],
                  anchor_k: int, stems: tuple[str, ...], window: int, total: float,
                  min_share: float, matches: list[Match], seen: set[tuple[int, int]]) -> None:
        tokens = self.tokens
        anchor, anchor_w = present[anchor_k]
        others = [(k, h, self._starts(h), w) for k, (h, w) in enumerate(present)
                  if k != anchor_k]
        for a, b, q in anchor:
            sentence = tokens[a].sentence
            first, last, quality, got, n = a, b, q * anchor_w, anchor_w, 1
            order = [(anchor_k, a)]
            for k, other, starts, w in others:
                best = _nearest(other, starts, a, b, window, tokens, sentence)
                if best is None:
                    continue
                first, last = min(first, best[0]), max(last, best[1])
                quality += best[2] * w
                got += w
                n += 1
                order.append((k, best[0]))
            share = got / total
            if share < min_share - 1e-9 or last - first > window:
                continue
            if (first, last) in seen:
                continue
            seen.add((first, last))
            order.sort()
            ordered = all(x[1] <= y[1] for x, y in zip(order, order[1:], strict=False))
            matches.append(Match(first, last, quality / got, share, n == len(stems),
                                 ordered=ordered))

    def _negate(self, matches: list[Match], pattern: Pattern) -> None:
        if pattern.has_negation:
            return  # the keyword states the negation itself ("no 502s"): literal match
        for m in matches:
            m.negated = self.is_negated(m.first, m.last)

    def is_negated(self, first: int, last: int) -> bool:
        """A match is negated when a negation reaches any of its content words: "X is
        not Y" states neither "X is Y" nor the idea "X Y"."""
        negated, tokens = self.negated, self.tokens
        return any(negated[k] for k in range(first, last + 1)
                   if tokens[k].norm not in STOPWORDS)


def _nearest(other: list[tuple[int, int, float]], starts: list[int], a: int, b: int,
             window: int, tokens: list[Token], sentence: int) -> tuple[int, int, float] | None:
    """The occurrence closest to position a, within the window and the same sentence."""
    k = bisect_left(starts, a)
    best = None
    lo, hi = k - 1, k
    while lo >= 0 or hi < len(starts):
        for j in (lo, hi):
            if not 0 <= j < len(starts):
                continue
            p = other[j]
            d = abs(p[0] - a)
            if d > window or (best is not None and d >= abs(best[0] - a)):
                continue
            if a <= p[0] <= b or tokens[p[0]].sentence != sentence:
                continue
            best = p
        if (lo < 0 or a - starts[lo] > window) and (hi >= len(starts)
                                                     or starts[hi] - a > window):
            break
        lo -= 1
        hi += 1
    return best


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
