"""Grader accuracy on the built-in bank: every question and follow-up.

Paraphrases in tests/data/paraphrases were written for these tests, in other words than
the model answers; weak answers are the bank's own (from the seeds' "weak candidates say").
"""

from __future__ import annotations

import dataclasses
import statistics
from pathlib import Path

import pytest
import yaml

from trainer.bank import Bank, Entry, load_bank
from trainer.scoring import Grader
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


def _topics(bank: Bank, e: Entry) -> set[str]:
    return set(bank.get(e.parent).topics if e.parent else e.topics)


def test_every_item_has_a_paraphrase(bank: Bank) -> None:
    assert {e.id for e in _gradable(bank)} <= set(PARAPHRASES)


def test_model_answers_score_at_least_85(bank: Bank, grader: Grader) -> None:
    low = [(e.id, r.score) for e in _gradable(bank)
           if (r := grader.grade(e.item, e.item.model_answer, e.id)).score < 85]
    assert not low


def test_paraphrase_beats_weak_answer(bank: Bank, grader: Grader) -> None:
    for e in _gradable(bank):
        strong = grader.grade(e.item, PARAPHRASES[e.id], e.id).score
        weak = grader.grade(e.item, e.item.weak_answer, e.id).score
        assert strong > weak, (e.id, strong, weak)
        assert strong >= 60, (e.id, strong)


def test_other_questions_model_answers_score_low(bank: Bank, grader: Grader) -> None:
    """An answer to an unrelated question (no shared topic) earns little."""
    items = _gradable(bank)
    medians = []
    for e in items:
        others = [o for o in items if not _topics(bank, o) & _topics(bank, e)]
        scores = [grader.grade(e.item, o.item.model_answer, e.id).score for o in others]
        medians.append(statistics.median(scores))
        assert statistics.quantiles(scores, n=10)[-1] <= 25 + 10, e.id  # 90th percentile
    assert max(medians) <= 25
    assert statistics.mean(medians) <= 5


def _typo(text: str) -> str:
    """Swap two inner letters of every third long word: 'kubernetes' -> 'kubenretes'."""
    words = text.split(" ")
    for i in range(0, len(words), 3):
        w = words[i]
        if len(w) >= 8 and w.isalpha():
            words[i] = w[:3] + w[4] + w[3] + w[5:]
    return " ".join(words)


def test_typos_still_match(bank: Bank, grader: Grader) -> None:
    for e in _gradable(bank)[::4]:
        clean = grader.grade(e.item, PARAPHRASES[e.id], e.id).score
        typo = grader.grade(e.item, _typo(PARAPHRASES[e.id]), e.id).score
        assert typo >= clean - 15, (e.id, clean, typo)


def test_negated_model_answer_loses_its_concepts(bank: Bank, grader: Grader) -> None:
    """Each concept's own keyword, stated negatively, earns nothing."""
    for e in _gradable(bank)[::3]:
        for c in e.item.rubric:
            if any(compile_keyword(k).has_negation for k in c.keywords):
                continue  # a concept that is itself a negation ("no new messages")
            kw = c.keywords[0]
            r = grader.grade(dataclasses.replace(e.item, red_flags=()),
                             f"I would never {kw}. I don't think {kw} matters here.", e.id)
            concept = next(x for x in r.concepts if x.concept == c.concept)
            assert concept.status != "matched", (e.id, c.concept, kw)


def test_drafted_rubrics_for_model_answer_only_banks(bank: Bank) -> None:
    """Strip every rubric: the drafted rubric still ranks answers sensibly."""
    bare = Grader(bank)
    wins = 0
    items = _gradable(bank)
    for e in items:
        item = dataclasses.replace(e.item, rubric=(), red_flags=(), answer_outline=None)
        model = bare.grade(item, e.item.model_answer, e.id)
        assert model.drafted and model.score >= 85, (e.id, model.score)
        para = bare.grade(item, PARAPHRASES[e.id], e.id).score
        weak = bare.grade(item, e.item.weak_answer, e.id).score
        wins += para > weak
    assert wins >= 0.9 * len(items)
