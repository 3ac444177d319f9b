"""Alias suggestions from "I covered that" claims (`trainer bank suggest-aliases`).

A claim says: this answer states concept C, in words the rubric does not know. The
answer's key phrases (noun phrases cut as drafted rubrics cut them) that no keyword of the
item already matches are the candidates; a phrase offered by several claims of the same
concept ranks first. It is a patch for an author to read, never applied by itself.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Protocol

from trainer.bank import Bank, GradableItem

from .draft import _chunks, _is_symbolic
from .keywords import compile_keyword
from .lexicon import lexicon_for
from .matcher import AnswerIndex
from .text import STOPWORDS

PER_CONCEPT = 6


class Claim(Protocol):
    """An "I covered that" claim: `trainer.study.CoverageClaim` has these."""

    @property
    def item_id(self) -> str: ...

    @property
    def concept(self) -> str: ...

    @property
    def answer(self) -> str: ...


def _phrases(answer: str, index: AnswerIndex) -> set[str]:
    out: set[str] = set()
    tokens = index.tokens
    for run in _chunks(index, answer):
        for size in (3, 2, 1):
            for k in range(0, len(run) - size + 1):
                toks = [tokens[i] for i in run[k : k + size]]
                if _is_symbolic(toks) or (size == 1 and len(toks[0].word) < 5):
                    continue
                out.add(answer[toks[0].start : toks[-1].end].lower())
    return out


def suggest_aliases(bank: Bank, claims: Iterable[Claim],
                    min_claims: int = 1) -> list[dict[str, object]]:
    lexicon = lexicon_for(bank)
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in claims:
        grouped[(c.item_id, c.concept)].append(c.answer)
    patch: list[dict[str, object]] = []
    for (item_id, concept_name), answers in sorted(grouped.items()):
        entry = bank.get(item_id)
        if entry is None or len(answers) < min_claims:
            continue
        item = entry.item
        rubric = item.rubric if isinstance(item, GradableItem) else ()
        known = [compile_keyword(k, lexicon) for c in rubric for k in c.keywords]
        counts: Counter[str] = Counter()
        for answer in set(answers):
            index = AnswerIndex.build(answer, lexicon=lexicon)
            matched: set[int] = set()
            for pattern in known:
                for m in index.find(pattern):
                    matched.update(range(m.first, m.last + 1))
            for phrase in _phrases(answer, index):
                toks = [t for t in AnswerIndex.build(phrase, lexicon=lexicon).tokens
                        if t.norm not in STOPWORDS]
                if toks and not any(_covers(index, t.stem, matched) for t in toks):
                    counts[phrase] += 1
        best = [p for p, _ in sorted(counts.items(), key=lambda kv: (-kv[1], -len(kv[0]),
                                                                      kv[0]))][:PER_CONCEPT]
        if best:
            patch.append({"item": item_id, "where": str(entry.location),
                          "concept": concept_name, "claims": len(answers),
                          "add_keywords": best})
    return patch


def _covers(index: AnswerIndex, stem: str, matched: set[int]) -> bool:
    """Is this word already part of something a keyword of the item matched?"""
    return any(a in matched for a, _, _ in index.exact(stem))
