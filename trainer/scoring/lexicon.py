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
from typing import TYPE_CHECKING, Final

from .text import STOPWORDS, Token, Word, words_of

if TYPE_CHECKING:  # for the checker only: matcher imports this module, and the bank is lazy
    from trainer.bank import Bank

    from .keywords import Pattern, PatternRow


class Lexicon:
    """Compiled synonym classes; `tokens()` applies them to normalised words."""

    def __init__(self, classes: Iterable[Sequence[str]] = ()) -> None:
        merged = _merge([tuple(c) for c in classes])
        self.classes: tuple[tuple[str, ...], ...] = tuple(merged)
        self._table: dict[tuple[str, ...], str] = {}
        self.members: dict[str, list[tuple[str, ...]]] = {}
        for members in merged:
            canon = "~" + "_".join(_key(members[0]))
            for member in members:
                key = _key(member)
                if key and key not in self._table:
                    self._table[key] = canon
                    self.members.setdefault(canon, []).append(key)
        self._lengths = sorted({len(k) for k in self._table}, reverse=True)
        # Most members are one word: a dict lookup; only heads of longer members need the
        # search for the longest match.
        self._single = {k[0]: c for k, c in self._table.items() if len(k) == 1}
        self._heads = frozenset(k[0] for k in self._table if len(k) > 1)
        # The stems that can follow each head: most heads are common words ("in", "roll")
        # whose next word settles at once that no member starts here.
        self._seconds: dict[str, frozenset[str]] = {}
        for k in self._table:
            if len(k) > 1:
                self._seconds[k[0]] = self._seconds.get(k[0], frozenset()) | {k[1]}
        self.compiled: dict[str, Pattern] = {}  # keyword text -> Pattern, filled by matcher
        # Keyword text -> its compiled fields from the disk cache, made a Pattern on first
        # use (`Grader.warm()` fills it: a batch uses a fraction of a bank's keywords).
        self.stored: dict[str, PatternRow] = {}
        self._single_words: dict[str, list[str]] = {}

    def __len__(self) -> int:
        return len(self.classes)

    def canonical(self, stems: tuple[str, ...]) -> str | None:
        return self._table.get(stems)

    def single_words(self, canon: str) -> list[str]:
        """The one-word members of a class, for typo matching ("canery" ~ "canary")."""
        got = self._single_words.get(canon)
        if got is None:
            got = self._single_words[canon] = [k[0] for k in self.members.get(canon, ())
                                               if len(k) == 1]
        return got

    def tokens(self, words: list[Word]) -> list[Token]:
        heads, seconds = self._heads, self._seconds
        # First the members of two or more words, left to right: (first, last, class).
        merges: list[tuple[int, int, str]] = []
        resume = 0  # the first word after the last member found
        last = len(words) - 1
        for i in [i for i, w in enumerate(words) if w[2] in heads]:
            if i < resume:
                continue
            w = words[i]
            # Most heads are settled by the word after them, without the search for the
            # longest member: a content word in the same clause that no member has second.
            if i < last and (nxt := words[i + 1])[5] == w[5] and (
                    nxt[1] not in STOPWORDS and nxt[2] not in seconds[w[2]]):
                continue
            got = self._longest(words, i)
            if got is not None and got[0] > i:
                merges.append((i, got[0], got[1]))
                resume = got[0] + 1
        if not merges:
            return self._mapped(words)
        out: list[Token] = []
        done = 0
        for i, end, canon in merges:
            out += self._mapped(words[done:i])
            w = words[i]
            raw = " ".join(x[0] for x in words[i : end + 1])
            out.append(_make(Token, (raw, canon, canon, w[3], words[end][4], w[5], w[6])))
            done = end + 1
        out += self._mapped(words[done:])
        return out

    def _mapped(self, words: list[Word]) -> list[Token]:
        """Words as tokens, each one-word member as its class; a word of no class is a
        token as it is."""
        single, token = self._single, Token  # (a local: a module's class is a lookup)
        return [w if (c := single.get(w[2])) is None
                else _make(token, (w[0], c, c, w[3], w[4], w[5], w[6])) for w in words]

    def _longest(self, words: list[Word], i: int) -> tuple[int, str] | None:
        """The longest member starting at word i: its content words in order, within one
        clause, with at most MAX_GAP function words between ("rolled it back")."""
        clause = words[i][5]
        seconds = self._seconds.get(words[i][2], frozenset())
        for j in range(i + 1, min(i + 2 + MAX_GAP, len(words))):
            nxt = words[j]
            if nxt[5] != clause:
                break
            if nxt[1] in STOPWORDS and nxt[2] not in seconds:
                continue
            if nxt[2] not in seconds:
                single = self._table.get((words[i][2],))
                return (i, single) if single is not None else None
            break
        content = [i]
        j = i + 1
        while j < len(words) and len(content) < self._lengths[0] and words[j][5] == clause:
            if words[j][1] in STOPWORDS:
                if j - content[-1] > MAX_GAP:
                    break
            else:
                content.append(j)
            j += 1
        for length in self._lengths:
            if length > len(content):
                continue
            key = tuple(words[k][2] for k in content[:length])
            canon = self._table.get(key)
            if canon is not None:
                return content[length - 1], canon
        return None


MAX_GAP: Final = 2
_make: Final = tuple.__new__  # Token(...) runs a Python-level __new__; this is the C one



def _key(member: str) -> tuple[str, ...]:
    """A member as the stems of its content words. A phrase that would shrink to one word
    keeps all of its words: "at once" is not "1", "in parallel" is not "parallel"."""
    got = _KEYS.get(member)
    if got is None:
        words = words_of(member)
        content = tuple(w[2] for w in words if w[1] not in STOPWORDS)
        if len(content) <= 1 < len(words):
            content = tuple(w[2] for w in words)
        got = content or tuple(w[2] for w in words)
        if len(_KEYS) < _KEYS_MAX:
            _KEYS[member] = got
    return got


# Member text -> its key: building a lexicon asks for each member's key several times
# (merging, then the table), and a user bank's lexicon repeats the built-in one.
_KEYS: Final[dict[str, tuple[str, ...]]] = {}
_KEYS_MAX: Final = 100_000


def _merge(classes: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Union of classes that share a member (compared normalised), first-seen order."""
    groups: list[list[str]] = []
    where: dict[tuple[str, ...], int] = {}
    for members in classes:
        keys = [_key(m) for m in members]
        hit = sorted({where[k] for k in keys if k in where})
        if not hit:
            target = len(groups)
            groups.append([])
        else:
            target = hit[0]
            for other in hit[1:]:  # this class joins two earlier ones
                for m in groups[other]:
                    groups[target].append(m)
                    where[_key(m)] = target
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


def lexicon_for(bank: Bank | None) -> Lexicon:
    classes = bank.lexicon if bank is not None else None
    if not classes:
        return default_lexicon()
    # A bank's lexicon is built in every process that grades: its members' stems come
    # from the disk cache, so building it stems nothing.
    from .idfcache import cached_member_keys

    members = [m for c in classes for m in c]
    keys = cached_member_keys(classes, lambda: {m: _key(m) for m in members})
    for m, k in keys.items():
        if len(_KEYS) >= _KEYS_MAX:
            break
        _KEYS.setdefault(m, k)
    return Lexicon(classes)
