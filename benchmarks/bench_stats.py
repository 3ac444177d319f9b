"""Benchmark: progress stats (`trainer stats`) over 100,000 generated attempts.

Target (issue 6): 0.5 s or less. Run: python benchmarks/bench_stats.py [ATTEMPTS]
Builds a history in a temporary TRAINER_HOME through the real repository and scheduler:
attempts spread over a year across every question and follow-up of the built-in bank,
with their rubric concepts, a review per attempt and a self-rating on one in five. Then
times `stats()` (best and median of 5) and the whole `trainer stats --json` command.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

TARGET_S = 0.5


def build(n: int) -> None:
    from trainer.bank import load_bank
    from trainer.study import Attempt, ConceptOutcome, History, Review, card_items
    from trainer.study.srs import rating_for_score

    bank = load_bank()
    items = list(card_items(bank))
    rubrics = {i: [c.concept for c in getattr(bank.get(i).item, "rubric", ())] or ["recall"]
               for i in items}
    rng = random.Random(6)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    statuses = ("matched", "matched", "partial", "missed", "negated")
    with History.open() as h, h.transaction():
        for k in range(n):
            item = rng.choice(items)
            at = start + timedelta(seconds=rng.randrange(365 * 86400))
            concepts = tuple(ConceptOutcome(c, rng.choice(statuses), 0.5, 2)
                             for c in rubrics[item])
            score = rng.randrange(101)
            self_rating = rng.randint(1, 4) if k % 5 == 0 else None
            a = h.add_attempt(Attempt(item_id=item, answer="generated answer " * 8,
                                      score=score, at=at, concepts=concepts,
                                      self_rating=self_rating))
            h.add_review(Review(item_id=item, rating=int(rating_for_score(score)), at=at,
                                score=score, self_rating=self_rating, attempt_id=a.id))


def main(n: int) -> int:
    with tempfile.TemporaryDirectory() as home:
        os.environ["TRAINER_HOME"] = home
        from trainer.bank import load_bank
        from trainer.study import History, stats

        t0 = time.perf_counter()
        build(n)
        print(f"built {n:,} attempts and reviews in {time.perf_counter() - t0:.1f} s")
        bank = load_bank()
        times = []
        with History.open() as h:
            stats(h, bank)  # warm-up: page cache, imports
            for _ in range(5):
                start = time.perf_counter()
                progress = stats(h, bank)
                times.append(time.perf_counter() - start)
        print(f"stats(): best {min(times) * 1000:.0f} ms, median "
              f"{statistics.median(times) * 1000:.0f} ms over {progress.totals.attempts:,} "
              f"attempts ({len(progress.most_missed)} missed concepts, "
              f"{progress.calibration.n:,} calibration pairs)")
        # The real command, as a user runs it: a new process each time (the first run
        # also fills the bank cache, as any earlier command would have).
        command = [sys.executable, "-m", "trainer", "stats", "--json"]
        subprocess.run(command, capture_output=True, check=True)
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            runs.append(time.perf_counter() - start)
        print(f"trainer stats --json as a new process (start, load bank, stats, print): "
              f"median {statistics.median(runs) * 1000:.0f} ms, best {min(runs) * 1000:.0f} ms")
    median = statistics.median(times)
    print(f"target <= {TARGET_S} s: {'ok' if median <= TARGET_S else 'TOO SLOW'}")
    return 0 if median <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
