"""Helpers shared by the study and export tests: a clock to move by hand, a small bank."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from trainer.bank import Bank, load_bank
from trainer.scoring import Grader, ScoreResult

START = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)  # a Monday


class FakeClock:
    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def bank_at(path: Path) -> Bank:
    return load_bank([path], builtin=False)


def graded(bank: Bank, item_id: str, answer: str) -> ScoreResult:
    entry = bank.get(item_id)
    assert entry is not None
    return Grader(bank).grade(entry.item, answer, item_id)  # type: ignore[arg-type]


# A bank small enough to read in a golden file, using every part an export shows.
EXPORT_BANK = """\
questions:
  - id: canary-basics
    code: Q-90
    title: What is a canary
    level: mid
    topics: [canary]
    prompt: What is a canary release and why use one?
    model_answer: |
      Send a **small slice** of traffic (1-5%) to the new version.

      | signal | compare |
      |---|---|
      | errors | baseline |

      Roll back with `kubectl rollout undo` if it is worse.
    rubric:
      - concept: Small slice of traffic
        weight: 3
        keywords: [small slice, 1-5%]
        hint: How much traffic sees the new version first?
      - concept: Roll back when worse
        keywords: [roll back, rollback]
    answer_outline:
      order_matters: true
      steps:
        - step: Small slice first
          concept: Small slice of traffic
        - step: Compare with the baseline
          keywords: [baseline]
    red_flags:
      - keywords: [all users at once]
        why: That is a big-bang release, not a canary.
    follow_ups:
      - id: canary-basics.f1
        prompt: How big should the first step be?
        model_answer: One to five percent of traffic.
        rubric:
          - concept: One to five percent
            keywords: [1%, 5%]
    related: [term-canary, facts-canary]
  - id: dns-ttl
    title: DNS changes are slow
    level: senior
    topics: [dns]
    prompt: Why does a DNS change take time to reach everyone?
    model_answer: Caches keep the old record until its TTL runs out.
    rubric:
      - concept: TTL caching
        keywords: [ttl, cache]
glossary:
  - term: Canary
    definition: A release that goes to a small share of traffic first.
notes:
  - id: facts-canary
    title: Canary numbers
    category: facts
    topics: [canary]
    body: |
      | step | share |
      |---|---|
      | first | 1-5% |
"""
