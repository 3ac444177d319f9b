"""The feedback sheet at the end of a mock interview, saved to history.

Both mock modes open it. A hosted interview hands it the timeline (`transcript`), which is
saved with the sheet, and a self-rating that arrives after it opened (`self_rated`). The
one-screen mode keeps the form in its draft: `form()` reads the fields, `form=` restores
them, and `on_changed` is called after every edit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Input, Label, Select, SelectionList, Static, TextArea
from textual.widgets.select import InvalidSelectValueError

from trainer.bank import FollowUp, Question
from trainer.study import ConceptTick, DimensionRating, FeedbackSheet, TranscriptEvent
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
                 notes: str, self_rating: int | None, duration: float, *,
                 transcript: Callable[[], Sequence[TranscriptEvent]] | None = None,
                 on_saved: Callable[[FeedbackSheet], None] | None = None,
                 form: dict[str, Any] | None = None,
                 on_changed: Callable[[], None] | None = None) -> None:
        """`transcript` gives the hosted interview's timeline at the moment of saving;
        `on_saved` hears of each save; `form` fills the fields in again (see `form()`)."""
        super().__init__()
        self.asked = asked
        self.ticks = ticks
        self.notes = notes
        self.self_rating = self_rating
        self.duration = duration
        self.transcript = transcript
        self.on_saved = on_saved
        self.on_changed = on_changed
        self._restore = form
        self.kept_form: dict[str, Any] | None = form
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
            with Horizontal(classes="rating-row"):
                yield Label("Interviewer (name)", classes="rating-label")
                yield Input(id="interviewer")
            if self.self_rating is None:
                with Horizontal(classes="rating-row", id="self-row"):
                    yield Label("Candidate's self-rating", classes="rating-label")
                    yield Select(SCALE, prompt="candidate fills in", id="self")
            yield Static(id="feedback-result")
        yield Footer()

    def on_mount(self) -> None:
        if self._restore:
            self._fill(self._restore)
        self.query_one("#ticks").focus()

    # ---- the form, for the one-screen mode's draft ---------------------------------------

    def form(self) -> dict[str, Any]:
        """Every field as JSON values (restored by `form=`)."""
        self_select = self.query("#self-row #self")
        return {
            "ticks": list(self.query_one("#ticks", SelectionList).selected),
            "ratings": [self._value(f"#dim{i}") for i in range(len(DIMENSIONS))],
            "hire": self._value("#hire"), "hire_level": self._value("#hire-level"),
            "strengths": self.query_one("#strengths", TextArea).text,
            "improvements": self.query_one("#improvements", TextArea).text,
            "candidate": self.query_one("#candidate", Input).value,
            "interviewer": self.query_one("#interviewer", Input).value,
            "self": self._value("#self") if self_select else None,
        }

    def _fill(self, form: dict[str, Any]) -> None:
        ticks = self.query_one("#ticks", SelectionList)
        chosen = {str(t) for t in form.get("ticks") or ()}
        for value in [ticks.get_option_at_index(i).value for i in range(ticks.option_count)]:
            (ticks.select if value in chosen else ticks.deselect)(value)
        selects: dict[str, object] = {f"#dim{i}": v for i, v in
                                      enumerate(form.get("ratings") or ())}
        selects |= {"#hire": form.get("hire"), "#hire-level": form.get("hire_level")}
        if self.query("#self-row #self"):
            selects["#self"] = form.get("self")
        for selector, value in selects.items():
            if value is not None:
                with contextlib.suppress(InvalidSelectValueError):  # a draft from an older form
                    self.query_one(selector, Select).value = value
        for selector in ("#strengths", "#improvements"):
            self.query_one(selector, TextArea).text = str(form.get(selector[1:]) or "")
        for selector in ("#candidate", "#interviewer"):
            self.query_one(selector, Input).value = str(form.get(selector[1:]) or "")

    @on(SelectionList.SelectedChanged)
    @on(Select.Changed)
    @on(Input.Changed)
    @on(TextArea.Changed)
    def edited(self) -> None:
        if self.on_changed is not None and self.is_mounted:
            self.on_changed()

    # ---- a hosted interview --------------------------------------------------------------

    def self_rated(self, rating: int) -> None:
        """The candidate's self-rating came after the sheet opened: it goes on the sheet,
        unseen like one that came before (shown once the sheet is saved)."""
        self.self_rating = rating
        for row in self.query("#self-row"):
            row.remove()
            self.query_one("#feedback-result", Static).update(
                "The candidate's self-rating has arrived; it shows once you save.")
        if self.saved is not None:
            self.action_save()  # already saved: the saved sheet gets it too

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
        if self_rating is None and self.query("#self-row #self"):
            value = self._value("#self")
            self_rating = int(str(value)) if value is not None else None
        hire = self._value("#hire")
        sheet = FeedbackSheet(
            item_ids=tuple(dict.fromkeys(i.id for i in self.asked)),
            created_at=self.workspace.history.clock(),
            candidate=self.query_one("#candidate", Input).value,
            interviewer=self.query_one("#interviewer", Input).value,
            ticks=ticks, notes=self.notes, ratings=ratings,
            would_hire=None if hire is None else bool(hire),
            hire_level=self._value("#hire-level"),  # type: ignore[arg-type]
            strengths=self.query_one("#strengths", TextArea).text,
            improvements=self.query_one("#improvements", TextArea).text,
            self_rating=self_rating, duration=self.duration,
            id=self.saved.id if self.saved else None,
        )
        transcript = self.transcript() if self.transcript is not None else None
        saved: FeedbackSheet | None = None
        with self.trainer.saving("the feedback sheet"):
            saved = self.workspace.save_feedback(sheet, transcript)
        if saved is None:
            return  # everything stays filled in; ctrl+s tries again
        self.saved = saved
        self.query_one("#feedback-result", Static).update(self._summary(saved))
        self.notify(f"Feedback sheet #{saved.id} saved.")
        if self.on_saved is not None:
            self.on_saved(saved)

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
        self.kept_form = self.form()  # for whoever keeps a draft of it
        self.dismiss()
