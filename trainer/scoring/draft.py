"""Draft a rubric from a model answer, for items (user banks, imports) that have none.

The draft takes the model answer's key phrases: runs of content words inside one clause,
cut at function words, negations and verbs (so "a canary release sends a small share"
gives "canary release" and "small share", never "canary release sends"), kept whole up to
three words. Phrases are ranked by how rare their words are across the bank (IDF), demoted
when they only echo the prompt or are everyday words; bare numbers and symbols never
become concepts. Each phrase becomes a concept weighted 1-3 by rank; the lexicon gives it
every synonym at once. Hints point at the idea without quoting the model answer.

A draft is a blunt instrument: a paraphrase that words an idea in other nouns misses its
phrase. So a drafted score blends the phrases' credit with `coverage`: the share of the
model answer's distinctive words (IDF-weighted, prompt echoes and everyday words demoted,
stems and the lexicon applied, negated mentions left out) the answer uses, saturating at
COVERAGE_SATURATION. On three graded sets (this domain with its rubrics removed, and two
of other subjects) the blend ranked answers better than either part alone did.

Where the prompt contrasts two things, each phrase also records which of them the model
answer says it of (binding.py), so an answer that says it of the other earns nothing
for it, and one that trades the two sides' properties is scored as wrong.

`quality` (0..1) estimates how far the draft can be trusted: enough distinctive,
multi-word concepts from a model answer long enough to draft from. The app shows
"drafted rubric, low confidence" below LOW_QUALITY.

`trainer bank draft-rubric ID` prints a draft as YAML for an author to edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import compress

from trainer.bank import Bank, Concept

from .binding import PREPOSITIONS, Subjects, phrase_subjects
from .evidence import _FINITE, VERB_WORDS, plural_form
from .lexicon import Lexicon, default_lexicon
from .matcher import AnswerIndex
from .normalise import stem
from .text import NEGATIONS, STOPWORDS, Token, tokenize

PROMPT_DEMOTION = 0.25
COMMON_DEMOTION = 0.3
MAX_PHRASE = 3
LOW_QUALITY = 0.5
COVERAGE_SHARE = 0.7
COVERAGE_SATURATION = 0.6
MIN_VOCABULARY = 8
COVERAGE_WORDS = 25
# Everyday words that are rare in a small bank (so IDF overrates them) but carry no
# subject knowledge; a draft should not make "great deal" a concept.
_COMMON_WORDS = """
able actually after again against almost along already although always among another
anything around away back bad because become before begin behind being below best better
between big bit both bring call came case certain change clear come comes coming common
consider could course day deal different do does done down during each early easy either
else enough even ever every example fact far few find first follow following found full
get give given go going good great hand happen hard help high however idea important
instead keep kind know large last later least less like likely little long look lot lots
made main make makes making many matter maybe mean means might more most much must need
needs never new next nice now number often old once one ones only open order other others
otherwise part particular perhaps place point possible pretty probably put quite rather
real really reason right run same say see seem set several short show side simple simply
since small so some something sometimes soon sort still such sure take tell than thing
things think though through time today together too try turn two under until upon use
used useful uses using usually various very want way ways well whatever whether which
while whole within without work works would yes yet rest stay stays also called
"""


@cache
def _common() -> frozenset[str]:
    """The stems of _COMMON_WORDS, made on the first draft (most runs draft nothing)."""
    return frozenset(stem(w) for w in _COMMON_WORDS.split())


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """A model answer's distinctive words (stems), each with its weight; `total` is their
    sum and `top` that of the COVERAGE_WORDS heaviest (see `of`)."""

    weights: tuple[tuple[str, float], ...] = ()
    total: float = 0.0
    top: float = 0.0

    @classmethod
    def of(cls, weights: dict[str, float]) -> Vocabulary:
        heaviest = sorted(weights.values(), reverse=True)[:COVERAGE_WORDS]
        return cls(tuple(weights.items()), sum(weights.values()), sum(heaviest))

    @property
    def informative(self) -> bool:
        """Enough words to measure coverage by (a one-line model answer has not)."""
        return len(self.weights) >= MIN_VOCABULARY

    def coverage(self, index: AnswerIndex, saturation: float = 0.0) -> float:
        """0..1: how much of the weighted vocabulary `index` states (not negated),
        saturating at `saturation` (COVERAGE_SATURATION unless given)."""
        if not self.total:
            return 0.0
        negated = index.negated
        said = (set(index.stems) if not index.any_negated or not negated
                else set(compress(index.stems, [not n for n in negated])))
        got = sum(w for s, w in self.weights if s in said)
        # A long model answer elaborates: full coverage asks for a share of its words, or
        # the weight of its COVERAGE_WORDS heaviest ones, whichever is less.
        full = min(self.total * (saturation or COVERAGE_SATURATION), self.top)
        return min(1.0, got / full)


@dataclass(frozen=True, slots=True)
class DraftedRubric:
    concepts: tuple[Concept, ...]
    quality: float = 0.0
    vocabulary: Vocabulary = Vocabulary()
    # Per concept, what the model answer says it of, where the prompt compares things.
    subjects: tuple[Subjects | None, ...] = ()
    # The prompt's stems: an answer that says them only repeats the question.
    echoes: frozenset[str] = frozenset()

    @property
    def low_confidence(self) -> bool:
        return self.quality < LOW_QUALITY


def bank_documents(bank: Bank | None) -> list[str]:
    """One document per gradable item: its prompt and model answer (IDF corpus)."""
    if bank is None:
        return []
    docs = [f"{q.prompt}\n{q.model_answer}" for q in bank.questions]
    docs += [f"{f.prompt}\n{f.model_answer}" for f in bank.follow_ups]
    docs += [f"{s.briefing}\n{s.first_action}\n{s.debrief}" for s in bank.scenarios]
    return docs


# Words that end a noun phrase besides function words and negations: conjunctions that
# open a clause ("because resources are scarce") and linking verbs that explanations use
# ("consequences include queues", "quantity demanded rises").
_CLAUSE_WORDS = frozenset("""
because since unless until whenever whether once otherwise thus therefore hence although
though whereas include includes including involve involves rise rises fall falls affect
affects increase increases decrease decreases reduce reduces produce produces provide
provides create creates contain contains consist consists describe describes represent
represents occur occurs remain remains become becomes depend depends refer refers
""".split())


# Prepositions end a noun phrase ("a condition under which"): those binding.py knows as
# governing a noun, and the rest of the common ones.
_PREPOSITIONS = PREPOSITIONS | frozenset("""
under over toward towards before after outside against along upon near beyond behind below
above beneath throughout during despite around except versus unlike
""".split())
# Words a cut leaves alone that name no idea: quantifiers ("walls only one"), and the
# participles of verbs too general to stand for one ("causing", "decided", "provided").
_LEFTOVERS = frozenset("next more much each both one part only alone first also".split())
_GENERIC_VERBS = frozenset(stem(w) for w in """
cause create assume obtain fail provide give make take get become allow include involve
use produce bring keep result lead help try begin decide complete occur happen remain form
""".split())


def _breaks(t: Token) -> bool:
    return (t.norm in STOPWORDS or t.word in NEGATIONS or t.word in _FINITE
            or t.word in _CLAUSE_WORDS or t.word in _PREPOSITIONS)


def _fragment(t: Token) -> bool:
    """A word that is no concept on its own: a leftover quantifier, a verb in the third
    person ("translates", "grows"), or a general verb's participle. The verb is known by
    its base form, not by its stem as evidence.py knows it: "generations" shares a stem
    with "generate" and is a noun."""
    w = t.word
    if w in _LEFTOVERS:
        return True
    if plural_form(w) and (w[:-1] in VERB_WORDS or w.endswith("es") and w[:-2] in VERB_WORDS):
        return True
    return w.endswith(("ing", "ed")) and stem(w) in _GENERIC_VERBS


def _chunks(index: AnswerIndex, text: str) -> list[list[int]]:
    """Runs of content-token positions within one clause, not under negation."""
    runs: list[list[int]] = []
    current: list[int] = []
    tokens = index.tokens
    for i, t in enumerate(tokens):
        gap = text[tokens[i - 1].end : t.start] if i else ""
        if _breaks(t) or any(c in gap for c in "()[]/\"") or (
                current and tokens[current[-1]].clause != t.clause):
            if current:
                runs.append(current)
            current = [] if _breaks(t) else [i]
            continue
        current.append(i)
    if current:
        runs.append(current)
    return [r for r in runs if not index.is_negated(r[0], r[-1])]


def _is_symbolic(tokens: list[Token]) -> bool:
    """Numbers, units and symbols alone ("25%", "5 s") are no idea of their own."""
    return all(t.norm[0].isdigit() or t.norm in ("percent", "second", "minute", "hour",
                                                 "millisecond", "x", "$") for t in tokens)


def _aliases(text: str, tokens: list[Token]) -> list[str]:
    out = [text]
    words = " ".join(t.word for t in tokens)
    if words != text.lower():
        out.append(words)
    if len(tokens) == 2 and all(t.word.isalpha() for t in tokens):
        out.append("".join(t.word for t in tokens))  # "roll back" is also "rollback"
    seen: dict[str, None] = {}
    for a in out:
        seen.setdefault(a, None)
    return list(seen)


def _hint(tokens: list[Token]) -> str:
    words = len(tokens)
    first = tokens[0].word[:1]
    size = "a term" if words == 1 else f"a {words}-word phrase"
    return (f"The model answer names an idea here ({size} starting with '{first}'); "
            "try again before you look.")


def _weigher(prompt: str, idf: dict[str, float],
             lexicon: Lexicon | None) -> Callable[[Token], float]:
    """A word's weight in a model answer: its rarity (IDF), demoted when it echoes the
    prompt or is an everyday word."""
    prompt_stems = {t.stem for t in tokenize(prompt, lexicon)}
    default = max(idf.values(), default=1.0)
    common = _common()

    def weight(t: Token) -> float:
        w = idf.get(t.stem, default)
        if t.stem in prompt_stems:
            w *= PROMPT_DEMOTION
        # The typed word's own stem differs only where spelling or the lexicon mapped it.
        if t.stem in common or (t.norm != t.word and stem(t.word) in common):
            w *= COMMON_DEMOTION
        return w

    return weight


def _vocabulary(tokens: list[Token], weight: Callable[[Token], float]) -> Vocabulary:
    weights: dict[str, float] = {}
    for t in tokens:
        if t.norm not in STOPWORDS:
            weights.setdefault(t.stem, weight(t))
    return Vocabulary.of(weights)


def model_vocabulary(model_answer: str, prompt: str, idf: dict[str, float],
                     lexicon: Lexicon | None = None) -> Vocabulary:
    """The weighted vocabulary of a model answer (for items with a rubric of their own)."""
    return _vocabulary(tokenize(model_answer, lexicon), _weigher(prompt, idf, lexicon))


def model_vocabularies(pairs: list[tuple[str, str]], documents: list[str],
                       idf: dict[str, float], lexicon: Lexicon | None = None,
                       ) -> dict[tuple[str, str], Vocabulary]:
    """`model_vocabulary` of each (prompt, model answer), kept on disk (`idfcache.py`)
    for the bank of `documents`."""
    from .idfcache import VocabularyRow, cached_vocabularies

    def compute(missing: list[tuple[str, str]]) -> dict[tuple[str, str], VocabularyRow]:
        return {(prompt, model): list(model_vocabulary(model, prompt, idf, lexicon).weights)
                for prompt, model in missing}

    lex = lexicon if lexicon is not None else default_lexicon()
    rows = cached_vocabularies(documents, lex.classes, pairs, compute)
    return {pair: Vocabulary.of(dict(row)) for pair, row in rows.items()}


def draft_rubric(model_answer: str, prompt: str, idf: dict[str, float],
                 max_concepts: int = 12, lexicon: Lexicon | None = None) -> DraftedRubric:
    index = AnswerIndex.build(model_answer, lexicon=lexicon)
    tokens = index.tokens
    default = max(idf.values(), default=1.0)
    weight = _weigher(prompt, idf, lexicon)

    candidates: list[tuple[float, tuple[int, ...]]] = []
    seen: set[tuple[str, ...]] = set()
    echoes = {t.stem for t in tokenize(prompt, lexicon)}
    for run in _chunks(index, model_answer):
        # A long run is cut into near-equal phrases (4 words -> 2 + 2, not 3 + 1).
        pieces = -(-len(run) // MAX_PHRASE)
        size = -(-len(run) // pieces)
        for k in range(0, len(run), size):
            span = tuple(run[k : k + size])
            toks = [tokens[i] for i in span]
            if _is_symbolic(toks):
                continue
            key = tuple(t.stem for t in toks)
            if key in seen or echoes.issuperset(key):
                continue  # said before, or only the prompt's words again
            seen.add(key)
            score = sum(weight(t) for t in toks)
            if len(toks) == 1 and (weight(toks[0]) < 0.6 * default or len(toks[0].word) < 4
                                   or _fragment(toks[0])):
                continue  # a lone everyday or echoed word, or a fragment, is no concept
            candidates.append((score, span))
    ranked = sorted(candidates, key=lambda c: (-c[0], c[1][0]))  # ties by position
    floor = 0.5 * max((c[0] for c in ranked), default=0.0) / MAX_PHRASE
    chosen = [c for c in ranked[:max_concepts] if c[0] >= floor] or ranked[:1]
    chosen.sort(key=lambda c: c[1][0])  # in the order the model answer says them
    vocabulary = _vocabulary(tokens, weight)
    if not chosen:
        return DraftedRubric((), 0.0, vocabulary, echoes=frozenset(echoes))
    scores = sorted(s for s, _ in chosen)
    low, high = scores[len(scores) // 3], scores[(2 * len(scores)) // 3]
    concepts = []
    for score, span in chosen:
        toks = [tokens[i] for i in span]
        text = model_answer[toks[0].start : toks[-1].end]
        w = 3 if score > high else 2 if score > low else 1
        concepts.append(Concept(concept=text, keywords=tuple(_aliases(text, toks)), weight=w,
                                hint=_hint(toks), role="core" if w >= 2 else "depth"))
    subjects = phrase_subjects(index, [span for _, span in chosen], prompt, lexicon)
    return DraftedRubric(tuple(concepts), _quality(chosen, tokens, default), vocabulary,
                         subjects, frozenset(echoes))


def _quality(chosen: list[tuple[float, tuple[int, ...]]], tokens: list[Token],
             top: float) -> float:
    """How far a draft can be trusted: enough concepts, multi-word, distinctive."""
    n = len(chosen)
    multi = sum(1 for _, span in chosen if len(span) >= 2) / n
    distinct = sum(s / len(span) for s, span in chosen) / n / top if top else 0.0
    length = min(1.0, sum(1 for t in tokens if t.norm not in STOPWORDS) / 25)
    count = min(1.0, n / 5)
    return round(max(0.0, min(1.0, 0.3 * count + 0.25 * multi + 0.25 * distinct
                              + 0.2 * length)), 2)
