"""The score panel: verdict, your answer with matching words highlighted, then matched
and missed concepts with hints, misconceptions with their corrections and order
problems."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from trainer.application.flashcards import SELF_RATED
from trainer.scoring import ScoreResult
from trainer.scoring.wording import credit_note, drafted_confidence

VERDICT_STYLE = {
    "misses the fundamentals": "$error",
    "partial": "$warning",
    "solid": "$primary",
    "strong": "$success",
    "senior signal": "$success",
    "staff signal": "$success",
}


def highlighted_answer(result: ScoreResult, answer: str) -> Content:
    """The answer with matched spans in the success colour, negated ones struck through
    in warning, misconceptions in error."""
    content = Content(answer)
    for c in result.concepts:
        style = {"matched": "bold $text-success", "partial": "$text-success",
                 "self": "italic $text-success",
                 "negated": "strike $text-warning"}.get(c.status)
        if style:
            for span in c.spans:
                content = content.stylize(style, span.start, span.end)
    for flag in result.misconceptions:
        content = content.stylize("bold underline $text-error", flag.span.start, flag.span.end)
    return content


def summary(result: ScoreResult) -> Content:
    lines: list[Content] = []
    style = VERDICT_STYLE.get(result.verdict, "$primary")
    level = f" for a {result.level} answer" if result.level else ""
    if result.verdict == SELF_RATED:  # a flashcard: no number to show
        lines.append(Content.styled(" self-rated flashcard ", f"bold reverse {style}"))
    else:
        lines.append(Content.assemble((f" {result.score}/100 ", f"bold reverse {style}"), "  ",
                                      (result.verdict, f"bold {style}"), level))
    if result.drafted:
        lines.append(Content.styled("No rubric in the bank: scored against one drafted from "
                                    f"the model answer ({drafted_confidence(result)}).",
                                    "italic $text-muted"))
    for notice in result.notices:
        lines.append(Content.styled(notice, "$text-warning"))
    if result.matched:
        lines.append(Content.styled("\nMatched", "bold"))
        for c in result.matched:
            said = ", ".join(f"“{s.text}”" for s in c.spans)
            lines.append(Content.assemble(("  ✓ ", "$text-success"),
                                          f"{c.concept}{credit_note(c)} ",
                                          (f"[{c.weight}]", "$text-muted"), f"  {said}"))
    if result.missed:
        lines.append(Content.styled("\nMissed", "bold"))
        for c in result.missed:
            lines.append(Content.assemble(("  ✗ ", "$text-error"), f"{c.concept} ",
                                          (f"[{c.weight}]", "$text-muted")))
            if c.status == "negated" and c.spans:
                lines.append(Content.styled(f"      you said it negatively: “{c.spans[0].text}”",
                                            "$text-warning"))
            if c.hint:
                lines.append(Content.styled(f"      hint: {c.hint}", "italic $text-muted"))
    if result.misconceptions:
        lines.append(Content.styled("\nMisconceptions", "bold $text-error"))
        for f in result.misconceptions:
            lines.append(Content.assemble(("  ! ", "$text-error"), f"“{f.span.text}” ",
                                          (f"(-{f.penalty}) ", "$text-muted"), f.why))
            if f.correction:
                lines.append(Content.assemble(("    correct: ", "bold $text-success"),
                                              f.correction))
    if result.order_problems:
        lines.append(Content.styled("\nOrder", "bold $text-warning"))
        for p in result.order_problems:
            lines.append(Content.assemble(("  ↕ ", "$text-warning"), p.message))
    return Content("\n").join(lines)


class ScorePanel(VerticalScroll):
    """Shows one `ScoreResult`; empty until `show()` is called."""

    DEFAULT_CSS = """
    ScorePanel { height: auto; max-height: 100%; }
    ScorePanel > #answer { border: round $success 40%; padding: 0 1; margin: 1 0; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="summary")
        yield Static(id="answer")

    def show(self, result: ScoreResult, answer: str) -> None:
        self.query_one("#summary", Static).update(summary(result))
        answer_view = self.query_one("#answer", Static)
        answer_view.update(highlighted_answer(result, answer))
        answer_view.border_title = "Your answer"
        self.scroll_home(animate=False)
