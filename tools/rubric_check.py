"""Check rubrics against the scorer's invariants, for bank authors.

    python tools/rubric_check.py FILE.yaml [ID ...] [--all-others]

For each question and follow-up (or the ids given) prints the scores of the item's own
model, strong and weak answers, of a bare comma list of one keyword per concept, and of
the other items' model answers in the file (median, and the highest), with every misconception that
fires and every broken invariant marked "!!". Problems in other files (a related id that
lives elsewhere) are ignored: the file is checked on its own with the built-in lexicon.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.bank import check_bank  # noqa: E402
from trainer.scoring import Grader  # noqa: E402
from trainer.scoring.lint import everyday_aliases  # noqa: E402

MODEL_MIN, STRONG_MIN, WEAK_MAX, LIST_MAX, OTHER_MAX = 85, 80, 45, 40, 25


def keyword_list(item) -> str:  # noqa: ANN001
    return ", ".join(c.keywords[0] for c in item.rubric)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path)
    parser.add_argument("ids", nargs="*")
    args = parser.parse_args()
    bank, problems = check_bank([args.file], builtin=False)
    real = [p for p in problems if "related id" not in p.message]
    for p in real:
        print(f"PROBLEM {p}")
    grader = Grader(bank)
    items = [(e.id, e.item) for e in bank.entries.values()
             if e.kind in ("question", "follow_up") and (not args.ids or e.id in args.ids)]
    everyone = [(e.id, e.item) for e in bank.entries.values()
                if e.kind in ("question", "follow_up")]
    broken = 0
    for item_id, item in items:
        lines = []

        def show(label: str, text: str, ok, item_id=item_id, item=item,  # noqa: ANN001
                 lines=lines) -> None:
            nonlocal broken
            if not text.strip():
                lines.append(f"  {label:8} (none)")
                return
            r = grader.grade(item, text, item_id)
            bad = not ok(r)
            broken += bad
            heard = "; ".join(f'"{m.span.text}" <- {m.keyword}' for m in r.misconceptions)
            missed = ", ".join(c.concept for c in r.concepts if c.credit == 0)
            lines.append(f"{'!!' if bad else '  '}{label:8} {r.score:3d}  "
                         f"{'misconceptions: ' + heard if heard else ''}")
            if bad and missed:
                lines.append(f"            missed: {missed}")

        show("model", item.model_answer,
             lambda r: r.score >= MODEL_MIN and not r.misconceptions)
        show("strong", item.strong_answer,
             lambda r: r.score >= STRONG_MIN and not r.misconceptions)
        show("weak", item.weak_answer,
             lambda r: bool(r.misconceptions) or r.score <= WEAK_MAX)
        show("list", keyword_list(item), lambda r: r.score <= LIST_MAX)
        others = [(grader.grade(item, o.model_answer, item_id).score, oid)
                  for oid, o in everyone if oid != item_id and not oid.startswith(item_id)
                  and not item_id.startswith(oid)]
        if others:
            top, who = max(others)
            median = sorted(o[0] for o in others)[len(others) // 2]
            bad = median > OTHER_MAX
            broken += bad
            lines.append(f"{'!!' if bad else '  '}{'others':8} {median:3d}  (median of "
                         f"{len(others)} other model answers; highest {top}: {who})")
        n_mis = len(item.misconceptions)
        if n_mis < 2:
            broken += 1
            lines.append(f"!!misconceptions: {n_mis} (needs >= 2)")
        if item.red_flags:
            lines.append("!!red_flags: convert them to misconceptions")
        for concept, alias in everyday_aliases(item):
            lines.append(f"!!everyday one-word alias '{alias}' in '{concept}'")
            broken += 1
        print(f"{item_id}")
        print("\n".join(lines))
    print(f"\n{len(items)} items, {broken} broken invariants")
    return 1 if broken or real else 0


if __name__ == "__main__":
    sys.exit(main())
