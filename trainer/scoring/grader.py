"""Score an answer against an item's rubric, red flags and outline order.

`Grader` is what callers hold: it knows the bank (for IDF weights and for drafting rubrics
of items that have none) and caches compiled work, so scoring as the user types stays in
the low milliseconds. `grade()` is deterministic: same answer, same bank, same result.

Scoring, in short:
- each concept earns credit 0..1: 1 for a clean keyword match, a little less for a typo
  match, a share for a phrase only partly present (only phrases of 3+ words in authored
  rubrics; any phrase in drafted ones), 0 when every mention is negated;
- where the outline says order matters, stating the steps in order is worth a share of
  the total (ORDER_SHARE);
- score = 100 x weighted credit, minus RED_FLAG_PENALTY per red flag heard, within 0-100;
- the verdict compares the score with the bar of the item's level.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.bank import Bank, Concept, FollowUp, Question, Scenario

from .draft import DraftedRubric, bank_documents, draft_rubric
from .matcher import AnswerIndex, Match, compile_keyword, idf_weights, inverse_document_frequency
from .result import ConceptResult, OrderProblem, RedFlagResult, ScoreResult, Span

Gradable = Question | FollowUp | Scenario

RED_FLAG_PENALTY = 12
ORDER_SHARE = 0.15
# Authored phrases of 3+ words earn partial credit when this share of them is present.
AUTHORED_MIN_SHARE = 0.6
DRAFTED_MIN_SHARE = 0.3
DRAFTED_WINDOW = 12

LEVEL_BARS = {"junior": 50, "mid": 60, "senior": 70, "staff": 75}
STRONG_LABEL = {"junior": "strong", "mid": "strong", "senior": "senior signal",
                "staff": "staff signal"}


def verdict(score: int, level: str | None) -> str:
    """Band for a score, judged against the bar of the item's level.

    below 40: misses the fundamentals; below the level's bar: partial; up to 84: solid;
    85 and over: strong for junior/mid items, senior signal for senior items, and staff
    signal for staff items (a staff item needs 90 for that, else senior signal).
    """
    level = level or "mid"
    if score < 40:
        return "misses the fundamentals"
    if score < LEVEL_BARS.get(level, 60):
        return "partial"
    if score < 85:
        return "solid"
    if level == "staff" and score < 90:
        return "senior signal"
    return STRONG_LABEL.get(level, "strong")


@dataclass(frozen=True, slots=True)
class _Scored:
    result: ConceptResult
    position: int  # first token of the best match, for order checks; -1 if none


class Grader:
    """Scores answers for the items of one bank."""

    def __init__(self, bank: Bank | None = None) -> None:
        self.bank = bank
        self._idf: dict[str, float] | None = None
        self._known: frozenset[str] | None = None
        self._drafts: dict[tuple[str, str, str], DraftedRubric] = {}

    @property
    def idf(self) -> dict[str, float]:
        if self._idf is None:
            docs = bank_documents(self.bank) if self.bank is not None else []
            self._idf = inverse_document_frequency(docs) if docs else {}
        return self._idf

    @property
    def known_words(self) -> frozenset[str]:
        """Stems the bank itself uses: an answer word among them is not a typo."""
        if self._known is None:
            self._known = frozenset(self.idf)
        return self._known

    def rubric_for(self, item: Gradable) -> tuple[tuple[Concept, ...], bool]:
        """The item's rubric, or one drafted from its model answer (and True)."""
        if item.rubric:
            return item.rubric, False
        model = getattr(item, "model_answer", "") or " ".join(
            [item.first_action, *item.follow_through, item.debrief]  # type: ignore[union-attr]
        )
        prompt = getattr(item, "prompt", "") or getattr(item, "briefing", "")
        key = (item.id, prompt, model)
        if key not in self._drafts:
            self._drafts[key] = draft_rubric(model, prompt, self.idf)
        return self._drafts[key].concepts, True

    def grade(self, item: Gradable, answer: str, item_id: str | None = None) -> ScoreResult:
        rubric, drafted = self.rubric_for(item)
        index = AnswerIndex.build(answer, self.known_words)
        min_share = DRAFTED_MIN_SHARE if drafted else AUTHORED_MIN_SHARE
        scored = [self._concept(index, answer, c, min_share, drafted) for c in rubric]
        total = sum(c.weight for c in rubric)
        earned = sum(s.result.credit * s.result.weight for s in scored)

        order_problems: tuple[OrderProblem, ...] = ()
        order_checked = False
        outline = getattr(item, "answer_outline", None)
        if outline is not None and outline.order_matters and total:
            order_weight = max(1.0, ORDER_SHARE * total)
            positions = self._step_positions(index, outline, rubric)
            found = [(i, p) for i, p in enumerate(positions) if p >= 0]
            order_checked = len(found) >= 2
            if order_checked:
                order_problems = tuple(
                    OrderProblem(outline.steps[i].step, outline.steps[j].step)
                    for (i, pi), (j, pj) in zip(found, found[1:], strict=False) if pi > pj
                )
                if not order_problems:
                    earned += order_weight
            total += order_weight

        flags = self._red_flags(index, answer, item)
        raw = 100.0 * earned / total if total else 0.0
        score = max(0, min(100, round(raw) - sum(f.penalty for f in flags)))
        level = getattr(item, "level", None)
        level = str(level) if level else self._parent_level(item_id)
        return ScoreResult(
            item_id=item_id or item.id,
            score=score,
            verdict=verdict(score, level),
            level=level,
            concepts=tuple(s.result for s in scored),
            red_flags=tuple(flags),
            order_problems=order_problems,
            order_checked=order_checked,
            drafted=drafted,
        )

    def _parent_level(self, item_id: str | None) -> str | None:
        if self.bank is None or item_id is None:
            return None
        parent = self.bank.parent_question(item_id)
        return str(parent.level) if parent is not None and parent.level else None

    def _concept(self, index: AnswerIndex, answer: str, concept: Concept, min_share: float,
                 drafted: bool) -> _Scored:
        best: tuple[float, Match, str] | None = None
        negated: tuple[Match, str] | None = None
        for kw in concept.keywords:
            pattern = compile_keyword(kw)
            weights = idf_weights(pattern.stems, self.idf) if drafted else None
            share = min_share if drafted or len(pattern.stems) >= 3 else 1.0
            # A drafted phrase is a cut of the model answer, not an idiom: its words count
            # wherever they appear in a short answer.
            window = DRAFTED_WINDOW if drafted else None
            for m in index.find(pattern, weights, share, window):
                if m.negated:
                    if negated is None or m.first < negated[0].first:
                        negated = (m, kw)
                    continue
                credit = m.quality * m.share
                if best is None or credit > best[0] + 1e-9 or (
                    abs(credit - best[0]) <= 1e-9 and m.first < best[1].first
                ):
                    best = (credit, m, kw)
        if best is not None:
            credit, m, kw = best
            status = "matched" if m.complete else "partial"
            return _Scored(ConceptResult(concept.concept, concept.weight, credit, status, kw,
                                         (_span(index, answer, m),), concept.hint), m.first)
        if negated is not None:
            m, kw = negated
            return _Scored(ConceptResult(concept.concept, concept.weight, 0.0, "negated", kw,
                                         (_span(index, answer, m),), concept.hint), -1)
        return _Scored(ConceptResult(concept.concept, concept.weight, 0.0, "missed",
                                     hint=concept.hint), -1)

    def _step_positions(self, index: AnswerIndex, outline, rubric) -> list[int]:  # noqa: ANN001
        by_name = {c.concept: c for c in rubric}
        positions = []
        for step in outline.steps:
            keywords = list(step.keywords)
            if step.concept and step.concept in by_name:
                keywords += by_name[step.concept].keywords
            first = -1
            for kw in keywords:
                for m in index.find(compile_keyword(kw)):
                    if not m.negated and (first < 0 or m.first < first):
                        first = m.first
            positions.append(first)
        return positions

    def _red_flags(self, index: AnswerIndex, answer: str, item: Gradable) -> list[RedFlagResult]:
        fired = []
        for flag in getattr(item, "red_flags", ()):
            hit: tuple[Match, str] | None = None
            for kw in flag.keywords:
                for m in index.find(compile_keyword(kw)):
                    if not m.negated and (hit is None or m.first < hit[0].first):
                        hit = (m, kw)
            if hit is not None:
                fired.append(RedFlagResult(hit[1], flag.why, RED_FLAG_PENALTY,
                                           _span(index, answer, hit[0])))
        return fired


def _span(index: AnswerIndex, answer: str, m: Match) -> Span:
    start, end = index.tokens[m.first].start, index.tokens[m.last].end
    return Span(start, end, answer[start:end])
