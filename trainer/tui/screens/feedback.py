"""The feedback sheet at the end of a mock interview, saved to history."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Input, Label, Select, SelectionList, Static, TextArea

from trainer.bank import FollowUp, Question
from trainer.study import ConceptTick, DimensionRating, FeedbackSheet
from trainer.study.calibration import sheet_calibration
from trainer.tui.base import TrainerScreen

DIMENSIONS = ("Technical depth", "Trade-offs", "Communication", "Incident judgment")
SCALE = [("1 - poor", 1), ("2 - mixed", 2), ("3 - good", 3), ("4 - excellent", 4)]


class FeedbackScreen(TrainerScreen[None]):
    """Ticks per concept, 1-4 ratings, would-hire at a level, strengths, improvements."""

    CSS_PATH = ["common.tcss", "mock.tcss"]

    BINDINGS = [
        Binding("ctrl+s", "save", "Save sheet", id="feedback.save", priority=True),
        Binding("escape", "back", "Back to interview", id="feedback.back"),
    ]

    def __init__(self, asked: list[Question | FollowUp], ticks: dict[tuple[str, str], bool],
                 notes: str, self_rating: int | None, duration: float) -> None:
        super().__init__()
        self.asked = asked
        self.ticks = ticks
        self.notes = notes
        self.self_rating = self_rating
        self.duration = duration
        self.saved: FeedbackSheet | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="feedback"):
            yield Label("Concepts covered (space toggles)")
            options = [(f"{item.id}: {c.concept}", f"{item.id}\x1f{c.concept}",
                        self.ticks.get((item.id, c.concept), False))
                       for item in self.asked for c in item.rubric]
            yield SelectionList[str](*options, id="ticks")
            for i, dim in enumerate(DIMENSIONS):
                with Horizontal(classes="rating-row"):
                    yield Label(dim, classes="rating-label")
                    yield Select(SCALE, prompt="rate 1-4", id=f"dim{i}")
            with Horizontal(classes="rating-row"):
                yield Label("Would hire", classes="rating-label")
                yield Select([("yes", True), ("no", False)], prompt="decide", id="hire")
                yield Select([(lvl, lvl) for lvl in ("junior", "mid", "senior", "staff")],
                             prompt="at level", id="hire-level")
            yield Label("Strengths")
            yield TextArea(id="strengths", soft_wrap=True)
            yield Label("Improvements")
            yield TextArea(id="improvements", soft_wrap=True)
            with Horizontal(classes="rating-row"):
                yield Label("Candidate (name)", classes="rating-label")
                yield Input(id="candidate")
            if self.self_rating is None:
                with Horizontal(classes="rating-row"):
                    yield Label("Candidate's self-rating", classes="rating-label")
                    yield Select(SCALE, prompt="candidate fills in", id="self")
            yield Static(id="feedback-result")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#ticks").focus()

    def _value(self, selector: str) -> object:
        value = self.query_one(selector, Select).value
        return None if value is Select.NULL else value

    def action_save(self) -> None:
        ratings = tuple(DimensionRating(dim, int(str(v))) for i, dim in enumerate(DIMENSIONS)
                        if (v := self._value(f"#dim{i}")) is not None)
        chosen = set(self.query_one("#ticks", SelectionList).selected)
        ticks = tuple(ConceptTick(item.id, c.concept, f"{item.id}\x1f{c.concept}" in chosen)
                      for item in self.asked for c in item.rubric)
        self_rating = self.self_rating
        if self_rating is None and self.query(".rating-row #self"):
            value = self._value("#self")
            self_rating = int(str(value)) if value is not None else None
        hire = self._value("#hire")
        sheet = FeedbackSheet(
            item_ids=tuple(dict.fromkeys(i.id for i in self.asked)),
            created_at=self.workspace.history.clock(),
            candidate=self.query_one("#candidate", Input).value,
            ticks=ticks, notes=self.notes, ratings=ratings,
            would_hire=None if hire is None else bool(hire),
            hire_level=self._value("#hire-level"),  # type: ignore[arg-type]
            strengths=self.query_one("#strengths", TextArea).text,
            improvements=self.query_one("#improvements", TextArea).text,
            self_rating=self_rating, duration=self.duration,
            id=self.saved.id if self.saved else None,
        )
        saved: FeedbackSheet | None = None
        with self.trainer.saving("the feedback sheet"):
            saved = self.workspace.save_feedback(sheet)
        if saved is None:
            return  # everything stays filled in; ctrl+s tries again
        self.saved = saved
        self.query_one("#feedback-result", Static).update(self._summary(saved))
        self.notify(f"Feedback sheet #{saved.id} saved.")

    def _summary(self, sheet: FeedbackSheet) -> str:
        covered = sum(t.ticked for t in sheet.ticks)
        mean = sheet.mean_rating
        lines = [f"[b]Saved as sheet #{sheet.id}[/b] - {covered}/{len(sheet.ticks)} concepts "
                 f"ticked; interviewer mean {mean:.1f}/4" if mean else
                 f"[b]Saved as sheet #{sheet.id}[/b] - {covered}/{len(sheet.ticks)} concepts"]
        # The self-rating is revealed only now that both sides have given theirs.
        calibration = sheet_calibration(sheet.self_rating, mean)
        if calibration:
            lines.append(f"Candidate's self-rating: {sheet.self_rating}/4, {calibration}.")
        lines.append(f"Export it: trainer export sheet {sheet.id} --format html -o "
                     f"sheet-{sheet.id}.html")
        return "\n".join(lines)

    def action_back(self) -> None:
        self.dismiss()
