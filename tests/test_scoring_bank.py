"""The scorer's invariants over the whole built-in bank, every question and follow-up.

- the model answer scores >= 85 and voices no misconception;
- the bank's strong answer scores >= 80 and voices none;
- the weak answer voices a misconception or scores <= 45;
- a bare comma list of one keyword per concept scores <= 40;
- other items' model answers score low (median <= 25 for every item);
- every item names at least two misconceptions, and `bank check` has no warnings.

Paraphrases in tests/data/paraphrases were written for these tests, in other words than
the model answers.
"""

from __future__ import annotations

import dataclasses
import statistics
from pathlib import Path

import pytest
import yaml

from trainer.bank import Bank, Entry, load_bank
from trainer.scoring import Grader
from trainer.scoring.lint import warnings
from trainer.scoring.matcher import compile_keyword

PARAPHRASES: dict[str, str] = {}
for _p in sorted((Path(__file__).parent / "data" / "paraphrases").glob("*.yaml")):
    PARAPHRASES.update(yaml.safe_load(_p.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


@pytest.fixture(scope="module")
def grader(bank: Bank) -> Grader:
    return Grader(bank)


def _gradable(bank: Bank) -> list[Entry]:
    return [e for e in bank.entries.values() if e.kind in ("question", "follow_up")]


def keyword_list(item: object) -> str:
    return ", ".join(c.keywords[0] for c in item.rubric)  # type: ignore[attr-defined]


def test_model_answers_score_85_and_voice_no_misconception(bank: Bank, grader: Grader) -> None:
    bad = [(e.id, r.score, [m.keyword for m in r.misconceptions]) for e in _gradable(bank)
           if (r := grader.grade(e.item, e.item.model_answer, e.id)).score < 85
           or r.misconceptions]
    assert not bad


def test_strong_answers_score_80_and_voice_no_misconception(bank: Bank, grader: Grader) -> None:
    bad = [(e.id, r.score, [m.keyword for m in r.misconceptions]) for e in _gradable(bank)
           if e.item.strong_answer
           and ((r := grader.grade(e.item, e.item.strong_answer, e.id)).score < 80
                or r.misconceptions)]
    assert not bad


def test_weak_answers_voice_a_misconception_or_score_low(bank: Bank, grader: Grader) -> None:
    bad = [(e.id, r.score) for e in _gradable(bank) if e.item.weak_answer
           and not (r := grader.grade(e.item, e.item.weak_answer, e.id)).misconceptions
           and r.score > 45]
    assert not bad


def test_a_bare_keyword_list_scores_at_most_40(bank: Bank, grader: Grader) -> None:
    bad = [(e.id, r.score) for e in _gradable(bank)
           if (r := grader.grade(e.item, keyword_list(e.item), e.id)).score > 40]
    assert not bad


def test_other_items_model_answers_score_low(bank: Bank, grader: Grader) -> None:
    items = _gradable(bank)
    scores: dict[str, list[int]] = {e.id: [] for e in items}
    for o in items:  # one answer against every other rubric: the answer is indexed once
        for e in items:
            if (o.parent or o.id) != (e.parent or e.id):
                scores[e.id].append(grader.grade(e.item, o.item.model_answer, e.id).score)
    medians = {k: statistics.median(v) for k, v in scores.items()}
    assert not {k: v for k, v in medians.items() if v > 25}
    assert statistics.mean(medians.values()) <= 5


def test_every_item_names_two_misconceptions_with_corrections(bank: Bank) -> None:
    short = [e.id for e in _gradable(bank) if len(e.item.misconceptions) < 2]
    assert not short
    assert not [e.id for e in _gradable(bank) if e.item.red_flags]
    assert not [e.id for e in _gradable(bank) for m in e.item.misconceptions
                if not m.correction.strip()]


def test_bank_check_has_no_warnings(bank: Bank) -> None:
    assert warnings(bank) == []


def _typo(text: str) -> str:
    """Swap two inner letters of every third long word: 'kubernetes' -> 'kubenretes'."""
    words = text.split(" ")
    for i in range(0, len(words), 3):
        w = words[i]
        if len(w) >= 8 and w.isalpha():
            words[i] = w[:3] + w[4] + w[3] + w[5:]
    return " ".join(words)


def test_paraphrase_beats_weak_answer_and_survives_typos(bank: Bank, grader: Grader) -> None:
    checked = 0
    for e in _gradable(bank):
        if e.id not in PARAPHRASES:
            continue
        checked += 1
        strong = grader.grade(e.item, PARAPHRASES[e.id], e.id).score
        weak = grader.grade(e.item, e.item.weak_answer, e.id).score
        assert strong > weak, (e.id, strong, weak)
        assert strong >= 60, (e.id, strong)
        typo = grader.grade(e.item, _typo(PARAPHRASES[e.id]), e.id).score
        assert typo >= strong - 15, (e.id, strong, typo)
    assert checked >= 100


def test_negated_keywords_lose_their_concepts(bank: Bank, grader: Grader) -> None:
    """Each concept's own keyword, stated negatively, earns nothing."""
    for e in _gradable(bank)[::3]:
        item = dataclasses.replace(e.item, misconceptions=(), red_flags=())
        for c in e.item.rubric:
            if any(compile_keyword(k, grader.lexicon).has_negation for k in c.keywords):
                continue  # a concept that is itself a negation ("no new messages")
            kw = c.keywords[0]
            r = grader.grade(item, f"I would never {kw}. I don't think {kw} matters here.",
                             e.id)
            concept = next(x for x in r.concepts if x.concept == c.concept)
            assert concept.credit == 0, (e.id, c.concept, kw, concept)


def test_drafted_rubrics_for_model_answer_only_banks(bank: Bank) -> None:
    """Strip every rubric: the drafted rubric still ranks answers sensibly."""
    bare = Grader(bank)
    wins = total = 0
    for e in _gradable(bank):
        if e.id not in PARAPHRASES:
            continue
        item = dataclasses.replace(e.item, rubric=(), red_flags=(), misconceptions=(),
                                   answer_outline=None)
        model = bare.grade(item, e.item.model_answer, e.id)
        assert model.drafted and model.score >= 85, (e.id, model.score)
        para = bare.grade(item, PARAPHRASES[e.id], e.id).score
        weak = bare.grade(item, e.item.weak_answer, e.id).score
        wins += para > weak
        total += 1
    assert wins >= 0.85 * total
