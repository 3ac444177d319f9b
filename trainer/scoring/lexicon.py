"""The lexicon: synonym classes that the normaliser maps to one token on both sides.

Classes come from bank files (`lexicon:` lists; the built-in `question_bank/lexicon.yaml`
is always loaded). Each member is normalised like any other text (stems, spellings,
numbers) and stored as a tuple of stems; a run of answer tokens equal to a member becomes
one token standing for the class, longest member first, never across a clause. Classes
that share a member are merged, which is how a user bank extends a built-in class.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from .text import Token, Word, words_of


class Lexicon:
    """Compiled synonym classes; `tokens()` applies them to normalised words."""

    def __init__(self, classes: Iterable[Sequence[str]] = ()) -> None:
        merged = _merge([tuple(c) for c in classes])
        self.classes: tuple[tuple[str, ...], ...] = tuple(merged)
        self._table: dict[tuple[str, ...], str] = {}
        for members in merged:
            canon = "~" + "_".join(w[2] for w in words_of(members[0])) if members else ""
            for member in members:
                key = tuple(w[2] for w in words_of(member))
                if key:
                    self._table.setdefault(key, canon)
        self._lengths = sorted({len(k) for k in self._table}, reverse=True)
        self._heads = frozenset(k[0] for k in self._table)
        self.compiled: dict[str, object] = {}  # keyword text -> Pattern, filled by matcher

    def __len__(self) -> int:
        return len(self.classes)

    def canonical(self, stems: tuple[str, ...]) -> str | None:
        return self._table.get(stems)

    def tokens(self, words: list[Word]) -> list[Token]:
        out: list[Token] = []
        i, n = 0, len(words)
        table, heads = self._table, self._heads
        while i < n:
            w = words[i]
            if w[2] in heads:
                for length in self._lengths:
                    if i + length > n:
                        continue
                    last = words[i + length - 1]
                    if last[5] != w[5]:
                        continue  # a member never spans a clause break
                    key = tuple(x[2] for x in words[i : i + length])
                    canon = table.get(key)
                    if canon is not None:
                        raw = " ".join(x[0] for x in words[i : i + length])
                        out.append(Token(raw, canon, canon, w[3], last[4], w[5], w[6]))
                        i += length
                        break
                else:
                    out.append(Token(w[0], w[1], w[2], w[3], w[4], w[5], w[6]))
                    i += 1
                continue
            out.append(Token(w[0], w[1], w[2], w[3], w[4], w[5], w[6]))
            i += 1
        return out


def _merge(classes: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Union of classes that share a member (compared normalised), first-seen order."""
    groups: list[list[str]] = []
    where: dict[tuple[str, ...], int] = {}
    for members in classes:
        keys = [tuple(w[2] for w in words_of(m)) for m in members]
        hit = sorted({where[k] for k in keys if k in where})
        if not hit:
            target = len(groups)
            groups.append([])
        else:
            target = hit[0]
            for other in hit[1:]:  # this class joins two earlier ones
                for m in groups[other]:
                    groups[target].append(m)
                    where[tuple(w[2] for w in words_of(m))] = target
                groups[other] = []
        for m, k in zip(members, keys, strict=True):
            if k and where.get(k) != target:
                groups[target].append(m)
                where[k] = target
    return [tuple(g) for g in groups if g]


@cache
def default_lexicon() -> Lexicon:
    """The built-in lexicon alone: for scoring without a loaded bank (tests, tools)."""
    from trainer.bank.loader import builtin_lexicon

    return Lexicon(builtin_lexicon())


def lexicon_for(bank: object | None) -> Lexicon:
    classes = getattr(bank, "lexicon", None)
    if not classes:
        return default_lexicon()
    return Lexicon(classes)
