"""The grader on human-graded short answers from other subjects (CS, biology): its
Pearson correlation with the grades must beat the usual baselines computed against the
model answer (TF-IDF cosine, rapidfuzz token-set ratio), with a grader-written rubric and
with a rubric drafted from the model answer alone."""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections import Counter
from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz

from trainer.bank import Bank, load_bank
from trainer.scoring import Grader

DATA = yaml.safe_load((Path(__file__).parent / "data" / "general_short_answers.yaml")
                      .read_text(encoding="utf-8"))


def pearson(x: list[float], y: list[float]) -> float:
    mx, my = statistics.mean(x), statistics.mean(y)
    sx = math.sqrt(sum((a - mx) ** 2 for a in x))
    sy = math.sqrt(sum((b - my) ** 2 for b in y))
    return sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True)) / (sx * sy)


def tfidf_cosine(docs: list[str]) -> callable:
    """Plain TF-IDF over lower-cased words of every model answer and student answer."""
    def words(t: str) -> list[str]:
        return [w.strip(".,;:()!?\"'").lower() for w in t.split() if w.strip(".,;:()!?\"'")]

    df = Counter(w for d in docs for w in set(words(d)))

    def vec(t: str) -> dict[str, float]:
        tf = Counter(words(t))
        return {w: c * math.log((1 + len(docs)) / (1 + df[w])) + c for w, c in tf.items()}

    def cos(a: str, b: str) -> float:
        va, vb = vec(a), vec(b)
        dot = sum(va[w] * vb.get(w, 0.0) for w in va)
        na = math.sqrt(sum(v * v for v in va.values()))
        nb = math.sqrt(sum(v * v for v in vb.values()))
        return dot / (na * nb) if na and nb else 0.0

    return cos


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    path = tmp_path_factory.mktemp("general") / "general.yaml"
    questions = [{k: v for k, v in q.items() if k != "answers"} for q in DATA["questions"]]
    path.write_text(yaml.safe_dump({"questions": questions}), encoding="utf-8")
    return load_bank([path], builtin=False)


def test_beats_baselines(bank: Bank) -> None:
    grader = Grader(bank)
    docs = [q["model_answer"] for q in DATA["questions"]] + [
        a["answer"] for q in DATA["questions"] for a in q["answers"]]
    cos = tfidf_cosine(docs)
    grades, authored, drafted, tfidf, tokenset = [], [], [], [], []
    for q in DATA["questions"]:
        item = bank.get(q["id"]).item
        bare = dataclasses.replace(item, rubric=())
        for a in q["answers"]:
            grades.append(a["grade"])
            authored.append(grader.grade(item, a["answer"]).score)
            drafted.append(grader.grade(bare, a["answer"]).score)
            tfidf.append(cos(item.model_answer, a["answer"]))
            tokenset.append(fuzz.token_set_ratio(item.model_answer, a["answer"]))
    r = {name: pearson(grades, xs) for name, xs in
         (("authored", authored), ("drafted", drafted), ("tfidf", tfidf),
          ("tokenset", tokenset))}
    best_baseline = max(r["tfidf"], r["tokenset"])
    assert r["authored"] >= best_baseline + 0.15, r
    assert r["drafted"] > best_baseline, r
