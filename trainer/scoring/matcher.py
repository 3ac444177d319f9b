"""Finding keyword phrases in an answer: typo-tolerant, window-based, negation-aware.

A keyword phrase matches when all of its content words occur (as stems or lexicon classes,
as a typo of one, as two neighbouring words run together, or one word split in two) within
a small window of one sentence, in any order. Each match reports the answer span it covers
and whether it is negated (`negation.py`).
"""

from __future__ import annotations

import math
from typing import Any, Final

from rapidfuzz.distance import OSA

from .keywords import (
    RANGE_PREFIX,
    Pattern,
    compile_keyword,
    idf_weights,
    inverse_document_frequency,
    lookup_key,
)
from .lexicon import Lexicon, default_lexicon
from .negation import negated_tokens
from .text import NO_COLUMNS, STOPWORDS, Columns, Token, columns, tokenize

__all__ = ["RANGE_PREFIX", "AnswerIndex", "Match", "Pattern", "compile_keyword", "idf_weights",
           "inverse_document_frequency"]  # the compiled keywords' names, as before the split

_NONE: Final[list[tuple[int, int, float]]] = []
_NO_STARTS: Final[list[int]] = []  # a word found once is placed without them
FUZZY_QUALITY: Final = 0.85
# The occurrences of one keyword weighed in one answer. A typed answer has a handful;
# thousands come only from pasted or generated text, where the first ones decide as well
# as all of them and the rest would cost seconds (a 1 MB answer).
MAX_MATCHES: Final = 256


def _number(norm: str) -> float | None:
    try:
        value = float(norm)
    except ValueError:
        return None
    return value if math.isfinite(value) else None



class Match:
    """Where a pattern was found: token range, quality 0..1, share found, negation.

    A plain class, not a dataclass: compiled (setup.py), a dataclass is built through
    the Python __init__ that `dataclasses` writes (3,000 instructions), this one
    natively, and find() makes thousands. Equality and repr are a dataclass's."""

    __slots__ = ("complete", "first", "last", "negated", "ordered", "quality", "share")

    def __init__(self, first: int, last: int, quality: float, share: float, complete: bool,
                 negated: bool = False, ordered: bool = True) -> None:
        self.first = first
        self.last = last
        self.quality = quality
        self.share = share  # weighted share of the phrase's words found (1.0 = all of them)
        self.complete = complete
        self.negated = negated
        self.ordered = ordered  # the words come in the keyword's order

    def _fields(self) -> tuple[int, int, float, float, bool, bool, bool]:
        return (self.first, self.last, self.quality, self.share, self.complete,
                self.negated, self.ordered)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Match) and self._fields() == other._fields()

    def __repr__(self) -> str:
        return (f"Match(first={self.first!r}, last={self.last!r}, quality={self.quality!r}, "
                f"share={self.share!r}, complete={self.complete!r}, "
                f"negated={self.negated!r}, ordered={self.ordered!r})")


Hit = tuple[int, int, float]  # first token, last token, quality
# Exact hits are the same few tuples in every answer: (i, i, 1.0) for a word at i, and
# (i - 1, i, 1.0) for the pair ending at i. They are made once and shared (tuples cannot
# change), which spares most of the allocation in indexing an answer.
_SHARED_HITS: Final = 2048  # past this, an answer of its own makes them
_SINGLES: Final[list[Hit]] = [(i, i, 1.0) for i in range(_SHARED_HITS)]
_PAIRS: Final[list[Hit]] = [(i - 1, i, 1.0) for i in range(_SHARED_HITS)]


def _last(hit: Hit) -> int:
    return hit[1]


class AnswerIndex:
    """Where each stem (and each pair of neighbours run together) occurs in one answer.

    A pair's positions are found when a keyword first asks for them (`exact`): an answer
    has a hundred or more pairs, and an item's keywords ask for a few, most absent.
    (A plain class, not a dataclass, for the reason Match is one: one per answer.)"""

    def __init__(self, tokens: list[Token], text: str = "",
                 lexicon: Lexicon | None = None) -> None:
        self.tokens = tokens
        self.negated: list[bool] = []
        self._buckets: dict[str, set[str]] = {}
        self._word_buckets: dict[str, list[tuple[str, str]]] = {}
        self.text = text
        self.lexicon = lexicon
        self._lookups: dict[str, list[Hit]] = {}
        self._start_cache: dict[int, list[int]] = {}
        self.any_negated = True  # False only when the index knows no word is negated
        self.columns: Columns = NO_COLUMNS  # the tokens' fields, as parallel tuples
        self.sentences: tuple[int, ...] = ()  # each token's sentence
        self.stems: tuple[str, ...] = ()
        self.positions: dict[str, list[Hit]] = {}  # each stem's, as words
        # Neighbours in one clause, run together: "roll back" / "rolled back" also read
        # as "rollback", "time out" as "timeout" (joining stems, not re-stemming the
        # pair). joined[i] is stems[i] + stems[i + 1]; pair_keys those of pairs inside a
        # clause.
        self.joined: list[str] = []
        self.same_clause: list[bool] = []
        self.pair_keys: frozenset[str] = frozenset()
        self._exact: dict[str, list[Hit]] = {}
        self._numbers: list[tuple[int, float]] | None = None
        # binding.py's positions of compared things, per (stems, forms) it asked for.
        self.subject_spots: dict[tuple[frozenset[str], frozenset[str]],
                                 tuple[list[int], list[int], list[str]]] = {}

    @classmethod
    def build(cls, text: str, known: frozenset[str] = frozenset(),
              lexicon: Lexicon | None = None) -> AnswerIndex:
        """Index `text`. Words in `known` (the bank's vocabulary) are real words, so they
        are never taken for a typo of another word ("assets" is not "asserted")."""
        tokens = tokenize(text, lexicon)
        # AnswerIndex(), not cls(): compiled, the class's own constructor is a C call.
        index = AnswerIndex(tokens, text, lexicon or default_lexicon())
        index.columns = cols = columns(tokens)
        index.stems = stems = cols[2]
        index.sentences = cols[6]
        # A plain dict: compiled, its lookups are calls in C, and a defaultdict's are not.
        # The hits are held as objects (Any): compiled, a Hit-typed variable is unboxed
        # into fields and boxed again, a new tuple, and the shared ones would not be.
        positions: dict[str, list[Any]] = {}
        shared: list[Any] = _SINGLES if len(stems) <= _SHARED_HITS else [
            (i, i, 1.0) for i in range(len(stems))]
        for i in range(len(stems)):  # shared: as long as needed, or more
            st, hit = stems[i], shared[i]
            got = positions.get(st)
            if got is None:
                positions[st] = [hit]
            else:
                got.append(hit)
        index.positions = positions
        clauses = cols[5]
        # Comprehensions over range(), not map(operator.add, ...) and compress(): compiled,
        # they are native loops.
        pairs = range(len(stems) - 1)
        joined = [stems[i] + stems[i + 1] for i in pairs]
        same = [clauses[i] == clauses[i + 1] for i in pairs]
        index.joined, index.same_clause = joined, same
        index.pair_keys = frozenset([joined[i] for i in pairs if same[i]])
        # Typo candidates are looked up by first letter: a typo rarely changes it, and the
        # bucket keeps the fuzzy comparisons per keyword to a handful. Only stems the bank
        # does not know are candidates, and they are few. (The answer's stems are walked,
        # not the bank's thousands; every reader of the buckets is blind to their order.)
        buckets, words = index._buckets, index._word_buckets
        for st, hits in positions.items():
            if st not in known and len(st) >= 5 and st.isalpha():
                buckets.setdefault(st[0], set()).add(st)
                for norm in {tokens[a][1] for a, _, _ in hits}:
                    if len(norm) >= 6 and norm.isalpha():
                        words.setdefault(norm[0], []).append((norm, st))
        index.negated = negated_tokens(tokens, text, cols)
        index.any_negated = True in index.negated
        return index

    def exact(self, s: str) -> list[Hit]:
        """Every place stem `s` occurs as written, in answer order: as a word, or as two
        neighbours run together. The lists are shared: callers must not change them."""
        if s not in self.pair_keys:
            return self.positions.get(s, _NONE)
        got = self._exact.get(s)
        if got is not None:
            return got
        # The pairs that read as s, found now (a scan in C) and kept.
        joined, same = self.joined, self.same_clause
        found: list[Any] = []  # objects, not unboxed hits (see build)
        pairs: list[Any] = _PAIRS
        i = -1
        for _ in range(joined.count(s)):
            i = joined.index(s, i + 1)
            if same[i]:
                found.append(pairs[i + 1] if i + 1 < _SHARED_HITS else (i, i + 1, 1.0))
        # A word that reads as a pair elsewhere ("rollback" and "roll back"): both, in
        # answer order (by last token, as every list of hits is).
        words = self.positions.get(s)
        got = self._exact[s] = sorted(words + found, key=_last) if words else found
        return got

    @property
    def numbers(self) -> list[tuple[int, float]]:
        """(position, value) of every number in the answer, in answer order."""
        if self._numbers is None:
            norms = self.columns[1]
            self._numbers = [(i, value) for i, st in enumerate(self.stems)
                             if st[0].isdigit() and (value := _number(norms[i])) is not None]
        return self._numbers

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
            return self.exact(s)
        return self._fuzzy(lookup_key(s, word), s, word)

    def _fuzzy(self, key: str, s: str, word: str) -> list[Hit]:
        got = self._lookups.get(key)
        if got is None:
            got = self._lookups[key] = self._lookup(s, word)
        return got

    def _lookup(self, s: str, word: str = "") -> list[tuple[int, int, float]]:
        lead = s[:1]
        if lead == "#" and s.startswith(RANGE_PREFIX):
            lo, hi = map(float, s[len(RANGE_PREFIX):].split(":"))
            return [(i, i, 1.0) for i, v in self.numbers if lo <= v <= hi]
        exact = self.positions.get(s, _NONE) if s not in self.pair_keys else self.exact(s)
        buckets = self._buckets
        if not buckets:
            return exact  # every word of the answer is a bank word: no typo to consider
        # The typo searches are only entered where a bucket has candidates (few do).
        near: list[tuple[str, float]] = []
        if lead == "~":
            # A class token: a typo of any of its one-word members counts.
            if self.lexicon is not None:
                for member in self.lexicon.single_words(s):
                    if member[:1] in buckets:
                        near += self._near(member)
        elif lead in buckets:
            near = self._near(s)  # nothing for short or non-alphabetic stems
        if word and word != s and not exact and word[:1] in self._word_buckets:
            near = near + [(st, q) for st, q in self._near_words(word) if st != s]
        if not near:
            return exact
        out = list(exact)
        for w, q in dict(near).items():
            out += [(a, b, q) for a, b, _ in self.exact(w)]
        out.sort()
        return out

    def _near_words(self, word: str) -> list[tuple[str, float]]:
        """Stems of answer words that are a typo of `word` as written."""
        if word[:1] not in self._word_buckets or len(word) < 6 or not word.isalpha():
            return []
        limit = 1 if len(word) < 9 else 2
        n = len(word)
        return [(st, FUZZY_QUALITY) for norm, st in self._word_buckets.get(word[0], ())
                if norm != word and -limit <= len(norm) - n <= limit
                and OSA.distance(word, norm, score_cutoff=limit) <= limit]

    def _near(self, s: str) -> list[tuple[str, float]]:
        bucket = self._buckets.get(s[:1])
        if not bucket or len(s) < 6 or not s.isalpha():
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
        if pattern.has_negation:
            # A keyword that states a negation ("postgres has no gh-ost") is matched as
            # written: without its "no" a part of it says the opposite.
            min_share = 1.0
        # Lookups already made for this answer are read straight from their cache: most
        # stems recur across an item's keywords.
        lookups = self._lookups
        keys, typed = pattern.keys, pattern.typed
        if pattern.single:
            # One word (most keywords after the lexicon): its positions are the matches.
            hits = lookups.get(keys[0])
            if hits is None:
                hits = lookups[keys[0]] = self._lookup(stems[0], typed[0])
            if not hits:
                return []
            matches = [Match(a, b, q, 1.0, True) for a, b, q in hits[:MAX_MATCHES]]
            self._negate(matches, pattern)
            return matches
        # The hits of each word present, and its weight, as two lists: compiled, a list of
        # (hits, weight) pairs would box and unbox a tuple for each.
        found: list[list[Hit]] = []
        found_w: list[float] = []
        complete = True
        if min_share >= 1.0:
            # Every word is needed (most keywords): stop at the first one that is absent.
            # (Indexed: a pattern's keys, stems and typed words are as long as each other,
            # and compiled, a loop over range() is native where zip(strict=True) is not.)
            for k in range(len(stems)):
                key = keys[k]
                h = lookups.get(key)
                if h is None:
                    h = lookups[key] = self._lookup(stems[k], typed[k])
                if not h:
                    complete = False
                    break
                found.append(h)
                found_w.append(1.0)
            total = got = float(len(stems))
        else:
            weights = weights or [1.0] * len(stems)
            total = sum(weights)
            if len(weights) != len(stems):
                raise ValueError("one weight per word of the keyword")
            for k in range(len(stems)):
                key, s, w = keys[k], stems[k], weights[k]
                h = lookups.get(key)
                if h is None:
                    h = lookups[key] = self._lookup(s, typed[k])
                if h:
                    found.append(h)
                    found_w.append(w)
                elif s[0].isdigit() or s[0] == "#" or s.startswith(("o(", "~o(")):
                    # A number or a complexity is the fact itself ("O(n^2)" is not
                    # "O(n)", "25%" not "5%"): a phrase may be met in part, never
                    # without it.
                    complete = False
            got = sum(found_w)
        whole = self.exact(pattern.joined) if pattern.joined else _NONE
        matches = [Match(a, b, q, 1.0, True) for a, b, q in whole[:MAX_MATCHES]] if whole else []
        if not complete or not found or got < min_share * total - 1e-9:
            if matches:
                self._negate(matches, pattern)
            return matches
        if window is None:
            window = pattern.window
        # Anchor on the rarest word when every word is needed; when a share will do, any
        # present word can be where the phrase is ("same instance type" is met by "a
        # different instance type" even if "same" occurs elsewhere).
        if min_share < 1.0:
            anchors = list(range(len(found)))
        else:
            rarest = 0  # the first of the rarest, as min() gives
            for k in range(1, len(found)):
                if len(found[k]) < len(found[rarest]):
                    rarest = k
            anchors = [rarest]
        seen: set[tuple[int, int]] = set()
        for anchor_k in anchors:
            self._anchored(found, found_w, anchor_k, len(stems), window, total, min_share,
                           matches, seen, pattern.repeats)
        if pattern.has_negation and matches:
            # A keyword that states a negation holds only inside one clause: in "don't
            # wait for a root cause, roll back now" the "not" is no part of "roll back".
            clauses = self.columns[5]
            matches = [m for m in matches if clauses[m.first] == clauses[m.last]]
        self._negate(matches, pattern)
        return matches

    def _anchored(self, found: list[list[Hit]], found_w: list[float], anchor_k: int,
                  size: int, window: int, total: float, min_share: float,
                  matches: list[Match], seen: set[tuple[int, int]], repeats: bool) -> None:
        # Compiled, a hit held in a variable is unboxed and a hit-or-None is boxed again (a
        # new tuple), so the words found are kept as fields, and _nearest() gives an index.
        sentences = self.sentences
        clauses = self.columns[5]
        anchor, anchor_w = found[anchor_k], found_w[anchor_k]
        other_k = [k for k in range(len(found)) if k != anchor_k]
        other_starts = [self._starts(found[k]) if len(found[k]) > 1 else _NO_STARTS
                        for k in other_k]
        for a, b, q in anchor:
            if len(matches) >= MAX_MATCHES:
                return
            sentence = sentences[a]
            first, last, quality, got, n = a, b, q * anchor_w, anchor_w, 1
            # The words placed, in the order placed: the anchor, then the others by k.
            order_k = [anchor_k]
            order_at = [a]
            for i in range(len(other_k)):
                k = other_k[i]
                other = found[k]
                if len(other) == 1:  # most words occur once: no search around a
                    at, end, hq = other[0]
                    if not ((at - a if at >= a else a - at) <= window and not a <= at <= b
                            and sentences[at] == sentence):
                        continue
                else:
                    j = _nearest(other, other_starts[i], a, b, window, sentences, sentence,
                                 clauses)
                    if j < 0:
                        continue
                    at, end, hq = other[j]
                    if repeats and at in order_at:
                        # The keyword says this word twice ("one by one"): the second
                        # needs an occurrence of its own.
                        taken = set(order_at)
                        free = [h for h in other if h[0] not in taken and not a <= h[0] <= b
                                and abs(h[0] - a) <= window and sentences[h[0]] == sentence]
                        if not free:
                            continue
                        at, end, hq = min(free, key=lambda h: abs(h[0] - a))
                if at < first:
                    first = at
                if end > last:
                    last = end
                quality += hq * found_w[k]
                got += found_w[k]
                n += 1
                order_k.append(k)
                order_at.append(at)
            if repeats and len(set(order_at)) < n:
                continue  # a word the keyword says twice ("one by one") found only once
            share = got / total
            if share < min_share - 1e-9 or last - first > window:
                continue
            if (first, last) in seen:
                continue
            seen.add((first, last))
            # In the keyword's word order (the anchor among the others, which are in
            # order), are the answer's positions in step?
            ordered = True
            previous = -1
            placed = False
            for j in range(1, len(order_k)):
                if not placed and order_k[j] > anchor_k:
                    ordered = ordered and a >= previous
                    previous, placed = a, True
                ordered = ordered and order_at[j] >= previous
                previous = order_at[j]
            if not placed:
                ordered = ordered and a >= previous
            matches.append(Match(first, last, quality / got, share, n == size,
                                 ordered=ordered))

    def _negate(self, matches: list[Match], pattern: Pattern) -> None:
        if pattern.has_negation or not self.any_negated:
            # The keyword states the negation itself ("no 502s"): a literal match. Or no
            # word of the answer is negated (most answers): nothing to check.
            return
        for m in matches:
            m.negated = self.is_negated(m.first, m.last)

    def is_negated(self, first: int, last: int) -> bool:
        """A match is negated when a negation reaches any of its content words: "X is
        not Y" states neither "X is Y" nor the idea "X Y"."""
        negated, tokens = self.negated, self.tokens
        return any(negated[k] for k in range(first, last + 1)
                   if tokens[k].norm not in STOPWORDS)


def _nearest(other: list[Hit], starts: list[int], a: int, b: int, window: int,
             sentences: tuple[int, ...], sentence: int,
             clauses: tuple[int, ...] = ()) -> int:
    """The index in `other` of the occurrence closest to position a, within the window
    and the same sentence (-1: none); one in a's clause first (given `clauses`): in "if a
    dev commits a secret, delete it in a new commit" the phrase "delete ... new commit"
    takes the commit after it."""
    # Scalars, not (other clause, distance) tuples, and no tuple of the two sides to loop
    # over: compiled, this is native code, and it runs for most words of most phrases.
    n = len(starts)
    k = _bisect_left(starts, a)
    best = -1
    best_other, best_d = 2, 0  # (other clause, distance) of the best so far
    has_clauses = len(clauses) > 0
    own = clauses[a] if has_clauses else 0
    lo, hi = k - 1, k
    while lo >= 0 or hi < n:
        for side in range(2):
            j = lo if side == 0 else hi
            if not 0 <= j < n:
                continue
            at = starts[j]
            d = at - a if at >= a else a - at
            if d > window:
                continue
            elsewhere = 1 if has_clauses and clauses[at] != own else 0
            if elsewhere > best_other or (elsewhere == best_other and d >= best_d):
                continue
            if a <= at <= b or sentences[at] != sentence:
                continue
            best, best_other, best_d = j, elsewhere, d
        if (lo < 0 or a - starts[lo] > window) and (hi >= n or starts[hi] - a > window):
            break
        lo -= 1
        hi += 1
    return best


def _bisect_left(values: list[int], x: int) -> int:
    """bisect.bisect_left, native when compiled (bisect's is a generic call from compiled
    code, for a search of a few steps)."""
    lo, hi = 0, len(values)
    while lo < hi:
        mid = (lo + hi) // 2
        if values[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo
