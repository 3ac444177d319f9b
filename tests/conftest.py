"""Shared fixtures: every test gets its own data directory and a small valid bank."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

SMALL_BANK = textwrap.dedent(
    """\
    questions:
      - id: canary-basics
        title: What is a canary
        level: mid
        topics: [canary]
        prompt: What is a canary release and why use one?
        model_answer: >-
          Send a small slice of traffic, say 1-5%, to the new version, compare its error
          rate and latency with the baseline, and roll back if it is worse.
        rubric:
          - concept: Small slice of traffic
            weight: 3
            keywords: [small slice, small percentage, 1-5%, few percent]
          - concept: Compare with the baseline
            weight: 2
            keywords: [baseline, compare, control group]
          - concept: Roll back when worse
            keywords: [roll back, rollback, revert]
        red_flags:
          - keywords: [all users at once]
            why: That is a big-bang release, not a canary.
        follow_ups:
          - id: canary-basics.f1
            prompt: How big should the first step be?
            model_answer: One to five percent of traffic.
            rubric:
              - concept: One to five percent
                keywords: [1%, 5%, one percent]
        related: [term-canary]
    glossary:
      - term: Canary
        definition: A release that goes to a small share of traffic first.
    """
)


@pytest.fixture(autouse=True)
def data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches the user's real history."""
    home = tmp_path_factory.mktemp("trainer-home")
    monkeypatch.setenv("TRAINER_HOME", str(home))
    return home


@pytest.fixture
def small_bank(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_BANK, encoding="utf-8")
    return path
