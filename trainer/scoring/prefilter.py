"""Which keywords of an item could match an answer at all.

Most of an item's keywords cannot match a given answer. The filter indexes each keyword,
as the grader searches it, by the few of its stems (and its run-together form) without
which it cannot match, and by the first letter and length of each of those words a typo
could reach, so grading searches only the keywords that have a chance; the others are
skipped without a lookup. It is an over-approximation by construction: it never drops a
keyword that `AnswerIndex.find` could match.

Which stems: a match needs a share of the keyword's words (by weight). If the stems left
out of the index weigh less than that share, any match has one that is in it
(pigeonhole). So a keyword that needs every word is indexed by its rarest stem alone, one
that needs 60% of three words by its two rarest. Rarity is the bank's IDF: the rarer the
stem, the fewer answers wake the keyword. (Checking every needed word of each woken
keyword as well halves the searches but costs more than the searches it saves.)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from .keywords import RANGE_PREFIX, Pattern
from .lexicon import Lexicon
from .matcher import AnswerIndex

TYPO_REACH: Final = 2  # the largest edit distance the matcher allows (for words of 9+ letters)

# A keyword as the grader searches it: its pattern, its words' weights (None: equal) and
# the share of them a match needs.
Search = tuple[Pattern, list[float] | None, float]


def needed_positions(pattern: Pattern, weights: list[float] | None, share: float,
                     idf: dict[str, float], unseen: float | None = None) -> list[int]:
    """The positions of the stems to index `pattern` by: the rarest first, until the ones
    left out weigh less than a match needs (so every match has one of them). `unseen` is
    the rarity of a stem the bank never uses (above every IDF unless given)."""
    stems = pattern.stems
    if len(stems) <= 1:
        return [0] if stems else []
    if pattern.has_negation:
        share = 1.0  # find() matches such keywords whole
    if share >= 1.0:  # every word is needed: the rarest alone (the first of equals)
        default = unseen if unseen is not None else max(idf.values(), default=1.0) + 1.0
        rarest, most = 0, idf.get(stems[0], default)
        for k in range(1, len(stems)):
            r = idf.get(stems[k], default)
            if r > most:
                rarest, most = k, r
        return [rarest]
    w = weights if weights is not None and len(weights) == len(stems) else [1.0] * len(stems)
    total = sum(w)
    need = share * total - 1e-9
    default = unseen if unseen is not None else max(idf.values(), default=1.0) + 1.0
    rarity = [idf.get(s, default) for s in stems]
    # The rarest first, the first of equals first: an insertion sort of a few positions
    # (compiled, native; sorted() with a key would call back into Python for each).
    order = list(range(len(stems)))
    for i in range(1, len(order)):
        k = order[i]
        j = i - 1
        while j >= 0 and rarity[order[j]] < rarity[k]:
            order[j + 1] = order[j]
            j -= 1
        order[j + 1] = k
    left = total
    chosen: list[int] = []
    for k in order:
        if left < need:
            break
        chosen.append(k)
        left -= w[k]
    return chosen


# The last IDF table's unseen rarity (above all of it), with the table and its size: a
# grader builds every item's filter from its one table, of thousands of stems.
_UNSEEN: Final[list[tuple[dict[str, float], int, float]]] = []


def _unseen(idf: dict[str, float]) -> float:
    if _UNSEEN and _UNSEEN[0][0] is idf and _UNSEEN[0][1] == len(idf):
        return _UNSEEN[0][2]
    value = max(idf.values(), default=1.0) + 1.0
    _UNSEEN[:] = [(idf, len(idf), value)]
    return value


class KeywordFilter:
    def __init__(self, searches: Iterable[Search], lexicon: Lexicon,
                 idf: dict[str, float] | None = None) -> None:
        self.by_stem: dict[str, set[str]] = {}
        self.by_shape: dict[tuple[str, int], set[str]] = {}
        self.ranges: set[str] = set()
        rarity = idf or {}
        unseen = _unseen(rarity)
        by_stem, by_shape = self.by_stem, self.by_shape
        # Lists, not sets, of keys and shapes: every use below only adds to a set, so a
        # key or shape twice is harmless, and compiled, list building is native.
        for p, weights, share in searches:
            stems, typed, text = p.stems, p.typed, p.text
            if not stems:
                continue  # find() matches nothing
            chosen = needed_positions(p, weights, share, rarity, unseen)
            keys = [stems[k] for k in chosen]
            if p.joined:
                keys.append(p.joined)
            shapes = [typed[k] for k in chosen if len(typed[k]) >= 6 and typed[k].isalpha()]
            for k in keys:
                if k.startswith(RANGE_PREFIX):
                    self.ranges.add(text)
                    continue
                got = by_stem.get(k)
                if got is None:
                    by_stem[k] = {text}
                else:
                    got.add(text)
                if k.startswith("~"):
                    shapes += lexicon.single_words(k)
                elif len(k) >= 6 and k.isalpha():
                    shapes.append(k)
            for w in shapes:
                shape = (w[0], len(w))
                found = by_shape.get(shape)
                if found is None:
                    by_shape[shape] = {text}
                else:
                    found.add(text)

    def candidates(self, index: AnswerIndex) -> set[str]:
        out: set[str] = set()
        by_stem = self.by_stem
        keys = by_stem.keys()
        for key in (keys & index.positions.keys()) | (keys & index.pair_keys):  # in C
            out |= by_stem[key]
        if self.ranges and index.numbers:
            out |= self.ranges
        if self.by_shape:
            shapes = {(st[0], len(st)) for bucket in index._buckets.values() for st in bucket}
            shapes |= {(norm[0], len(norm)) for bucket in index._word_buckets.values()
                       for norm, _ in bucket}
            by_shape = self.by_shape
            for letter, n in shapes:
                for d in range(-TYPO_REACH, TYPO_REACH + 1):
                    got = by_shape.get((letter, n + d))
                    if got:
                        out |= got
        return out
