"""How far the scorer agrees with people: validity figures on human-graded answers.

    python benchmarks/bench_validity.py [--json] [--by-item]

Sets:
- the dev set (`tests/data/graded/answers.yaml`): typed answers to every built-in question
  and follow-up, graded 0-5 blind (see its README);
- two fresh sets (`tests/data/graded_fresh/`): answers to 60 built-in items each, written
  and graded blind after the rubrics were (see its README);
- the other-subject set (`tests/data/graded_other/`): 256 short answers to 32 questions in
  computer science, biology, physics and chemistry, graded 0-5 blind, scored with rubrics
  an author wrote for them and with rubrics drafted from the model answers alone;
- the fresh other-subject set (`tests/data/graded_other_fresh/`): 288 answers to 36
  questions in six other subjects, half of them contrasts, scored with drafted rubrics;
- the second fresh other-subject set (`tests/data/graded_other_fresh2/`): 240 answers to
  30 questions in six more subjects, half of them contrasts, drafted rubrics only;
- the small computer-science/biology set (`tests/data/general_short_answers.yaml`), the
  same two ways.

Figures: Pearson and Spearman against the grade, within-question concordance (of two
answers to one question with different grades, how often the higher-graded one scores
higher; score ties count half), mean absolute error against grade x 20, mean score per
style — beside two baselines (TF-IDF cosine with the model answer, and answer length),
and the agreement of the two graders on the doubly graded answers.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.bank import Concept, Question, load_bank  # noqa: E402
from trainer.scoring import Grader  # noqa: E402
from trainer.scoring.draft import bank_documents  # noqa: E402
from trainer.scoring.matcher import inverse_document_frequency  # noqa: E402
from trainer.scoring.text import STOPWORDS, tokenize  # noqa: E402
from trainer.sim.mannwhitney import ranks  # noqa: E402  (ties share their average rank)

DEV = ROOT / "tests" / "data" / "graded" / "answers.yaml"
FRESH = ROOT / "tests" / "data" / "graded_fresh" / "answers.yaml"
GENERAL = ROOT / "tests" / "data" / "general_short_answers.yaml"
OTHER = ROOT / "tests" / "data" / "graded_other"
OTHER_FRESH = ROOT / "tests" / "data" / "graded_other_fresh"
OTHER_FRESH2 = ROOT / "tests" / "data" / "graded_other_fresh2"


def pearson(xs: list[float], ys: list[float]) -> float:
    if len(set(xs)) < 2 or len(set(ys)) < 2:
        return float("nan")
    return statistics.correlation(xs, ys)


def concordance(groups: dict[str, list[tuple[float, float]]]) -> float:
    agree = total = 0.0
    for pairs in groups.values():
        for i, (gi, si) in enumerate(pairs):
            for gj, sj in pairs[i + 1 :]:
                if gi == gj:
                    continue
                total += 1
                if si == sj:
                    agree += 0.5
                elif (si > sj) == (gi > gj):
                    agree += 1
    return agree / total if total else float("nan")


class Cosine:
    """TF-IDF cosine between an answer and the model answer, 0-100."""

    def __init__(self, docs: list[str]) -> None:
        self.idf = inverse_document_frequency(docs)
        self.default = max(self.idf.values(), default=1.0)

    def vector(self, text: str) -> dict[str, float]:
        v: dict[str, float] = defaultdict(float)
        for t in tokenize(text):
            if t.norm not in STOPWORDS:
                v[t.stem] += self.idf.get(t.stem, self.default)
        return v

    def __call__(self, answer: str, model: str) -> float:
        a, b = self.vector(answer), self.vector(model)
        dot = sum(a[k] * b.get(k, 0.0) for k in a)
        na = math.sqrt(sum(x * x for x in a.values()))
        nb = math.sqrt(sum(x * x for x in b.values()))
        return 100 * dot / (na * nb) if na and nb else 0.0


def figures(rows: list[dict], key: str) -> dict[str, float]:
    grades = [r["grade"] for r in rows]
    scores = [r[key] for r in rows]
    groups: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for r in rows:
        groups[r["item"]].append((r["grade"], r[key]))
    return {
        "pearson": pearson(scores, grades),
        "spearman": pearson(ranks(scores), ranks(grades)),
        "concordance": concordance(groups),
        "mae": statistics.fmean(abs(s - 20 * g) for s, g in zip(scores, grades, strict=True)),
    }


def dev_rows(banks: list[Path], builtin: bool,
             path: Path = DEV) -> tuple[list[dict], dict[str, float] | None]:
    bank = load_bank(banks, builtin=builtin)
    grader = Grader(bank)
    cosine = Cosine(bank_documents(bank))
    data = yaml.safe_load(path.read_text())["answers"]
    rows = []
    for a in data:
        entry = bank.get(a["item"])
        if entry is None:
            continue
        item = entry.item
        rows.append({
            "item": a["item"], "style": a["style"], "grade": a["grade"],
            "round": a.get("round", 0),
            "score": grader.grade(item, a["answer"], a["item"]).score,  # type: ignore[arg-type]
            "cosine": cosine(a["answer"], item.model_answer),  # type: ignore[union-attr]
            "length": len(a["answer"].split()),
        })
    doubled = [a for a in data if "grade_b" in a]
    agreement = None
    if doubled:
        ga = [a["grade"] for a in doubled]
        gb = [a["grade_b"] for a in doubled]
        agreement = {
            "n": len(doubled), "pearson": pearson(ga, gb),
            "exact": sum(x == y for x, y in zip(ga, gb, strict=True)) / len(doubled),
            "within_1": sum(abs(x - y) <= 1 for x, y in zip(ga, gb, strict=True)) / len(doubled),
            "mae_points": 20 * statistics.fmean(abs(x - y) for x, y in zip(ga, gb, strict=True)),
        }
    return rows, agreement


def general_rows() -> list[dict]:
    data = yaml.safe_load(GENERAL.read_text())["questions"]
    questions = []
    for q in data:
        rubric = tuple(Concept(c["concept"], tuple(c["keywords"]), c.get("weight", 1))
                       for c in q["rubric"])
        questions.append((q, Question(id=q["id"], prompt=q["prompt"],
                                      model_answer=q["model_answer"], rubric=rubric),
                          Question(id=q["id"], prompt=q["prompt"],
                                   model_answer=q["model_answer"])))
    authored = Grader()
    # The drafts' IDF comes from this set's own prompts and model answers, as it would
    # for a user's bank of such questions.
    drafted = Grader()
    drafted._idf = inverse_document_frequency(
        [f"{q['prompt']}\n{q['model_answer']}" for q in data])
    cosine = Cosine([f"{q['prompt']}\n{q['model_answer']}" for q in data])
    rows = []
    for q, with_rubric, bare in questions:
        for a in q["answers"]:
            rows.append({
                "item": q["id"], "style": "", "grade": a["grade"],
                "score": authored.grade(with_rubric, a["answer"]).score,
                "drafted": drafted.grade(bare, a["answer"]).score,
                "cosine": cosine(a["answer"], q["model_answer"]),
                "length": len(a["answer"].split()),
            })
    return rows


def other_rows() -> tuple[list[dict], dict[str, float] | None]:
    """The other-subject set, graded against its authored rubrics and against drafts."""
    from trainer.bank import load_bank as load

    bank = load([OTHER / "rubric_bank.yaml"], builtin=False)
    authored = Grader(bank)
    drafted = Grader(bank)  # the same bank's IDF, as a user's own bank would give
    cosine = Cosine([f"{q.prompt}\n{q.model_answer}" for q in bank.questions])
    data = yaml.safe_load((OTHER / "answers.yaml").read_text())["answers"]
    rows = []
    for a in data:
        q = bank.get(a["item"]).item  # type: ignore[union-attr]
        bare = Question(id=q.id, prompt=q.prompt, model_answer=q.model_answer)
        rows.append({
            "item": a["item"], "style": a["kind"], "grade": a["grade"],
            "score": authored.grade(q, a["answer"], q.id).score,  # type: ignore[arg-type]
            "drafted": drafted.grade(bare, a["answer"], q.id).score,
            "cosine": cosine(a["answer"], q.model_answer),  # type: ignore[union-attr]
            "length": len(a["answer"].split()),
        })
    doubled = [a for a in data if "grade_b" in a]
    agreement = None
    if doubled:
        ga, gb = [a["grade"] for a in doubled], [a["grade_b"] for a in doubled]
        agreement = {"n": len(doubled), "pearson": pearson(ga, gb),
                     "exact": sum(x == y for x, y in zip(ga, gb, strict=True)) / len(ga)}
    return rows, agreement


def other_fresh_rows(folder: Path = OTHER_FRESH) -> list[dict]:
    """A fresh other-subject set, graded against rubrics drafted from its model answers
    (its bank has no rubrics), with its own prompts and model answers for IDF."""
    from trainer.bank import load_bank as load

    bank = load([folder / "questions.yaml"], builtin=False)
    grader = Grader(bank)
    cosine = Cosine([f"{q.prompt}\n{q.model_answer}" for q in bank.questions])
    rows = []
    for a in yaml.safe_load((folder / "answers.yaml").read_text())["answers"]:
        q = bank.get(a["item"]).item  # type: ignore[union-attr]
        rows.append({
            "item": a["item"], "style": a["kind"], "grade": a["grade"],
            "drafted": grader.grade(q, a["answer"], q.id).score,  # type: ignore[arg-type]
            "contrast": "contrast" in q.topics,  # type: ignore[union-attr]
            "cosine": cosine(a["answer"], q.model_answer),  # type: ignore[union-attr]
            "length": len(a["answer"].split()),
        })
    return rows


def _kind_means(rows: list[dict]) -> dict[str, dict[str, float]]:
    kinds: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        kinds[r["style"]].append(r)
    return {k: {"n": len(v), "grade_x20": statistics.fmean(20 * r["grade"] for r in v),
                "score": statistics.fmean(r["drafted"] for r in v)}
            for k, v in sorted(kinds.items())}


def _table(rows: dict[str, dict[str, float]], labels: dict[str, str] | None = None) -> None:
    for k, f in rows.items():
        label = (labels or {}).get(k, k)
        print(f"{label:10} {f['pearson']:8.3f} {f['spearman']:9.3f} {f['concordance']:9.3f} "
              f"{f['mae']:6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--by-item", action="store_true",
                        help="also list the dev-set items with the largest errors")
    parser.add_argument("--bank", action="append", type=Path, default=[],
                        help="grade the dev set against this bank (with --no-builtin)")
    parser.add_argument("--no-builtin", action="store_true")
    args = parser.parse_args()
    rows, agreement = dev_rows(args.bank, not args.no_builtin)
    fresh = dev_rows(args.bank, not args.no_builtin, FRESH)[0] if FRESH.exists() else []
    rounds = sorted({r["round"] for r in fresh})
    general = general_rows()
    other, other_agreement = other_rows()
    other_fresh = other_fresh_rows()
    contrasts = [r for r in other_fresh if r["contrast"]]
    other_fresh2 = other_fresh_rows(OTHER_FRESH2)
    contrasts2 = [r for r in other_fresh2 if r["contrast"]]
    out = {
        "dev": {k: figures(rows, k) for k in ("score", "cosine", "length")},
        "dev_style_means": {},
        "fresh": {f"round {n}": {k: figures([r for r in fresh if r["round"] == n], k)
                                 for k in ("score", "cosine", "length")} for n in rounds},
        "general": {k: figures(general, k) for k in ("score", "drafted", "cosine", "length")},
        "other": {k: figures(other, k) for k in ("score", "drafted", "cosine", "length")},
        "other_fresh": {k: figures(other_fresh, k) for k in ("drafted", "cosine", "length")},
        "other_fresh_contrasts": {k: figures(contrasts, k) for k in ("drafted", "cosine")},
        "other_fresh2": {k: figures(other_fresh2, k) for k in ("drafted", "cosine", "length")},
        "other_fresh2_contrasts": {k: figures(contrasts2, k) for k in ("drafted", "cosine")},
        "other_fresh2_kind_means": _kind_means(other_fresh2),
        "agreement": agreement,
        "other_agreement": other_agreement,
        "n": {"dev": len(rows), "fresh": len(fresh), "general": len(general),
              "other": len(other), "other_fresh": len(other_fresh),
              "other_fresh2": len(other_fresh2)},
    }
    by_style: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_style[r["style"]].append(r)
    out["dev_style_means"] = {
        s: {"n": len(v), "grade_x20": statistics.fmean(20 * r["grade"] for r in v),
            "score": statistics.fmean(r["score"] for r in v)}
        for s, v in sorted(by_style.items())}
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"dev set: {len(rows)} answers over {len({r['item'] for r in rows})} items")
    print(f"{'':10} {'pearson':>8} {'spearman':>9} {'concord.':>9} {'MAE':>6}")
    _table(out["dev"])
    print("\nmean score per style (grade x 20 beside it)")
    for s, v in out["dev_style_means"].items():
        print(f"  {s:18} {v['score']:6.1f}   ({v['grade_x20']:5.1f}, n={v['n']})")
    if agreement:
        print(f"\ngrader agreement on {agreement['n']} doubly graded answers: Pearson "
              f"{agreement['pearson']:.3f}, exact {agreement['exact']:.0%}, within one "
              f"{agreement['within_1']:.0%}, MAE {agreement['mae_points']:.1f} points")
    for name, table in out["fresh"].items():
        n = sum(1 for r in fresh if f"round {r['round']}" == name)
        print(f"\nfresh set, {name} ({n} answers, written and graded after the rubrics)")
        _table(table)
    print(f"\nother subjects (CS, biology, physics, chemistry): {len(other)} answers")
    _table(out["other"], {"score": "authored"})
    if other_agreement:
        print(f"  grader agreement on {other_agreement['n']}: Pearson "
              f"{other_agreement['pearson']:.3f}, exact {other_agreement['exact']:.0%}")
    print(f"\nfresh other subjects (six subjects, drafted rubrics only): {len(other_fresh)} "
          "answers")
    _table(out["other_fresh"])
    print(f"  of which the contrast questions ({len(contrasts)} answers):")
    _table(out["other_fresh_contrasts"])
    print(f"\nsecond fresh other-subject set (six more subjects, drafted rubrics only): "
          f"{len(other_fresh2)} answers")
    _table(out["other_fresh2"])
    print(f"  of which the contrast questions ({len(contrasts2)} answers):")
    _table(out["other_fresh2_contrasts"])
    print("  mean drafted score per kind (grade x 20 beside it)")
    for kind, v in out["other_fresh2_kind_means"].items():
        print(f"    {kind:18} {v['score']:6.1f}   ({v['grade_x20']:5.1f}, n={v['n']})")
    print(f"\nsmall computer science / biology set: {len(general)} answers")
    _table(out["general"], {"score": "authored"})
    if args.by_item:
        errs: dict[str, list[float]] = defaultdict(list)
        for r in rows:
            errs[r["item"]].append(abs(r["score"] - 20 * r["grade"]))
        print("\nlargest mean errors by item:")
        for item, e in sorted(errs.items(), key=lambda kv: -statistics.fmean(kv[1]))[:15]:
            print(f"  {statistics.fmean(e):5.1f}  {item}")


if __name__ == "__main__":
    main()
