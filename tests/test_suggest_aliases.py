"""`trainer bank suggest-aliases`: claims become a YAML patch of keyword suggestions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from trainer.bank import load_bank
from trainer.cli import main
from trainer.scoring.suggest import suggest_aliases
from trainer.study import CoverageClaim, History

AT = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


def _claims(*answers: str) -> list[CoverageClaim]:
    return [CoverageClaim("canary-basics", "Compare with the baseline", a, AT) for a in answers]


def test_phrases_no_keyword_matches_ranked_by_claims(small_bank: Path) -> None:
    bank = load_bank([small_bank], builtin=False)
    patch = suggest_aliases(bank, _claims(
        "Send a small slice and check the golden signals against the old fleet.",
        "A small slice first; golden signals of both versions side by side."))
    assert len(patch) == 1
    row = patch[0]
    assert row["item"] == "canary-basics" and row["claims"] == 2
    assert row["add_keywords"][0] == "golden signals"
    assert not any("small slice" in k for k in row["add_keywords"])  # already a keyword
    assert row["where"].startswith(str(small_bank))


def test_min_claims_and_unknown_items(small_bank: Path) -> None:
    bank = load_bank([small_bank], builtin=False)
    claims = _claims("check the golden signals") + [
        CoverageClaim("gone", "x", "some answer text here", AT)]
    assert suggest_aliases(bank, claims, min_claims=2) == []
    assert [r["item"] for r in suggest_aliases(bank, claims)] == ["canary-basics"]


def test_command_prints_yaml(small_bank: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with History.open() as history:
        for c in _claims("check the golden signals against the old fleet"):
            history.add_claim(c)
    assert main(["bank", "suggest-aliases", "--no-builtin", "--bank", str(small_bank)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Alias suggestions from 1 ")
    data = yaml.safe_load(out)
    assert data[0]["concept"] == "Compare with the baseline"
    assert "golden signals" in data[0]["add_keywords"]
