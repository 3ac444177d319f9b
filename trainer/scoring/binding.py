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

A drafted rubric's phrases are cut from the model answer and name no subject, so the
model answer says what each is about (`phrase_subjects`): of the words a prompt asks to
contrast, the one nearest the phrase in its sentence, prepositions' objects left out.

An answer that trades both ways ("a stack is FIFO and a queue is LIFO") says each side's
property of the other (`mutual_swaps`): the grader scores it as a wrong answer. One
property said of the other side alone may be one both share, and costs only its credit.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from trainer.bank import Concept

from .evidence import VERB_WORDS, plural_form
from .gradable import Gradable
from .kinds import is_kind, kind_names, kind_positions, number_of, prompt_kinds
from .lexicon import Lexicon
from .matcher import AnswerIndex, Match
from .text import NEGATIONS, STOPWORDS, Token, tokenize


@dataclass(frozen=True, slots=True)
class Subjects:
    own: frozenset[str]
    others: frozenset[str]  # the siblings' subjects, none of them also this concept's
    # A drafted rubric's subjects as the prompt writes them (`word_form`): a word with the
    # stem but another form names something else ("elasticity" is no "elastic" demand).
    forms: frozenset[str] = frozenset()


class Bindings:
    """Each item's concept subjects, worked out once per item."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._made: dict[tuple[int, int], tuple[Gradable, dict[int, Subjects]]] = {}

    def of(self, item: Gradable, rubric: tuple[Concept, ...],
           drafted: tuple[Subjects | None, ...] | None = None) -> dict[int, Subjects]:
        """By the concept's identity (the item is kept so that its id is not reused);
        `drafted`: a drafted rubric's subjects, found as it was drafted."""
        key = (id(item), id(rubric))
        got = self._made.get(key)
        if got is None or got[0] is not item:
            made = (drafted if drafted is not None
                    else subjects_of(rubric, item.prompt_text, self.lexicon))
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


def phrase_subjects(index: AnswerIndex, spans: Sequence[tuple[int, ...]], prompt: str,
                    lexicon: Lexicon | None) -> tuple[Subjects | None, ...]:
    """Per phrase cut from a model answer (a drafted rubric, `index` being the model
    answer's), the subject the model answer says it of: the nearest compared word of the
    prompt in the phrase's sentence, before it or, when none precedes, after it ("the
    oxidized species loses electrons" -> loses electrons: oxidized). None for a phrase
    that names a subject itself, one said of no subject, or one the model answer says of
    two (every "first out" of "LIFO (last in, first out)" and "FIFO (first in, first
    out)")."""
    prompt_tokens = tokenize(prompt, lexicon)
    heads = frozenset(_contrasted(prompt_tokens, set(index.stems)))
    kinds = {kind for _, kind in kind_positions(index, prompt_kinds(prompt_tokens))}
    if len(kinds) >= 2:
        # Numbered kinds of one noun ("Type I", "Type II"): the kinds are the sides, and
        # a bare numeral is no side of its own.
        heads = frozenset(h for h in heads if number_of(h) is None) | kinds
    if len(heads) < 2:
        return (None,) * len(spans)
    forms = frozenset(word_form(t) for t in prompt_tokens if t.stem in heads)
    stems = index.stems
    owners: dict[tuple[str, ...], set[str]] = {}
    keys = [tuple(stems[i] for i in span) for span in spans]
    for key in set(keys):
        size = len(key)
        for start in range(len(stems) - size + 1):
            if stems[start : start + size] == key:
                # A phrase under a negation ("UDP sends datagrams with no delivery or
                # ordering guarantees") says what its subject lacks: bound to none.
                owners.setdefault(key, set()).add(
                    "" if _after_negation(index, start) else
                    _owner(index, start, start + size - 1, heads, forms))
    out: list[Subjects | None] = []
    for key in keys:
        found = owners.get(key, set())
        owner = next(iter(found)) if len(found) == 1 else ""
        if not owner or heads.intersection(key):
            out.append(None)
        else:
            out.append(Subjects(frozenset((owner,)), frozenset(heads - {owner}), forms))
    return tuple(out)


# A prompt that asks for a contrast says so ("how does X differ from Y", "the difference
# between", "what does each produce"), or repeats the noun both sides share (below).
_CONTRAST_CUES = frozenset("""differ differs difference differences different distinguish
contrast contrasts compare compared comparison versus vs each both respectively""".split())


def _contrasted(prompt: list[Token], present: set[str]) -> set[str]:
    """The words a prompt asks to contrast, for a rubric drafted from the model answer
    (whose phrase names carry no subject): two words of one clause, both in the model
    answer, with only joining and function words between them, or the noun both sides
    share ("the species that is oxidized and the species that is reduced", "static
    typing and dynamic typing"); and a prompt that asks for a contrast."""
    counts: dict[str, int] = {}
    for t in prompt:
        counts[t.stem] = counts.get(t.stem, 0) + 1
    repeated = {stem for stem, n in counts.items() if n >= 2 and stem not in STOPWORDS}
    spots = [i for i, t in enumerate(prompt) if t.stem in present and t.norm not in STOPWORDS
             and t.word not in _JOINS and t.word not in _CONTRAST_CUES
             and t.word not in NEGATIONS and not t.stem[:1].isdigit()]
    pairs: list[tuple[str, str, bool]] = []
    for k, i in enumerate(spots):
        for j in spots[k + 1:]:
            a, b = prompt[i].stem, prompt[j].stem
            if j - i > COMPARED_WINDOW or prompt[i].clause != prompt[j].clause:
                break
            if a == b or a in repeated or b in repeated:
                continue
            between = prompt[i + 1 : j]
            if not any(t.word in _JOINS for t in between):
                continue
            if all(t.norm in STOPWORDS or t.word in _JOINS or t.word in _CONTRAST_CUES
                   or t.stem in repeated for t in between):
                pairs.append((a, b, any(t.stem in repeated for t in between)))
    cued = any(t.word in _CONTRAST_CUES for t in prompt)
    return {stem for a, b, shared in pairs if cued or shared for stem in (a, b)}


# Prepositions that govern a noun (draft.py ends its phrases at these and a few more).
PREPOSITIONS = frozenset("""in within inside into of from to by with for on
at across between among through via per""".split())


def _governed(index: AnswerIndex, k: int) -> bool:
    """Is the word at k a preposition's object ("units of execution within a process")
    or what the sentence compares against: not what the sentence is about."""
    tokens = index.tokens
    clause = tokens[k].clause
    # "within a process", "of the same process", "in one process": up to two words
    # between the preposition and the noun, inside the clause.
    for j in range(k - 1, max(-1, k - 4), -1):
        if tokens[j].clause != clause:
            break
        if tokens[j].word in PREPOSITIONS:
            return True
    return _compared_against(index, k)


def _after_negation(index: AnswerIndex, first: int) -> bool:
    """Does a negation word stand before `first` in its clause? (A phrase the index did
    not mark negated may still sit under one: "no delivery or ordering guarantees".)"""
    tokens = index.tokens
    clause = tokens[first].clause
    k = first - 1
    while k >= 0 and tokens[k].clause == clause:
        if tokens[k].word in NEGATIONS:
            return True
        k -= 1
    return False


def word_form(t: Token) -> str:
    """A word as typed, spelling normalised and a plural's ending cut ("queues": "queue")."""
    w = t.norm if not t.norm.startswith("~") else t.word
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    return w[:-1] if plural_form(w) else w


def _owner(index: AnswerIndex, first: int, last: int, heads: frozenset[str],
           forms: frozenset[str] = frozenset()) -> str:
    """The compared word the words first..last are said of: the nearest their sentence
    names before them, else after them, within OWNER_REACH words ("" if none)."""
    at, sentence_of, owners = _spots(index, heads, forms)
    sentence = index.sentences[first]
    k = bisect_left(at, first) - 1
    if k >= 0 and sentence_of[k] == sentence and first - at[k] <= OWNER_REACH:
        return owners[k]
    k = bisect_left(at, last + 1)
    if k < len(at) and sentence_of[k] == sentence and at[k] - last <= OWNER_REACH:
        return owners[k]
    return ""


# How far from a phrase its subject is looked for: a sentence names it within a few dozen
# words.
OWNER_REACH = 60


def _spots(index: AnswerIndex, heads: frozenset[str], forms: frozenset[str],
           ) -> tuple[list[int], list[int], list[str]]:
    """Where `index` names one of `heads` (in one of `forms`, if given), with each one's
    sentence; worked out once per answer. A preposition's object is no subject once its
    clause has named another ("threads ... within a process"); the first one named may
    be ("passing by value gives ...", "at divergent boundaries plates move apart"), and so
    may the first of a new clause ("by reference it gets a copy, but by value it ...")."""
    key = (heads, forms)
    got = index.subject_spots.get(key)
    if got is None:
        tokens, sentences = index.tokens, index.sentences
        stems = index.stems
        named = [(a, stems[a]) for stem in heads if not is_kind(stem)
                 for a, _, _ in index.positions.get(stem, ())
                 if not forms or word_form(tokens[a]) in forms]
        named += kind_positions(index, {h for h in heads if is_kind(h)})
        named.sort()
        clauses = index.columns[5]
        at: list[int] = []
        sentence_of: list[int] = []
        owners: list[str] = []
        previous = -1
        for k, owner in named:
            sentence = sentences[k]
            if sentence == previous and clauses[at[-1]] == clauses[k] and _governed(index, k):
                continue
            at.append(k)
            sentence_of.append(sentence)
            owners.append(owner)
            previous = sentence
        got = index.subject_spots[key] = (at, sentence_of, owners)
    return got


def said_of_another(index: AnswerIndex, m: Match, subjects: Subjects) -> str:
    """The sibling's subject a drafted phrase's match is said of (`_owner`), or "".
    Seen from its first word and from its last: a match whose words reach over a subject
    ("gains electrons and the species that is reduced loses") is said of that one too."""
    heads = subjects.own | subjects.others
    for at in ((m.first, m.last) if m.first != m.last else (m.first,)):
        owner = _owner(index, at, m.last, heads, subjects.forms)
        if owner in subjects.others:
            return owner
    return ""


def said_of_sibling(index: AnswerIndex, m: Match, subjects: Subjects, drafted: bool) -> str:
    """The sibling's subject a match is said of, or ""."""
    return said_of_another(index, m, subjects) if drafted else misattributed(index, m, subjects)


def mutual_swaps(found: list[tuple[str, tuple[str, str] | tuple[()]]],
                 ) -> list[tuple[str, str, str]]:
    """`found`: per concept, (its subject, the sibling's) where it was said only of the
    sibling. (concept, its subject, the sibling's) for each where some concept of that
    sibling was said of this one as well: one said of the other thing may be a property
    both share ("a process has open files", "threads share its open files"), a trade
    both ways ("a stack is FIFO and a queue is LIFO") is not."""
    pairs = {pair for _, pair in found if pair}
    return [(concept, pair[0], pair[1]) for concept, pair in found
            if pair and (pair[1], pair[0]) in pairs]


def subject_words(prompt: str, lexicon: Lexicon) -> dict[str, str]:
    """Each prompt stem's word as the prompt spells it, to name subjects by."""
    words: dict[str, str] = {}
    tokens = tokenize(prompt, lexicon)
    for t in tokens:
        words.setdefault(t.stem, prompt[t.start : t.end])
    words.update(kind_names(prompt, tokens))
    return words


def misattributed(index: AnswerIndex, m: Match, subjects: Subjects) -> str:
    """The sibling's subject, where it is the nearest the match's sentence names ("")."""
    sentences = index.sentences
    sentence = sentences[m.first]
    if m.complete and any(index.stems[k] in subjects.own for k in range(m.first, m.last + 1)):
        return ""  # (a match met in part may merely reach over its subject)
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
    return nearest if nearest in subjects.others else ""
