"""Benchmark: load and validate a generated bank of 5,000 questions.

Target (issue 2): well under one second. Run: python benchmarks/bench_load.py [N]
Each question has a 3-concept rubric and a red flag; a second run adds a follow-up each.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from trainer.bank import load_bank

QUESTION = """\
  - id: gen-{i}
    title: Generated question {i}
    level: senior
    topics: [canary, rolling]
    prompt: How would you roll out change number {i} without downtime?
    model_answer: >-
      Start with a canary at 1-5% of traffic, compare error rate and p99 latency with the
      baseline, and roll back automatically if the canary is worse.
    rubric:
      - concept: Canary first
        weight: 3
        keywords: [canary, small slice, 1-5%]
        hint: Start small.
      - concept: Compare with baseline
        weight: 2
        keywords: [baseline, control, compare]
      - concept: Automated rollback
        keywords: [roll back, rollback, revert, abort]
    red_flags:
      - keywords: [all at once, big bang]
        why: No blast-radius control.
"""

FOLLOW_UP = """\
    follow_ups:
      - id: gen-{i}.f1
        prompt: What metric do you watch?
        model_answer: Error rate and p99 latency against the baseline.
        rubric:
          - concept: Error rate
            keywords: [error rate, 5xx, failures]
"""


def generate(folder: Path, n: int, per_file: int = 1000, follow_ups: bool = False) -> None:
    item = QUESTION + (FOLLOW_UP if follow_ups else "")
    for start in range(0, n, per_file):
        body = "questions:\n" + "".join(
            item.format(i=i) for i in range(start, min(n, start + per_file))
        )
        (folder / f"gen-{start:05d}.yaml").write_text(body, encoding="utf-8")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    for follow_ups in (False, True):
        run(n, follow_ups)


def run(n: int, follow_ups: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, n, follow_ups=follow_ups)
        size = sum(p.stat().st_size for p in folder.iterdir())
        os.environ["TRAINER_HOME"] = str(folder / "home")
        for label, no_cache in (("cold (parse + validate)", "1"), ("warm (cached files)", "0")):
            os.environ["TRAINER_NO_CACHE"] = no_cache
            load_bank([folder], builtin=False)  # fills the cache for the warm runs
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                bank = load_bank([folder], builtin=False)
                times.append(time.perf_counter() - t0)
            assert len(bank.questions) == n and len(bank.follow_ups) == (n if follow_ups else 0)
            extra = f" + {n} follow-ups" if follow_ups else ""
            print(f"load_bank {label}: {n} questions{extra} ({size / 1e6:.1f} MB in "
                  f"{n // 1000} files): median {statistics.median(times):.3f} s, "
                  f"best {min(times):.3f} s over {len(times)} runs")


if __name__ == "__main__":
    main()
