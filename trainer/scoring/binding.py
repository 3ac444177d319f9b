"""Which concept a statement is about, when an item compares things.

Questions that contrast two things ("ionic vs covalent bonds", "transcription and
translation", "a stack and a queue") are where a confident wrong answer swaps them:
"ionic bonds share electrons and covalent bonds transfer them" says both rubric ideas'
words, each about the wrong subject. A concept whose name opens with a subject (a word of
the prompt heading it, where sibling concepts are headed by other such words) is credited
only where that subject, not a sibling's, is the nearest one the sentence names: before
the match, or after it when nothing precedes. A sentence that names no subject, or the
match itself naming its own, is left alone, and so are rubrics of one subject.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from trainer.bank import Concept

from .gradable import Gradable
from .lexicon import Lexicon
from .matcher import AnswerIndex, Match
from .text import STOPWORDS, tokenize


@dataclass(frozen=True, slots=True)
class Subjects:
    own: frozenset[str]
    others: frozenset[str]  # the siblings' subjects, none of them also this concept's


class Bindings:
    """Each item's concept subjects, worked out once per item."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._made: dict[tuple[int, int], tuple[Gradable, dict[int, Subjects]]] = {}

    def of(self, item: Gradable, rubric: tuple[Concept, ...]) -> dict[int, Subjects]:
        """By the concept's identity (the item is kept so that its id is not reused)."""
        key = (id(item), id(rubric))
        got = self._made.get(key)
        if got is None or got[0] is not item:
            made = subjects_of(rubric, item.prompt_text, self.lexicon)
            got = self._made[key] = (item, {id(c): b for c, b in zip(rubric, made,
                                                                    strict=True) if b})
        return got[1]


def subjects_of(rubric: tuple[Concept, ...], prompt: str,
                lexicon: Lexicon) -> tuple[Subjects | None, ...]:
    """Per concept, its subject and its siblings', or None where it has none. A subject
    heads a concept's name ("Ionic: electron transfer", "Stack is LIFO", "Transcription
    happens in the nucleus") and is a word of the prompt; it takes two subjects or more
    for a comparison, and a name that holds two of them is about both."""
    asked = {t.stem for t in tokenize(prompt, lexicon) if t.norm not in STOPWORDS}
    names = [[t.stem for t in tokenize(c.concept, lexicon) if t.norm not in STOPWORDS]
             for c in rubric]
    heads = {stems[0] for stems in names if stems and stems[0] in asked}
    if len(heads) < 2:
        return (None,) * len(rubric)
    out: list[Subjects | None] = []
    for stems in names:
        mine = heads.intersection(stems)
        out.append(Subjects(frozenset(mine), frozenset(heads - mine))
                   if len(mine) == 1 and stems[0] in mine else None)
    return tuple(out)


def misattributed(index: AnswerIndex, m: Match, subjects: Subjects) -> bool:
    """Is the nearest subject the match's sentence names a sibling's?"""
    sentences = index.sentences
    sentence = sentences[m.first]
    if m.complete and any(index.stems[k] in subjects.own for k in range(m.first, m.last + 1)):
        return False  # (a match met in part may merely reach over its subject)
    before, after = -1, len(sentences)
    nearest_before = nearest_after = ""
    for stem in subjects.own | subjects.others:
        hits = index.positions.get(stem)
        if not hits:
            continue
        starts = [h[0] for h in hits]
        k = bisect_left(starts, m.first)
        if k and starts[k - 1] > before and sentences[starts[k - 1]] == sentence:
            before, nearest_before = starts[k - 1], stem
        j = bisect_left(starts, m.last + 1)
        if j < len(starts) and starts[j] < after and sentences[starts[j]] == sentence:
            after, nearest_after = starts[j], stem
    nearest = nearest_before or nearest_after
    return bool(nearest) and nearest in subjects.others
