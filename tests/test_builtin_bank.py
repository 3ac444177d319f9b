"""The built-in bank: complete against the seed inventory, valid, and well-formed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from trainer.bank import Bank, check_bank
from trainer.cli import main

DATA = Path(__file__).parent / "data"
TOPICS = set("""zero-downtime-general blue-green canary rolling feature-flags db-migrations
observability ci-cd gitops dns caching http-tls realtime load-balancing proxies-gateways
service-discovery graceful-shutdown failure-scenarios api-versioning kubernetes health-checks
incident-response""".split())


def _inventory() -> list[tuple[str, str, str]]:
    rows = []
    for line in (DATA / "inventory_ids.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            kind, item_id, extra = line.split()
            rows.append((kind, item_id, extra))
    return rows


@pytest.fixture(scope="module")
def bank() -> Bank:
    bank, problems = check_bank()
    assert not problems, "\n".join(map(str, problems))
    return bank


def test_bank_check_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "check"]) == 0
    assert capsys.readouterr().out.startswith("ok: ")


def test_every_inventory_id_is_present_with_kind_and_parent(bank: Bank) -> None:
    for kind, item_id, extra in _inventory():
        entry = bank.get(item_id)
        assert entry is not None, f"missing {kind} {item_id}"
        assert entry.kind == kind, item_id
        if kind == "follow_up":
            assert entry.parent == extra, item_id
        else:
            assert entry.item.code == extra, item_id


def test_follow_ups_keep_inventory_order(bank: Bank) -> None:
    expected: dict[str, list[str]] = {}
    for kind, item_id, parent in _inventory():
        if kind == "follow_up":
            expected.setdefault(parent, []).append(item_id)
    for parent, ids in expected.items():
        actual = [f.id for f in bank.get(parent).item.follow_ups]
        assert actual == ids, parent


def test_glossary_and_notes_are_complete(bank: Bank) -> None:
    for name in ("glossary_ids.txt", "note_ids.txt"):
        for item_id in (DATA / name).read_text().split():
            assert item_id in bank, item_id
    stats = bank.stats()
    assert stats["kinds"]["term"] >= 157
    assert stats["notes"]["facts"] >= 29
    assert stats["notes"].get("checklist", 0) + stats["notes"].get("guide", 0) >= 30


def test_counts(bank: Bank) -> None:
    kinds = bank.stats()["kinds"]
    assert kinds["question"] >= 44 and kinds["follow_up"] >= 69 and kinds["scenario"] >= 35


def test_question_rubrics_are_rich(bank: Bank) -> None:
    for q in bank.questions:
        assert 5 <= len(q.rubric) <= 13, q.id
        for c in q.rubric:
            assert len(c.keywords) >= 2, (q.id, c.concept)
            assert c.role in ("core", "depth"), (q.id, c.concept)
        assert 2 <= sum(c.is_core for c in q.rubric) <= 7, q.id
        assert q.level is not None and q.topics and q.source and q.tests, q.id
        assert len(q.misconceptions) >= 2 and not q.red_flags and q.weak_answer, q.id
        assert set(q.topics) <= TOPICS, q.id


def test_every_level_is_taught_and_every_question_has_a_chain(bank: Bank) -> None:
    levels = Counter(str(q.level) for q in bank.questions)
    assert levels["junior"] >= 8 and levels["mid"] >= 12, levels
    assert not [q.id for q in bank.questions if not q.follow_ups]
    for q in bank.questions:
        if q.level in ("junior", "mid"):
            assert len(q.follow_ups) >= 2, q.id


def test_codes_are_accepted_wherever_the_app_shows_them(bank: Bank,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    assert bank.get("Q-02") is bank.get("zdd-strategies-webapp-mid")
    assert bank.get("q-02") is bank.get("zdd-strategies-webapp-mid")
    assert main(["bank", "show", "Q-02"]) == 0
    assert "zdd-strategies-webapp-mid" in capsys.readouterr().out


def test_follow_ups_have_rubrics(bank: Bank) -> None:
    for f in bank.follow_ups:
        assert len(f.rubric) >= 3, f.id
        for c in f.rubric:
            assert len(c.keywords) >= 2, (f.id, c.concept)
        assert f.weak_answer and len(f.misconceptions) >= 2 and not f.red_flags, f.id


def test_derived_follow_ups_are_marked(bank: Bank) -> None:
    """Of the inventory's follow-ups only Q-01's six have no answer in the sources; the
    chains written later may be derived too."""
    inventory = {item_id for kind, item_id, _ in _inventory() if kind == "follow_up"}
    derived = {f.id for f in bank.follow_ups if f.derived}
    assert derived & inventory == {f"zdd-ml-recs-api-gateway.f{i}" for i in range(1, 7)}


def test_scenarios_are_playable(bank: Bank) -> None:
    for s in bank.scenarios:
        assert s.signals and len(s.reveals) >= 4, s.id
        assert len(s.wrong_actions) >= 2 and len(s.rubric) >= 5, s.id
        assert set(s.topics) <= TOPICS, s.id


def test_s01_keeps_the_seed_numbers(bank: Bank) -> None:
    s = bank.find_scenario("S-01")
    text = " ".join([s.briefing, *s.signals])
    for fact in ("18%", "0.3%", "6 of 10", "v2.14.0", "v2.13.0"):
        assert fact in text, fact


def test_topic_counts_cover_every_topic_family(bank: Bank) -> None:
    topics = Counter(t for q in bank.questions for t in q.topics)
    for topic in ("canary", "blue-green", "rolling", "dns", "db-migrations", "feature-flags"):
        assert topics[topic] >= 2, topic
