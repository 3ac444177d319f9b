"""Which keywords of an item could match an answer at all.

Most of an item's keywords share no word with a given answer. The filter indexes an item's
compiled keywords by every stem (and run-together form) they contain, and by the first
letter and length of each word a typo could reach, so grading searches only the keywords
that have a chance; the others cannot match and are skipped without a lookup. It is an
over-approximation by construction: it never drops a keyword that `AnswerIndex.find`
could match.
"""

from __future__ import annotations

from collections.abc import Iterable

from .keywords import RANGE_PREFIX, Pattern
from .lexicon import Lexicon
from .matcher import AnswerIndex

TYPO_REACH = 2  # the largest edit distance the matcher allows (for words of 9+ letters)


class KeywordFilter:
    def __init__(self, patterns: Iterable[Pattern], lexicon: Lexicon) -> None:
        self.by_stem: dict[str, set[str]] = {}
        self.by_shape: dict[tuple[str, int], set[str]] = {}
        self.ranges: set[str] = set()
        for p in patterns:
            keys = set(p.stems) | ({p.joined} if p.joined else set())
            shapes = [w for w in p.words if len(w) >= 6 and w.isalpha()]
            for k in keys:
                if k.startswith(RANGE_PREFIX):
                    self.ranges.add(p.text)
                    continue
                self.by_stem.setdefault(k, set()).add(p.text)
                if k.startswith("~"):
                    shapes += lexicon.single_words(k)
                elif len(k) >= 6 and k.isalpha():
                    shapes.append(k)
            for w in shapes:
                self.by_shape.setdefault((w[0], len(w)), set()).add(p.text)

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
