"""Draft a rubric from a model answer, for items (user banks, imports) that have none.

The draft picks the model answer's key phrases: runs of content words within a clause,
split into phrases of up to three words, scored by how rare their words are across the
bank (IDF) and demoted when they only repeat the prompt (a candidate echoing the question
shows nothing). Phrases the model answer states negatively are skipped. Each phrase
becomes a concept weighted 1-3 by score, with aliases from normalisation (the spelling
the candidate would type, the run-together form, the abbreviation's long form).

`trainer bank draft-rubric ID` prints a draft as YAML for an author to edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.bank import Bank, Concept

from .matcher import AnswerIndex
from .text import _PHRASES_TEXT, _SYNONYM_TOKENS, NEGATIONS, STOPWORDS, Token, stem, tokenize

PROMPT_DEMOTION = 0.25
COMMON_DEMOTION = 0.3
MAX_PHRASE = 3
# Everyday words that are rare in a small bank (so IDF overrates them) but carry no
# subject knowledge; a draft should not make "great deal" a concept.
_COMMON = frozenset(stem(w) for w in """
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
while whole within without work works would yes yet
""".split())
_LONG_FORMS: dict[str, list[str]] = {}
for _long, _short in {**_PHRASES_TEXT, **_SYNONYM_TOKENS}.items():
    if _long.isalpha() or " " in _long:
        _LONG_FORMS.setdefault(_short, []).append(_long)


@dataclass(frozen=True, slots=True)
class DraftedRubric:
    concepts: tuple[Concept, ...]


def bank_documents(bank: Bank | None) -> list[str]:
    """One document per gradable item: its prompt and model answer (IDF corpus)."""
    if bank is None:
        return []
    docs = [f"{q.prompt}\n{q.model_answer}" for q in bank.questions]
    docs += [f"{f.prompt}\n{f.model_answer}" for f in bank.follow_ups]
    docs += [f"{s.briefing}\n{s.first_action}\n{s.debrief}" for s in bank.scenarios]
    return docs


def _chunks(index: AnswerIndex, text: str) -> list[list[int]]:
    """Runs of content-token positions within one clause, not under negation."""
    runs: list[list[int]] = []
    current: list[int] = []
    tokens = index.tokens
    for i, t in enumerate(tokens):
        # Brackets and slashes separate ideas too: "last in, first out (LIFO)" gives the
        # abbreviation its own phrase.
        gap = text[tokens[i - 1].end : t.start] if i else ""
        breaks = (t.norm in STOPWORDS or t.norm in NEGATIONS or any(c in gap for c in "()[]/")
                  or (current and tokens[current[-1]].clause != t.clause))
        if breaks:
            if current:
                runs.append(current)
            current = [] if (t.norm in STOPWORDS or t.norm in NEGATIONS) else [i]
            continue
        current.append(i)
    if current:
        runs.append(current)
    return [r for r in runs if not index.is_negated(r[0], r[-1])]


def _aliases(text: str, tokens: list[Token]) -> list[str]:
    out = [text]
    norms = " ".join(t.norm for t in tokens)
    if norms != text.lower():
        out.append(norms)
    if len(tokens) == 2:  # "roll back" is also written "rollback"
        out.append("".join(t.norm for t in tokens))
    for t in tokens:
        for long in _LONG_FORMS.get(t.norm, ()):
            out.append(norms.replace(t.norm, long))
    seen: dict[str, None] = {}
    for a in out:
        seen.setdefault(a, None)
    return list(seen)


def draft_rubric(model_answer: str, prompt: str, idf: dict[str, float],
                 max_concepts: int = 12) -> DraftedRubric:
    index = AnswerIndex.build(model_answer)
    tokens = index.tokens
    prompt_stems = {t.stem for t in tokenize(prompt)}
    default = max(idf.values(), default=1.0)

    def weight(t: Token) -> float:
        w = idf.get(t.stem, default)
        if t.stem in prompt_stems:
            w *= PROMPT_DEMOTION
        if t.stem in _COMMON:
            w *= COMMON_DEMOTION
        return w

    # Every content run of the model answer, cut into phrases of up to MAX_PHRASE words:
    # short model answers keep all of them, long ones their most distinctive twelve.
    candidates: list[tuple[float, tuple[int, ...]]] = []
    seen: set[tuple[str, ...]] = set()
    for run in _chunks(index, model_answer):
        # Cut a long run into near-equal phrases (4 words -> 2 + 2, not 3 + 1).
        pieces = -(-len(run) // MAX_PHRASE)
        size = -(-len(run) // pieces)
        for k in range(0, len(run), size):
            span = tuple(run[k : k + size])
            key = tuple(tokens[i].stem for i in span)
            if key in seen:
                continue
            seen.add(key)
            candidates.append((sum(weight(tokens[i]) for i in span), span))
    ranked = sorted(candidates, key=lambda c: (-c[0], c[1][0]))  # ties by position
    floor = 0.5 * max((c[0] for c in ranked), default=0.0) / MAX_PHRASE
    chosen = [c for c in ranked[:max_concepts] if c[0] >= floor] or ranked[:1]
    chosen.sort(key=lambda c: c[1][0])  # in the order the model answer says them
    if not chosen:
        return DraftedRubric(())
    scores = sorted(s for s, _ in chosen)
    low, high = scores[len(scores) // 3], scores[(2 * len(scores)) // 3]
    concepts = []
    for score, span in chosen:
        text = model_answer[tokens[span[0]].start : tokens[span[-1]].end]
        clause = _clause_text(model_answer, tokens, span[0])
        w = 3 if score > high else 2 if score > low else 1
        concepts.append(Concept(concept=text, keywords=tuple(_aliases(text, [tokens[i] for i in
                                span])), weight=w, hint=f"The model answer says: {clause}"))
    return DraftedRubric(tuple(concepts))


def _clause_text(text: str, tokens: list[Token], i: int) -> str:
    clause = tokens[i].clause
    members = [t for t in tokens if t.clause == clause]
    snippet = text[members[0].start : members[-1].end]
    return snippet if len(snippet) <= 100 else snippet[:97].rstrip() + "..."
