"""Items and debriefs as Markdown, for every face that shows them (the app's panes, and
any command or export that wants the same text)."""

from __future__ import annotations

from trainer.bank import FollowUp, Question, Scenario

LEVEL_ORDER = ("junior", "mid", "senior", "staff")


def model_answer_markdown(item: Question | FollowUp) -> str:
    parts = ["## Model answer", item.model_answer]
    if item.answer_outline:
        head = "## Outline (order matters)" if item.answer_outline.order_matters else "## Outline"
        parts += [head, "\n".join(f"{i}. {s.step}" for i, s in
                                  enumerate(item.answer_outline.steps, 1))]
    if item.strong_answer:
        parts += ["## In short", item.strong_answer]
    level_notes = item.level_notes if isinstance(item, Question) else None
    if level_notes:
        rows = [f"- **{lvl}**: {getattr(level_notes, lvl)}" for lvl in LEVEL_ORDER
                if getattr(level_notes, lvl)]
        parts += ["## By level", "\n".join(rows)]
    if item.tests:
        parts += ["## What the interviewer is testing", item.tests]
    return "\n\n".join(parts)


def debrief_markdown(s: Scenario) -> str:
    parts = ["## Recommended first move", s.first_action]
    if s.follow_through:
        parts += ["## Then", "\n".join(f"{i}. {step}" for i, step in
                                       enumerate(s.follow_through, 1))]
    if s.wrong_actions:
        parts += ["## Traps", "\n".join(f"- **{w.action}**: {w.why}" for w in s.wrong_actions)]
    parts += ["## Debrief", s.debrief]
    return "\n\n".join(parts)
