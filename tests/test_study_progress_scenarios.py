"""Scenario runs count toward the mastery of their topics (issue 17, part 4)."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path

from study_support import bank_at

from trainer.application import Workspace
from trainer.application.runs import TabletopPlay
from trainer.study import History

BANK = textwrap.dedent("""\
    questions:
      - id: ir-first
        level: senior
        topics: [incident-response]
        prompt: Errors spike after a deploy. What first?
        model_answer: Roll back, then investigate.
    scenarios:
      - id: scn-spike
        code: S-90
        title: Errors after a deploy
        level: senior
        topics: [incident-response]
        briefing: Errors rose right after the deploy.
        first_action: Roll back the deploy.
        debrief: Mitigate first.
    """)


def test_a_scenario_run_counts_toward_its_topic(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(BANK, encoding="utf-8")
    ws = Workspace(bank_at(path), History.open(tmp_path / "h.sqlite3"))
    scenario = ws.bank.scenario("scn-spike")
    assert scenario is not None
    before = {m.key: m for m in ws.progress().mastery_by_topic}["incident-response"]
    assert (before.items, before.attempted, before.scenarios) == (2, 0, 1)
    answer = "I would roll back the deploy first, then investigate."
    result = ws.grade(scenario, answer)
    assert result.score > 0
    ws.record_tabletop(scenario, answer, result, TabletopPlay([], 3),
                       datetime.now(UTC), 60.0)
    p = ws.progress()
    topic = {m.key: m for m in p.mastery_by_topic}["incident-response"]
    assert (topic.attempted, topic.scenarios_run) == (1, 1)
    assert topic.mastery == round(result.score / 2, 1)
    (played,) = p.scenarios
    assert (played.code, played.runs, played.best_score) == ("S-90", 1, result.score)
    assert p.to_dict()["scenarios"][0]["scenario_id"] == "scn-spike"
    ws.close()
