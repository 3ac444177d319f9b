"""Score an answer against an item's rubric, misconceptions and outline order.

`Grader` is what callers hold: it knows the bank (its lexicon, IDF weights, and drafts for
items with no rubric) and caches compiled work, so scoring as the user types stays in the
low milliseconds. `grade()` is deterministic: same answer, same bank, same result.

The scoring rule, in short:
- each concept earns credit 0..1 from its best match: 1 where the answer explains it, a
  share (NAMED_CREDIT) where it only names it (a bare list item), a little less for a
  typo, a share for a phrase only partly present; nothing when every mention is negated
  or sits inside a misconception the answer voiced;
- core concepts carry CORE_SHARE of the score and saturate at CORE_SATURATION of their
  weight (a complete answer may word one idea in a way no alias knows); depth concepts
  carry the rest and saturate at DEPTH_SATURATION (a strong answer need not say all);
  see combine.py;
- AUTHORED_COVERAGE_SHARE of that comes from how much of the model answer's distinctive
  vocabulary the answer states (draft.Vocabulary), counted in proportion to the credit the
  rubric gave (up to COVERAGE_GATE): an answer that hits the rubric's keywords while saying
  little of the substance around them (a wrong claim in the right words, a name-drop)
  scores lower than one that explains, and text the rubric gives nothing gains nothing.
  On the graded sets this ordered answers within a question better (concordance 0.85 ->
  0.87) and moved Pearson 0.78 -> 0.81; a drafted rubric leans on it more (draft.py);
- where the outline says order matters, stating the steps in order earns ORDER_SHARE,
  and the concepts of steps given the wrong way round keep ORDER_KEPT of their credit
  (a step's place is where its words first appear, and a paraphrase the aliases miss
  can move it: the order costs, it does not erase the content);
- an authored rubric's score is stretched above combine.STRETCH_FROM (combine.py);
- each misconception heard costs MISCONCEPTION_PENALTY and caps the score, and so does
  an answer that trades two compared things' properties both ways (binding.py);
- an answer that mostly names terms is capped at LIST_CAP and told so.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from trainer.bank import Bank, Concept, FollowUp, Outline, Question

from .assertion import misconceptions_heard, span_of
from .binding import Bindings, Subjects, mutual_swaps, said_of_sibling, subject_words
from .combine import combine, stretched
from .draft import (
    COVERAGE_SHARE,
    PROMPT_DEMOTION,
    DraftedRubric,
    Vocabulary,
    bank_documents,
    draft_rubric,
    model_vocabularies,
    model_vocabulary,
)
from .evidence import LIST_ANSWER_SHARE, Evidence, judge
from .gradable import Gradable
from .keywords import Pattern, compile_keyword, idf_weights, inverse_document_frequency
from .lexicon import Lexicon, lexicon_for
from .matcher import AnswerIndex, Match
from .normalise import preload
from .prefilter import KeywordFilter, Search
from .result import (
    ConceptResult,
    ConceptStatus,
    OrderProblem,
    ScoreResult,
)
from .result import Evidence as EvidenceKind
from .text import normalised_forms
from .verdicts import verdict
from .wording import list_notice, named_notice, swap_notice

# How each keyword of a concept is searched: text, pattern, IDF weights, share, window.
_Plan = list[tuple[str, Pattern, list[float] | None, float, int | None]]

# A named-only concept earns NAMED_CREDIT in an answer made of lists, rising to
# NAMED_CREDIT_IN_PROSE where the rest of the answer explains (a bullet of terms inside a
# reasoned answer is shorthand, not keyword stuffing).
NAMED_CREDIT = 0.45
NAMED_CREDIT_IN_PROSE = 1.0
ORDER_SHARE = 0.1
ORDER_KEPT = 0.5
MISCONCEPTION_PENALTY = 15
MISCONCEPTION_CAP = 55
# Interviewers grade a bare list of terms 1 of 5 (90 of the 108 lists in the two blind
# sets of this domain, the rest 2): a list earns a quarter at most.
LIST_CAP = 25
# A contrast answered with the two sides traded is wrong at its core, however many of the
# model answer's words it uses: capped as a bare list is, then penalised as a heard
# misconception. (Every trade heard in the graded sets was graded 0 of 5.)
SWAP_CAP = 25
# Authored rubrics blend in coverage of the model answer's words too (see draft.py).
AUTHORED_COVERAGE_SHARE = 0.3
AUTHORED_COVERAGE_SATURATION = 0.45
COVERAGE_GATE = 0.25
# Authored phrases of 3+ words earn partial credit when this share of them is present.
AUTHORED_MIN_SHARE = 0.6
# Part of an authored phrase is weak evidence (the word left out often carries the idea:
# "processor charge" is not "the processor confirms the charge"): credit share ** 2.
PARTIAL_POWER = 2
DRAFTED_MIN_SHARE = 0.4
# A drafted score is raised on a concave curve (raw ** DRAFTED_POWER), as an authored one
# is stretched: a draft's phrases and vocabulary are the model answer's own words, and an
# answer that knows the idea repeats only part of them. On the four graded sets that have
# drafted scores (two of this domain with the rubrics removed, two of other subjects) the
# curve raised Pearson on three, held it on the fourth, and lowered MAE on all four.
DRAFTED_POWER = 0.7
DRAFTED_WINDOW = 12


@dataclass(frozen=True, slots=True)
class _Scored:
    result: ConceptResult
    position: int  # first token of the best match, for order checks; -1 if none
    # (its subject, the sibling's) where matched only as said of the sibling
    swapped: tuple[str, str] | tuple[()] = ()


class Grader:
    """Scores answers for the items of one bank."""

    def __init__(self, bank: Bank | None = None) -> None:
        self.bank = bank
        self.lexicon: Lexicon = lexicon_for(bank)
        self._idf: dict[str, float] | None = None
        self._known: frozenset[str] | None = None
        self._drafts: dict[tuple[str, str, str], DraftedRubric] = {}
        self._echoes: dict[int, frozenset[str]] = {}  # a drafted concept's prompt stems
        self._vocabularies: dict[tuple[str, str, str], Vocabulary] = {}
        # Keyed by the concept's identity; the concept is kept so the id cannot be reused.
        self._plans: dict[tuple[int, float, bool], tuple[Concept, _Plan]] = {}
        self._filters: dict[tuple[int, bool], tuple[Gradable, KeywordFilter]] = {}
        self._bindings = Bindings(self.lexicon)
        self._last: tuple[str, AnswerIndex, Evidence] | None = None

    @property
    def idf(self) -> dict[str, float]:
        if self._idf is None:
            docs = bank_documents(self.bank) if self.bank is not None else []
            if docs:
                from .idfcache import cached_idf

                self._idf = cached_idf(docs, self.lexicon.classes,
                                       lambda: inverse_document_frequency(docs, self.lexicon))
            else:
                self._idf = {}
        return self._idf

    @property
    def known_words(self) -> frozenset[str]:
        """Stems the bank itself uses: an answer word among them is not a typo."""
        if self._known is None:
            self._known = frozenset(self.idf)
        return self._known

    def warm(self, only: Collection[Gradable] | None = None) -> None:
        """Compile every keyword of the bank now (from the disk cache when it is current),
        so a batch of answers, or workers forked after this, start ready. `only`: the
        items the batch will grade, the ones whose filters and plans are made now (the
        rest are made on first use; a batch names a fraction of a big bank's items)."""
        if self.bank is None:
            return
        from .idfcache import cached_forms, cached_patterns
        from .keywords import PatternRow

        items = self.bank.gradable_items
        texts = ({k for item in items for c in item.rubric for k in c.keywords}
                 | {k for item in items for m in item.misconceptions for k in m.keywords}
                 | {k for item in items for f in item.red_flags for k in f.keywords})
        lex = self.lexicon

        def compile_all(missing: list[str]) -> dict[str, PatternRow]:
            out: dict[str, PatternRow] = {}
            for t in missing:
                p = compile_keyword(t, lex)
                out[t] = (p.stems, p.has_negation, p.joined, p.words)
            return out

        # Each keyword becomes a Pattern when first used (the filters and plans below
        # use the batch's items' keywords, a fraction of the bank's).
        lex.stored.update(cached_patterns(texts, lex.classes, compile_all))
        self.known_words  # noqa: B018  (loads the IDF table too)
        # The bank's own words are most of what answers say: their stems come from disk
        # once, not from the stemmer in every worker.
        docs = bank_documents(self.bank)
        preload(cached_forms(docs, lambda: normalised_forms(docs)))
        # What each item needs before its first answer, made before workers fork.
        if only is not None:
            wanted = {id(i) for i in only}
            items = [i for i in items if id(i) in wanted]
        self._warm_vocabularies(items, docs)
        for item in items:
            rubric, drafted = self.rubric_for(item)
            self._filter(item, rubric, drafted)
            share = DRAFTED_MIN_SHARE if drafted else AUTHORED_MIN_SHARE
            for concept in rubric:
                self._plan(concept, share, drafted)

    def _warm_vocabularies(self, items: Sequence[Gradable], docs: list[str]) -> None:
        """Every item's vocabulary, from the disk cache where it is current: tokenising
        and weighing each model answer is most of `warm()`'s own cost."""
        made = model_vocabularies([(i.prompt_text, i.model_text) for i in items], docs,
                                  self.idf, self.lexicon)
        for item in items:
            key = (item.id, item.prompt_text, item.model_text)
            self._vocabularies.setdefault(key, made[key[1:]])

    def draft_for(self, item: Gradable) -> DraftedRubric:
        prompt, model = item.prompt_text, item.model_text
        key = (item.id, prompt, model)
        if key not in self._drafts:
            draft = self._drafts[key] = draft_rubric(model, prompt, self.idf,
                                                     lexicon=self.lexicon)
            for concept in draft.concepts:
                self._echoes[id(concept)] = draft.echoes
        return self._drafts[key]

    def vocabulary_for(self, item: Gradable) -> Vocabulary:
        key = (item.id, item.prompt_text, item.model_text)
        got = self._vocabularies.get(key)
        if got is None:
            got = self._vocabularies[key] = model_vocabulary(
                item.model_text, item.prompt_text, self.idf, self.lexicon)
        return got

    def rubric_for(self, item: Gradable) -> tuple[tuple[Concept, ...], bool]:
        """The item's rubric, or one drafted from its model answer (and True)."""
        if item.rubric:
            return item.rubric, False
        return self.draft_for(item).concepts, True

    def grade(self, item: Gradable, answer: str, item_id: str | None = None,
              self_credit: Collection[str] = ()) -> ScoreResult:
        """Score `answer`; concepts named in `self_credit` count as covered ("I covered
        that"), shown as such."""
        rubric, drafted = self.rubric_for(item)
        index, evidence = self._indexed(answer)
        possible = self._filter(item, rubric, drafted).candidates(index)
        heard = misconceptions_heard(index, answer, item, self.lexicon, possible,
                                     MISCONCEPTION_PENALTY)
        blocked = [(m.span.start, m.span.end) for m in heard]
        min_share = DRAFTED_MIN_SHARE if drafted else AUTHORED_MIN_SHARE
        # Roles are the author's: a rubric that marks none is all core.
        roles = any(c.role for c in rubric)
        prose = 1.0 - min(1.0, evidence.list_share / LIST_ANSWER_SHARE)
        named_credit = NAMED_CREDIT + (NAMED_CREDIT_IN_PROSE - NAMED_CREDIT) * prose
        bindings = self._bindings.of(item, rubric, self.draft_for(item).subjects if drafted
                                      else None)
        scored = [self._concept(index, evidence, answer, c, min_share, drafted, blocked,
                                c.is_core if roles else True, possible, named_credit,
                                bindings.get(id(c))) for c in rubric]
        scored = [_self_credited(s) if s.result.concept in self_credit
                  and s.result.credit < 1.0 else s for s in scored]

        order_problems: tuple[OrderProblem, ...] = ()
        order_checked = False
        order_bonus = None
        # Outlines are authored on questions and follow-ups only.
        outline = item.answer_outline if isinstance(item, Question | FollowUp) else None
        if outline is not None and outline.order_matters and rubric:
            positions = self._step_positions(index, outline, rubric)
            found = [(i, p) for i, p in enumerate(positions) if p >= 0]
            order_checked = len(found) >= 2
            if order_checked:
                pairs = [(i, j) for (i, pi), (j, pj) in zip(found, found[1:], strict=False)
                         if pi > pj]
                order_problems = tuple(OrderProblem(outline.steps[i].step,
                                                    outline.steps[j].step) for i, j in pairs)
                wrong = {outline.steps[k].concept for pair in pairs for k in pair}
                scored = [_out_of_order(s) if s.result.concept in wrong and s.result.status
                          != "self" else s for s in scored]
                order_bonus = not pairs
            else:
                order_bonus = False

        raw = combine([s.result for s in scored])
        vocabulary = self.vocabulary_for(item)
        if drafted:
            raw = (1 - COVERAGE_SHARE) * raw + COVERAGE_SHARE * vocabulary.coverage(index)
        elif vocabulary.informative:
            # Coverage tempers a rubric's verdict: it counts in proportion to the credit
            # the rubric gave, so text that earns none gains nothing from shared words.
            cov = vocabulary.coverage(index, AUTHORED_COVERAGE_SATURATION)
            raw = (1 - AUTHORED_COVERAGE_SHARE) * raw + AUTHORED_COVERAGE_SHARE * cov * min(
                1.0, raw / COVERAGE_GATE)
        if order_bonus is not None:
            raw = raw * (1 - ORDER_SHARE) + (ORDER_SHARE if order_bonus else 0.0)
        score = round(100 * max(0.0, raw) ** DRAFTED_POWER if drafted else stretched(100 * raw))
        notices: list[str] = []
        swaps = mutual_swaps([(s.result.concept, s.swapped) for s in scored])
        if swaps:
            # Two things' properties traded ("a stack is FIFO and a queue is LIFO"): a
            # confident wrong answer in the model answer's own words, as sure a sign as
            # a misconception heard.
            score = min(score, SWAP_CAP) - MISCONCEPTION_PENALTY
            notices.append(swap_notice(swaps, subject_words(item.prompt_text, self.lexicon)))
        if heard:
            score = min(score, MISCONCEPTION_CAP) - MISCONCEPTION_PENALTY * len(heard)
        named = [s.result.concept for s in scored if s.result.evidence == "named"]
        if evidence.is_list and len(answer.split()) >= 3:
            if score > LIST_CAP:
                score = LIST_CAP
            notices.append(list_notice(named, LIST_CAP))
        elif len(named) >= 2 and score < 85:
            notices.append(named_notice(named))
        score = max(0, min(100, score))
        level = str(item.level) if item.level else self._parent_level(item_id)
        return ScoreResult(
            item_id=item_id or item.id,
            score=score,
            verdict=verdict(score, level),
            level=level,
            concepts=tuple(s.result for s in scored),
            misconceptions=tuple(heard),
            order_problems=order_problems,
            order_checked=order_checked,
            drafted=drafted,
            notices=tuple(notices),
            rubric_quality=self.draft_for(item).quality if drafted else 1.0,
        )

    def _indexed(self, answer: str) -> tuple[AnswerIndex, Evidence]:
        """The answer's index, kept for the next call: the app re-scores one answer
        ("I covered that"), and checks score one answer against many rubrics."""
        last = self._last
        if last is not None and last[0] == answer:
            return last[1], last[2]
        index = AnswerIndex.build(answer, self.known_words, self.lexicon)
        evidence = judge(index.tokens, index.columns, answer)
        self._last = (answer, index, evidence)
        return index, evidence

    def _parent_level(self, item_id: str | None) -> str | None:
        if self.bank is None or item_id is None:
            return None
        parent = self.bank.parent_question(item_id)
        return str(parent.level) if parent is not None and parent.level else None

    def _concept(self, index: AnswerIndex, evidence: Evidence, answer: str, concept: Concept,
                 min_share: float, drafted: bool, blocked: list[tuple[int, int]],
                 core: bool, possible: set[str], named_credit: float,
                 subjects: Subjects | None) -> _Scored:
        best: tuple[float, Match, str, bool] | None = None
        negated: tuple[Match, str] | None = None
        tokens = index.tokens
        swapped: tuple[str, str] | tuple[()] = ()
        for kw, pattern, weights, share, window in self._plan(concept, min_share, drafted):
            if kw not in possible:
                continue
            for m in index.find(pattern, weights, share, window):
                if m.negated:
                    if negated is None or m.first < negated[0].first:
                        negated = (m, kw)
                    continue
                if blocked:
                    start, end = tokens[m.first].start, tokens[m.last].end
                    if any(start < b and a < end for a, b in blocked):
                        continue  # said inside a wrong claim: no credit for the words
                other = said_of_sibling(index, m, subjects, drafted) if subjects else ""
                if other:
                    if m.complete and not swapped and subjects and len(subjects.own) == 1:
                        swapped = (next(iter(subjects.own)), other)
                    continue  # said of a sibling's subject ("covalent bonds transfer")
                explained = evidence.explained(index.sentences[m.first])
                part = m.share if drafted or m.share >= 1.0 else m.share ** PARTIAL_POWER
                credit = m.quality * part * (1.0 if explained else named_credit)
                if best is None or credit > best[0] + 1e-9 or (
                    abs(credit - best[0]) <= 1e-9 and m.first < best[1].first
                ):
                    best = (credit, m, kw, explained)
            if best is not None and best[0] >= 1.0 - 1e-9:
                break  # full credit: no later keyword can earn more
        if best is not None and best[1].complete:
            swapped = ()  # said of its own subject too
        if best is not None:
            credit, m, kw, explained = best
            status: ConceptStatus = "matched" if m.complete and explained else "partial"
            how: EvidenceKind = ("named" if not explained else
                                 "explained" if m.complete else "partial")
            return _Scored(ConceptResult(concept.concept, concept.weight, credit, status, kw,
                                         (span_of(index, answer, m),), concept.hint, how, core),
                           m.first, swapped)
        if negated is not None:
            m, kw = negated
            return _Scored(ConceptResult(concept.concept, concept.weight, 0.0, "negated", kw,
                                         (span_of(index, answer, m),), concept.hint, "", core),
                           -1)
        return _Scored(ConceptResult(concept.concept, concept.weight, 0.0, "missed",
                                     hint=concept.hint, core=core), -1, swapped)

    def _plan(self, concept: Concept, min_share: float, drafted: bool) -> _Plan:
        """How each keyword of a concept is searched, worked out once per concept."""
        key = (id(concept), min_share, drafted)
        got = self._plans.get(key)
        if got is None or got[0] is not concept:
            plan: _Plan = []
            for kw in concept.keywords:
                pattern = compile_keyword(kw, self.lexicon)
                weights = idf_weights(pattern.stems, self.idf) if drafted else None
                echoes = self._echoes.get(id(concept)) if drafted else None
                if weights and echoes:
                    # The prompt's words are the question's, not the answer's: a match
                    # on them alone ("comets" of "a comet approaches") is no idea said.
                    weights = [w * PROMPT_DEMOTION if s in echoes else w
                               for s, w in zip(pattern.stems, weights, strict=True)]
                share = min_share if drafted or len(pattern.stems) >= 3 else 1.0
                # A drafted phrase is a cut of the model answer, not an idiom: its words
                # count wherever they appear in a sentence.
                window = DRAFTED_WINDOW if drafted else None
                plan.append((kw, pattern, weights, share, window))
            got = self._plans[key] = (concept, plan)
        return got[1]

    def _step_positions(self, index: AnswerIndex, outline: Outline,
                        rubric: tuple[Concept, ...]) -> list[int]:
        by_name = {c.concept: c for c in rubric}
        positions: list[int] = []
        for step in outline.steps:
            keywords = list(step.keywords)
            if step.concept and step.concept in by_name:
                keywords += by_name[step.concept].keywords
            first = -1
            for kw in keywords:
                for m in index.find(compile_keyword(kw, self.lexicon)):
                    if not m.negated and (first < 0 or m.first < first):
                        first = m.first
            positions.append(first)
        return positions

    def _filter(self, item: Gradable, rubric: tuple[Concept, ...],
                drafted: bool) -> KeywordFilter:
        key = (id(item), drafted)
        got = self._filters.get(key)
        if got is None or got[0] is not item:
            # Each keyword as `_concept` and `misconceptions_heard` search it: the filter
            # indexes it by the stems a match of that share cannot do without.
            share = DRAFTED_MIN_SHARE if drafted else AUTHORED_MIN_SHARE
            searches: list[Search] = [(pattern, weights, kw_share) for c in rubric
                                      for _, pattern, weights, kw_share, _ in
                                      self._plan(c, share, drafted)]
            texts = [k for m in item.misconceptions for k in m.keywords]
            texts += [k for f in item.red_flags for k in f.keywords]
            searches += [(compile_keyword(k, self.lexicon), None, 1.0) for k in texts]
            got = self._filters[key] = (item, KeywordFilter(searches, self.lexicon, self.idf))
        return got[1]


def _self_credited(s: _Scored) -> _Scored:
    r = s.result
    return _Scored(ConceptResult(r.concept, r.weight, 1.0, "self", r.keyword, r.spans, r.hint,
                                 "self", r.core), s.position)


def _out_of_order(s: _Scored) -> _Scored:
    r = s.result
    if r.credit == 0:
        return s
    return _Scored(ConceptResult(r.concept, r.weight, r.credit * ORDER_KEPT, "partial",
                                 r.keyword, r.spans,
                                 r.hint, r.evidence, r.core), s.position)
