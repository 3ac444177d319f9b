"""Which concept a statement is about, when an item compares things.

Questions that contrast two things ("ionic vs covalent bonds", "transcription and
translation", "a stack and a queue") are where a confident wrong answer swaps them:
"ionic bonds share electrons and covalent bonds transfer them" says both rubric ideas'
words, each about the wrong subject. A concept whose name opens with a subject is
credited only where that subject, not a sibling's, is the nearest one the sentence names:
before the match, or after it when nothing precedes. A sentence that names no subject, or
the match itself naming its own, is left alone, and so are rubrics of one subject.

A subject is a word heading a concept's name that the prompt sets beside another such
word ("X or Y", "X vs Y", "between X and Y", "how does X differ from Y"). A name that
opens with an instruction ("Fix ndots", "Check the query") has none, and neither does a
rubric whose names merely start with words of the prompt: binding there would refuse a
correct sentence for naming a neighbour ("the release flag... the old code path is
deleted" lost "Remove the flag" to "Release flags...").
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from trainer.bank import Concept

from .evidence import VERB_WORDS
from .gradable import Gradable
from .lexicon import Lexicon
from .matcher import AnswerIndex, Match
from .text import NEGATIONS, STOPWORDS, Token, tokenize


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
    named = [tokenize(c.concept, lexicon) for c in rubric]
    names = [[t.stem for t in tokens if t.norm not in STOPWORDS] for tokens in named]
    heads = _compared(tokenize(prompt, lexicon),
                      {stems[0] for stems, tokens in zip(names, named, strict=True)
                       if stems and not _imperative(tokens)})
    if len(heads) < 2:
        return (None,) * len(rubric)
    out: list[Subjects | None] = []
    for stems in names:
        mine = heads.intersection(stems)
        out.append(Subjects(frozenset(mine), frozenset(heads - mine))
                   if len(mine) == 1 and stems[0] in mine else None)
    return tuple(out)


# Words that join the things a prompt compares: "X or Y", "X vs Y", "between X and Y",
# "how does X differ from Y", "from X to Y", "more than X".
_JOINS = frozenset("and or nor vs versus to from than differ differs compared against".split())
_COPULAS = frozenset("is are was were has have".split())
COMPARED_WINDOW = 8


def _compared(prompt: list[Token], candidates: set[str]) -> set[str]:
    """The candidates the prompt sets side by side: two of them in one sentence, a few
    words apart, with a joining word between (not a compound: "binary search tree").
    A concept headed by a prompt word the prompt does not compare ("Fix ndots...", "5 s is
    the resolver timeout") is no subject: the rubric is not a comparison."""
    spots = [(i, t.stem) for i, t in enumerate(prompt) if t.stem in candidates
             and not t.stem[:1].isdigit() and t.word not in NEGATIONS
             and t.word not in _JOINS]
    out: set[str] = set()
    for k, (i, a) in enumerate(spots):
        for j, b in spots[k + 1:]:
            if j - i > COMPARED_WINDOW:
                break
            if a == b or prompt[i].sentence != prompt[j].sentence:
                continue
            if any(t.word in _JOINS for t in prompt[i + 1 : j]):
                out |= {a, b}
    return out


def _imperative(name: list[Token]) -> bool:
    """A name that opens with a verb in its base form is an instruction ("Fix ndots",
    "Check the metric query", "Release flags early"), not a subject, unless a verb or a
    break follows it ("Queue is FIFO", "Deploy: code on servers")."""
    if not name or name[0].word not in VERB_WORDS:
        return False
    first = name[0]
    nxt = name[1] if len(name) > 1 else None
    return nxt is not None and nxt.clause == first.clause and nxt.word not in _COPULAS


_AGAINST = frozenset("than unlike like versus vs over".split())


def _compared_against(index: AnswerIndex, k: int) -> bool:
    """Is the word at k what the sentence compares against ("than Y", "unlike Y",
    "compared with Y"), perhaps after an article?"""
    tokens = index.tokens
    j = k - 1
    if j >= 0 and tokens[j].word in ("a", "an", "the", "plain", "classic"):
        j -= 1
    if j < 0 or tokens[j].sentence != tokens[k].sentence:
        return False
    w = tokens[j].word
    return w in _AGAINST or (w in ("with", "to") and j > 0 and tokens[j - 1].word == "compared")


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
        # What a sentence compares against is not its subject: "a canary is slower than
        # blue-green because...", "unlike blue-green, a canary...".
        starts = [h[0] for h in hits if not _compared_against(index, h[0])]
        k = bisect_left(starts, m.first)
        if k and starts[k - 1] > before and sentences[starts[k - 1]] == sentence:
            before, nearest_before = starts[k - 1], stem
        j = bisect_left(starts, m.last + 1)
        if j < len(starts) and starts[j] < after and sentences[starts[j]] == sentence:
            after, nearest_after = starts[j], stem
    nearest = nearest_before or nearest_after
    return bool(nearest) and nearest in subjects.others
